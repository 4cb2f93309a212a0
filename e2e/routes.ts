import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Every page and route handler in app/, found on disk so that a new page is covered by the
 * access tests without anyone remembering to list it. Dynamic segments get a dummy value.
 */
export interface AppRoute {
  url: string;
  kind: "page" | "api";
}

const PUBLIC = [/^\/signin$/, /^\/signup$/, /^\/api\/auth\//, /^\/api\/health$/];

function walk(dir: string, segs: string[], out: AppRoute[]): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name.startsWith("_")) continue;
      const seg = name.startsWith("(")
        ? null
        : name.startsWith("[...")
          ? "x/y"
          : name.startsWith("[")
            ? "doesnotexist"
            : name;
      walk(full, seg === null ? segs : [...segs, seg], out);
    } else if (name === "page.tsx" || name === "route.ts") {
      const url = "/" + segs.join("/");
      out.push({ url, kind: name === "page.tsx" ? "page" : "api" });
    }
  }
}

export function appRoutes(root = path.join(process.cwd(), "app")): AppRoute[] {
  const out: AppRoute[] = [];
  walk(root, [], out);
  return out.filter((r) => !PUBLIC.some((re) => re.test(r.url)));
}

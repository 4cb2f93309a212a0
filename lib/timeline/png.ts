import { createRequire } from "node:module";
import path from "node:path";
import type { Resvg as ResvgClass, ResvgRenderOptions } from "@resvg/resvg-js";

/**
 * SVG → PNG on the server with resvg (a Rust rasteriser shipped as a prebuilt binary inside the
 * npm package, so no browser and no system library). It is required at run time from the project
 * directory rather than imported, so the Next bundler leaves the native addon alone (it is not in
 * next.config's serverExternalPackages). Text uses the system fonts (DejaVu / Liberation on Debian).
 */
interface ResvgModule {
  Resvg: typeof ResvgClass;
}

let mod: ResvgModule | null = null;

function resvg(): ResvgModule {
  mod ??= createRequire(path.join(process.cwd(), "package.json"))("@resvg/resvg-js") as ResvgModule;
  return mod;
}

export function svgToPng(svg: string, opts: { scale?: number } = {}): Uint8Array {
  const o: ResvgRenderOptions = {
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    fitTo: { mode: "zoom", value: opts.scale ?? 1 },
    background: "rgba(0,0,0,0)",
  };
  const { Resvg } = resvg();
  return new Uint8Array(new Resvg(svg, o).render().asPng());
}

import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The walls of layers.cjs as ESLint holds them (eslint.config.mjs): a deliberately wrong import in
// a file placed inside a pure folder is reported, however the import is written. The files need not
// exist: lintText lints the text as if it were at `filePath`; the imports resolve against the tree.
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<{ rule: string | null; message: string }[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return (r?.messages ?? []).map((m) => ({ rule: m.ruleId, message: m.message }));
}

describe("the layer walls in ESLint", () => {
  it("catch a pure module importing the database by a relative path", async () => {
    const p = await problems(
      "lib/skeleton/wrong-import.ts",
      'import { openDb } from "../db/client";\nexport const x = openDb;\n',
    );
    expect(p).toEqual([
      {
        rule: "import/no-restricted-paths",
        message: expect.stringMatching(
          /^Unexpected path "\.\.\/db\/client" imported in restricted zone\. layer 1 /,
        ),
      },
    ]);
  }, 60_000);

  it("catch the same import through the @/ alias, and storage importing a use case", async () => {
    expect(
      (
        await problems(
          "lib/skeleton/wrong-import.ts",
          'import { openDb } from "@/lib/db/client";\nexport const x = openDb;\n',
        )
      ).map((m) => m.rule),
    ).toEqual(["import/no-restricted-paths"]);
    expect(
      (
        await problems(
          "lib/db/wrong-import.ts",
          'import { launchRun } from "../runs/launch";\nexport const x = launchRun;\n',
        )
      ).map((m) => m.rule),
    ).toEqual(["import/no-restricted-paths"]);
  }, 60_000);

  it("catch Node built-ins in a pure module, but not in the PNG renderer", async () => {
    const code =
      'import { readFileSync } from "node:fs";\nimport path from "path";\nexport const x = [readFileSync, path];\n';
    expect((await problems("lib/planner/wrong-import.ts", code)).map((m) => m.rule)).toEqual([
      "no-restricted-imports",
      "no-restricted-imports",
    ]);
    expect(await problems("lib/timeline/png.ts", code)).toEqual([]);
  }, 60_000);

  it("let a use case import storage and a test reach across layers", async () => {
    expect(
      await problems(
        "lib/engine/right-import.ts",
        'import { openDb } from "../db/client";\nexport const x = openDb;\n',
      ),
    ).toEqual([]);
    expect(
      await problems(
        "lib/skeleton/wrong-import.test.ts",
        'import { openDb } from "../db/client";\nexport const x = openDb;\n',
      ),
    ).toEqual([]);
  }, 60_000);
});

// Flat config: Next's core-web-vitals + typescript-eslint, plus the project's walls, generated from
// layers.cjs (the same list dependency-cruiser checks in `npm test`):
//  - no module imports from a higher layer, by alias (`@/lib/db/…`) or relative path (`../db/client`);
//  - lib/ is UI- and framework-free: no React, Next or next-auth;
//  - the pure modules use no Node built-ins.
import { createRequire } from "node:module";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

const { LAYERS, PURE, PURE_EXCEPT, TEST_GLOBS } = createRequire(import.meta.url)("./layers.cjs");

// a folder is everything under it; a single file is written as a glob too (the rule wants all or none)
const asGlob = (p) => (/\.[cm]?[jt]sx?$/.test(p) ? `@(${p})` : `${p}/**`);

/** One zone per layer: its files may not import anything of the layers above it. */
const layerZones = LAYERS.slice(0, -1).map((layer, i) => ({
  target: layer.map(asGlob),
  from: LAYERS.slice(i + 1)
    .flat()
    .map(asGlob),
  message: `layer ${i} (${layer.join(", ")}) may not import from a higher layer (layers.cjs).`,
}));

const uiImports = [
  { group: ["react", "react-dom", "react/*", "react-dom/*"], message: "lib/ is UI-free: no React." },
  { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "lib/ is framework-free: no Next." },
];
const nodeBuiltins = [
  { group: ["node:*"], message: "a pure module (layers.cjs PURE) uses no Node built-ins." },
];
const { builtinModules } = createRequire(import.meta.url)("node:module");
const bareBuiltins = builtinModules
  .filter((m) => !m.startsWith("_"))
  .map((name) => ({ name, message: "a pure module (layers.cjs PURE) uses no Node built-ins." }));

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      "data/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "e2e-artifacts/**",
    ],
  },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // CommonJS files (layers.cjs, .dependency-cruiser.cjs) can only require
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.{ts,tsx,mjs,js}"],
    ignores: TEST_GLOBS,
    rules: { "import/no-restricted-paths": ["error", { zones: layerZones }] },
  },
  {
    files: ["lib/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: uiImports }] },
  },
  {
    files: PURE.map(asGlob),
    ignores: [...TEST_GLOBS, ...PURE_EXCEPT],
    rules: {
      "no-restricted-imports": ["error", { paths: bareBuiltins, patterns: [...uiImports, ...nodeBuiltins] }],
    },
  },
);

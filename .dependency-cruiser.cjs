// The layer rules of layers.cjs, checked over the whole import graph: `npm test` runs this
// (scripts/test-all.mjs, "layers"); ESLint holds the same walls in the editor (eslint.config.mjs).
const { LAYERS, PURE, PURE_EXCEPT, TEST_RE } = require("./layers.cjs");

const re = (dirs) => `^(${dirs.map((d) => d.replace(/[.]/g, "\\.")).join("|")})(/|$)`;
const TESTS = TEST_RE;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${i}-imports-upward`,
  comment: `${layer.join(", ")} may not import from a higher layer (${LAYERS.slice(i + 1)
    .flat()
    .join(", ")})`,
  severity: "error",
  from: { path: re(layer), pathNot: TESTS },
  to: { path: re(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: "pure-modules-no-node",
      comment: "the pure modules (layers.cjs PURE) use no Node built-ins: no files, processes or network",
      severity: "error",
      from: {
        path: re(PURE),
        pathNot: `${TESTS}|^(${PURE_EXCEPT.map((f) => f.replace(/[.]/g, "\\.")).join("|")})$`,
      },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "no-folder-cycles",
      comment: "two folders that import each other are one module in two places",
      severity: "error",
      scope: "folder",
      from: { path: "^lib/", pathNot: TESTS },
      to: { circular: true },
    },
    {
      name: "no-module-cycles",
      severity: "error",
      from: { path: "^(lib|app|components|cli)/", pathNot: TESTS },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // tests and their support may reach across layers: they are left out of the graph altogether
    exclude: { path: ["^(node_modules|\\.next|data|test-results)", TESTS] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".tsx", ".js", ".mjs"],
    },
  },
};

// The layering of lib/, written once: a module may import from its own layer and the layers
// below it, never from a layer above. `npm test` runs this (scripts/test-all.mjs, "layers");
// ESLint's no-restricted-imports holds the same walls inside the editor (eslint.config.mjs).
// Tests and test support (*.test.ts, lib/test-support) may reach across layers.
const LAYERS = [
  // 0: shared vocabulary, no I/O
  ["lib/model", "lib/util", "lib/states", "lib/shell", "lib/crypto"],
  // 1: pure domain: formats, strategies, folds, file protocol, batch scripts and parsers
  ["lib/skeleton", "lib/planner", "lib/stats", "lib/timeline", "lib/protocol", "lib/batch", "lib/config", "lib/auth"],
  // 2: talking to machines
  ["lib/transport", "lib/bundle"],
  // 3: storage
  ["lib/db"],
  // 4: use cases
  ["lib/engine", "lib/notify", "lib/archive", "lib/runs", "lib/resources", "lib/work", "lib/sim"],
  // 5: compositions of use cases
  ["lib/demo"],
  // 6: the entry points
  ["app", "components", "cli", "scripts", "instrumentation.ts", "proxy.ts", "agent"],
];

const re = (dirs) => `^(${dirs.map((d) => d.replace(/[.]/g, "\\.")).join("|")})(/|$)`;
const TESTS = "(\\.test\\.ts$|^lib/test-support/|^e2e/)";

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${i}-imports-upward`,
  comment: `${layer.join(", ")} may not import from a higher layer (${LAYERS.slice(i + 1).flat().join(", ")})`,
  severity: "error",
  from: { path: re(layer), pathNot: TESTS },
  to: { path: re(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...upward,
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
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};

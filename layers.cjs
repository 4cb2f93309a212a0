// The layering of the code, written once: a module may import from its own layer and the layers
// below it, never from a layer above. Read by .dependency-cruiser.cjs (`npm test`, "layers") and by
// eslint.config.mjs (import/no-restricted-paths, in the editor). Tests and test support
// (*.test.ts, test-helpers.ts, lib/test-support/) may reach across layers.
const LAYERS = [
  // 0: shared vocabulary, no I/O
  ["lib/model", "lib/util", "lib/states", "lib/shell", "lib/crypto"],
  // 1: pure domain: formats, strategies, folds, file protocol, batch scripts and parsers
  [
    "lib/skeleton",
    "lib/planner",
    "lib/stats",
    "lib/timeline",
    "lib/protocol",
    "lib/batch",
    "lib/config",
    "lib/auth",
  ],
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

/** The pure modules: no Node built-ins (no files, processes or network), so they run anywhere. */
const PURE = [
  "lib/model",
  "lib/util",
  "lib/states",
  "lib/shell",
  "lib/skeleton",
  "lib/planner",
  "lib/stats",
  "lib/batch",
  "lib/protocol",
  "lib/timeline",
];
/** Files inside PURE folders that are allowed Node: the PNG renderer loads a native module. */
const PURE_EXCEPT = ["lib/timeline/png.ts"];

/** Test files and test support, as globs (ESLint) and as one regular expression (dependency-cruiser). */
const TEST_GLOBS = ["**/*.test.ts", "**/test-helpers.ts", "lib/test-support/**"];
const TEST_RE = "(\\.test\\.ts$|/test-helpers\\.ts$|^lib/test-support/|^e2e/)";

module.exports = { LAYERS, PURE, PURE_EXCEPT, TEST_GLOBS, TEST_RE };

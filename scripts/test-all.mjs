#!/usr/bin/env node
// `npm test`: every suite, in order, then one closing line `N passed, N failed`.
//  1. static checks: TypeScript (strict), ESLint and the layers (dependency-cruiser over layers.cjs:
//     no import from a higher layer, no folder loops), one test each;
//  2. vitest: unit tests and integration tests (real SQLite, real bash agent, and the real
//     loopback SLURM + sshd, which step 0 starts when this machine can: root + Debian packages),
//     then the database-heavy engine suites again on the loopback PostgreSQL (2b);
//  3. Playwright: end-to-end tests in Debian Chromium against a production build, then the live
//     run page and the demo again with the server on PostgreSQL (3b).
// Set SKIP_E2E=1 or SKIP_STATIC=1 to leave a suite out while iterating (CI never does).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

// `prettier --check .` joins the static checks once the whole tree has been formatted in one
// commit (issue 14); until then it would only list every file.
const CHECK_FORMAT = true;

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
// the names of the failed tests, printed beside the totals: CI shows only the tail of the output
const failures = [];

/** Failed tests of a vitest JSON report (and files that failed before any test ran). */
function vitestFailures(suite, report) {
  for (const file of report?.testResults ?? []) {
    const where = String(file.name ?? "").replace(process.cwd() + "/", "");
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed) failures.push(`${suite}: ${where} › ${a.fullName ?? a.title}`);
    if (file.status === "failed" && failed.length === 0)
      failures.push(`${suite}: ${where}: ${String(file.message ?? "failed").split("\n")[0]}`);
  }
}

/** Failed tests of a Playwright JSON report (suites nest; a spec fails when a test of it is unexpected). */
function playwrightFailures(suite, report) {
  const walk = (s) => {
    for (const spec of s.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === "unexpected") failures.push(`${suite}: ${spec.file}:${spec.line} › ${spec.title}`);
    for (const c of s.suites ?? []) walk(c);
  };
  for (const s of report?.suites ?? []) walk(s);
}

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  return spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;
}

function count(suite, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${suite}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

mkdirSync("test-results", { recursive: true });

// 0. the loopback cluster (idempotent; says why when it cannot start)
if (existsSync("scripts/cluster/ensure.mjs")) {
  const c = run("node", ["scripts/cluster/ensure.mjs"]);
  if (c !== 0)
    console.log(
      `[test] the loopback cluster is not available (exit ${c}); its integration tests will fail and say why.`,
    );
}

// 1. static checks
if (process.env.SKIP_STATIC !== "1") {
  const tsc = run("npx", ["--no-install", "tsc", "--noEmit", "-p", "."]);
  count("typecheck", tsc === 0 ? 1 : 0, tsc === 0 ? 0 : 1);
  const lint = run("npx", ["--no-install", "eslint", "."]);
  count("lint", lint === 0 ? 1 : 0, lint === 0 ? 0 : 1);
  const layers = run("npx", [
    "--no-install",
    "depcruise",
    "lib",
    "app",
    "components",
    "cli",
    "scripts",
    "proxy.ts",
    "instrumentation.ts",
    "--config",
    ".dependency-cruiser.cjs",
  ]);
  count("layers", layers === 0 ? 1 : 0, layers === 0 ? 0 : 1);
  if (CHECK_FORMAT) {
    const format = run("npx", ["--no-install", "prettier", "--check", "."]);
    count("format", format === 0 ? 1 : 0, format === 0 ? 0 : 1);
  }
}

// 2. vitest: first the files that restart shared daemons, alone; then everything else
rmSync("test-results/vitest-serial.json", { force: true });
const vs = run("npx", ["--no-install", "vitest", "run"], { VITEST_SERIAL: "1" });
const s = readJson("test-results/vitest-serial.json");
vitestFailures("vitest (serial)", s);
if (s)
  count(
    "vitest (serial)",
    s.numPassedTests,
    s.numFailedTests + (vs !== 0 && s.numFailedTests === 0 ? 1 : 0),
    s.numPendingTests + s.numTodoTests,
  );
else count("vitest (serial)", 0, 1);
rmSync("test-results/vitest.json", { force: true });
const vt = run("npx", ["--no-install", "vitest", "run"]);
const v = readJson("test-results/vitest.json");
vitestFailures("vitest", v);
if (v)
  count(
    "vitest",
    v.numPassedTests,
    v.numFailedTests + (vt !== 0 && v.numFailedTests === 0 ? 1 : 0),
    v.numPendingTests + v.numTodoTests,
  );
else count("vitest", 0, 1);

// 2b. the engine suites that exercise the database hardest, a second time on PostgreSQL
// (EMANAGER_TEST_DB=pg: lib/test-support/pg.ts gives each file a fresh database on the loopback
// server of scripts/cluster/pg-up.sh). The PostgreSQL-only suites ran in the pass above.
const PG_SUITES = [
  "lib/engine/local-run.int.test.ts",
  "lib/engine/throughput.int.test.ts",
  "lib/engine/resilience-restart.int.test.ts",
  "lib/engine/resilience-task.int.test.ts",
  "lib/engine/lease.int.test.ts",
  "lib/engine/rows.int.test.ts",
  "lib/engine/failures-restart.int.test.ts",
];
rmSync("test-results/vitest-pg.json", { force: true });
const vp = run(
  "npx",
  ["--no-install", "vitest", "run", "--outputFile.json=test-results/vitest-pg.json", ...PG_SUITES],
  {
    EMANAGER_TEST_DB: "pg",
  },
);
const pgr = readJson("test-results/vitest-pg.json");
vitestFailures("vitest (PostgreSQL)", pgr);
if (pgr)
  count(
    "vitest (PostgreSQL)",
    pgr.numPassedTests,
    pgr.numFailedTests + (vp !== 0 && pgr.numFailedTests === 0 ? 1 : 0),
    pgr.numPendingTests + pgr.numTodoTests,
  );
else count("vitest (PostgreSQL)", 0, 1);

// 3. playwright: every spec; then (3b) the live run page and the demo again, with the server on
// PostgreSQL (same build, a fresh database owned by this process)
function playwright(suite, args, env, json) {
  rmSync(json, { force: true });
  const pw = run("npx", ["--no-install", "playwright", "test", ...args], { ...env, E2E_JSON: json });
  const p = readJson(json);
  playwrightFailures(suite, p);
  if (p?.stats)
    count(
      suite,
      p.stats.expected + p.stats.flaky,
      p.stats.unexpected + (pw !== 0 && p.stats.unexpected === 0 ? 1 : 0),
      p.stats.skipped,
    );
  else count(suite, 0, 1);
}
if (process.env.SKIP_E2E !== "1") {
  playwright("playwright", [], {}, "test-results/playwright.json");
  const made = spawnSync(
    "npx",
    ["--no-install", "tsx", "scripts/cluster/pg-fresh-db.ts", String(process.pid)],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = made.status === 0 ? made.stdout.trim().split("\n").pop() : "";
  if (!url) count("playwright (PostgreSQL)", 0, 1);
  else
    playwright(
      "playwright (PostgreSQL)",
      ["e2e/run-dashboard.spec.ts", "e2e/demo.spec.ts"],
      {
        DATABASE_URL: url,
        EMANAGER_SKIP_BUILD: "1",
        E2E_PORT: String(Number(process.env.E2E_PORT ?? 3100) + 1),
      },
      "test-results/playwright-pg.json",
    );
}

if (failures.length) console.log("\nFailed:\n" + failures.map((f) => `  ${f}`).join("\n"));
console.log("\n" + lines.join("\n"));
console.log(
  `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`,
);
process.exit(totals.failed === 0 ? 0 : 1);

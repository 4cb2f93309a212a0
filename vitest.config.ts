import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit tests sit next to their source (x.test.ts). Integration tests that need the real
// database, the loopback cluster or a server are named *.int.test.ts and live beside what they test.
// *.serial.int.test.ts restart shared daemons (the test cluster's): they run alone, one file at a
// time, before everything else (VITEST_SERIAL=1, as scripts/test-all.mjs does), never beside other suites.
const SERIAL = "**/*.serial.int.test.ts";
const serial = process.env.VITEST_SERIAL === "1";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: serial
      ? [SERIAL]
      : [
          "lib/**/*.test.ts",
          "components/**/*.test.ts",
          "cli/**/*.test.ts",
          "agent/**/*.test.ts",
          "scripts/**/*.test.ts",
          "app/**/*.test.ts",
        ],
    exclude: ["node_modules/**", ".next/**", "e2e/**", ...(serial ? [] : [SERIAL])],
    fileParallelism: !serial,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: serial ? "test-results/vitest-serial.json" : "test-results/vitest.json" },
  },
});

import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit tests sit next to their source (x.test.ts). Integration tests that need the real
// database, the loopback cluster or a server are named *.int.test.ts and live beside what they test.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "cli/**/*.test.ts", "agent/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});

import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

// End-to-end tests run against a production build served by the README's start command,
// on its own port and a throw-away data directory, in Debian's Chromium (no browser download).
const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATA = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `emanager-e2e-${process.pid}`);
process.env.E2E_DATA_DIR = DATA;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  outputDir: "test-results/e2e",
  reporter: [["list"], ["json", { outputFile: process.env.E2E_JSON ?? "test-results/playwright.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: "npx --no-install tsx scripts/start.ts",
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(PORT), EMANAGER_DATA_DIR: DATA, EMANAGER_HOST: "127.0.0.1" },
  },
});

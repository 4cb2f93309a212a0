import { expect, test } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { unzipSync } from "fflate";
import { clusterFacts, newAccount, signUpInBrowser, watch } from "./helpers";

// "Try the SC2014 demo" on a fresh account: the original's five machines as partitions of the
// loopback SLURM cluster; blacklight's submission is rejected, gordon's partition is down.
test("[DEMO] a fresh account runs the SC2014 demo: five pilots, blacklight FAILED, the others started, 21 tasks DONE, statistics and archive", async ({
  page,
}, info) => {
  test.setTimeout(420_000);
  clusterFacts();
  await signUpInBrowser(page, newAccount("demo"));
  // the button says what it adds and asks first
  page.once(
    "dialog",
    (d) =>
      void (d.message().includes("5 SSH resources, stampede, trestles, gordon, blacklight, hopper")
        ? d.accept()
        : d.dismiss()),
  );
  await page.getByRole("button", { name: "Try the SC2014 demo" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/, { timeout: 60_000 });
  const runPath = new URL(page.url()).pathname;
  const machines = ["stampede", "trestles", "gordon", "blacklight", "hopper"];
  await expect(page.getByTestId("pilots").locator("tbody tr")).toHaveCount(5);
  const seen = await watch(
    async () => ({
      state: (await page.getByTestId("run-state").textContent()) ?? "",
      pilots: Object.fromEntries(
        await Promise.all(
          machines.map(
            async (m) =>
              [m, (await page.getByTestId(`pilot-${m}`).getAttribute("data-state")) ?? ""] as const,
          ),
        ),
      ),
    }),
    (s) => ["DONE", "FAILED", "CANCELED"].includes(s.state),
    { timeout: 360_000, ms: 250 },
  );
  const history = (m: string) => seen.map((s) => s.pilots[m]);
  expect(seen.at(-1)!.state).toBe("DONE");
  expect(seen.at(-1)!.pilots.blacklight).toBe("FAILED");
  // at least one of the three that can start was seen active live; all three were active at some point
  expect(["stampede", "trestles", "hopper"].some((m) => history(m).includes("PMGR_ACTIVE"))).toBe(true);
  for (const m of ["stampede", "trestles", "hopper"])
    await expect(page.getByTestId(`pilot-${m}`)).not.toContainText("never active");
  expect(history("gordon")).not.toContain("PMGR_ACTIVE");
  await expect(page.getByTestId("pilot-gordon")).toContainText("never active");
  await expect(page.getByTestId("pilot-blacklight")).toContainText("never active");
  await expect(page.getByTestId("done-count")).toHaveText("21 / 21");
  await expect(page.getByTestId("count-Stage_1-done")).toHaveText("20");
  await expect(page.getByTestId("count-Stage_2-done")).toHaveText("1");
  await expect(page.getByTestId("stats-panel")).toBeVisible();
  await expect(page.getByTestId("stats-report")).toContainText("5 pilots requested");
  await expect(page.getByTestId("stats-report")).toContainText("21 tasks done, 0 failed");

  const zip = await page.request.get(`/api${runPath}/download/archive`);
  expect(zip.status()).toBe(200);
  // named after the run like every other download; inside, the original's run-N-id folder
  expect(zip.headers()["content-disposition"]).toBe('attachment; filename="SC2014_demo.zip"');
  const entries = Object.keys(unzipSync(new Uint8Array(await zip.body())));
  for (const f of [
    "skeleton.conf",
    "plan.json",
    "plan.txt",
    "events.jsonl",
    "run.json",
    "pilots.csv",
    "tasks.csv",
    "timeseries.csv",
    "report.txt",
    "timeline.svg",
  ]) {
    expect(
      entries.some((x) => /^run-21-[a-z0-9]+\//.test(x) && x.endsWith(`/${f}`)),
      f,
    ).toBe(true);
  }
  const pilotsCsv = await (await page.request.get(`/api${runPath}/download/pilots.csv`)).text();
  expect(pilotsCsv).toMatch(/blacklight[^\n]*FAILED/);
  mkdirSync("test-results/e2e-artifacts", { recursive: true });
  await page.screenshot({ path: "test-results/e2e-artifacts/demo-finished.png", fullPage: true });
  await info.attach("demo-finished", {
    path: "test-results/e2e-artifacts/demo-finished.png",
    contentType: "image/png",
  });
});

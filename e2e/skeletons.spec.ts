import { expect, test } from "@playwright/test";
import path from "node:path";
import { unzipSync } from "fflate";
import Papa from "papaparse";
import { newAccount, signedInContext, signUpInBrowser } from "./helpers";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");

test("[SKELETONS] upload the SC2014 skeleton: 2 stages, 21 tasks; a broken one shows its error at its line", async ({
  page,
}) => {
  await signUpInBrowser(page, newAccount("skel"));
  await page.getByRole("link", { name: "Skeletons" }).click();
  await page.getByTestId("skeleton-file").setInputFiles(path.join(FIX, "emanager_skeleton_demo_SC2014.conf"));
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByTestId("stage-count")).toHaveText("2");
  await expect(page.getByTestId("task-count")).toHaveText("21");
  await expect(page.getByTestId("stages-table")).toContainText("Stage_2");
  await expect(page.getByTestId("stage-graph")).toBeVisible();

  await page.getByRole("link", { name: "Skeletons" }).click();
  await page.getByTestId("skeleton-file").setInputFiles(path.join(FIX, "Skeleton-report_lst-bag.input"));
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByTestId("skeleton-errors")).toContainText(
    "line 6, column 5: expected `Task_Length` here but found `Num_Processes`",
  );
});

test("[PLAN][RUN][STATS] plan the SC2014 skeleton on local with both strategies, launch, watch it finish, download its statistics", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await signUpInBrowser(page, newAccount("plan"));
  await page.getByRole("link", { name: "Skeletons" }).click();
  // a scaled-down demo (0.5 s and 1 s tasks) so the run finishes in seconds
  const text = (await import("node:fs"))
    .readFileSync(path.join(FIX, "emanager_skeleton_demo_SC2014.conf"), "utf8")
    .replace("uniform 10", "uniform 0.5")
    .replace("uniform 32", "uniform 1");
  await page.getByTestId("skeleton-text").fill(text);
  await page.getByRole("button", { name: "Check and save" }).click();
  await page.getByRole("link", { name: "Plan a run" }).click();
  await expect(page.getByTestId("plan-adaptive")).toContainText("pilot(s)");
  await expect(page.getByTestId("plan-aimes")).toContainText("1 pilot(s)");
  await page.getByTestId("plan-aimes").getByText("Decision trail").click();
  await expect(page.getByTestId("trail-aimes")).toContainText("D05");
  await page.getByRole("button", { name: "Launch" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.getByTestId("run-state")).toHaveText("DONE", { timeout: 120_000 });
  await expect(page.getByTestId("done-count")).toHaveText("21 / 21");
  await expect(page.getByTestId("count-Stage_2-done")).toHaveText("1");
  await expect(page.getByTestId("gantt-canvas")).toBeVisible();
  await expect(page.getByTestId("stats-report")).toContainText("1 pilot requested, 1 became active");
  await expect(page.getByTestId("stats-report")).toContainText("21 tasks done, 0 failed");
  await page.screenshot({ path: "test-results/e2e/run-finished.png", fullPage: true });

  const runUrl = new URL(page.url()).pathname;
  const api = `/api${runUrl}/download`;
  const tasks = Papa.parse<Record<string, string>>(
    (await (await page.request.get(`${api}/tasks.csv`)).text()).trim(),
    { header: true, newline: "\r\n" },
  ).data;
  expect(tasks).toHaveLength(21);
  expect(tasks.every((t) => t.final_state === "DONE")).toBe(true);
  const run = (await (await page.request.get(`${api}/run.json`)).json()) as {
    state: string;
    metrics: { ttx: number };
    plan: { pilots: unknown[] };
  };
  expect(run.state).toBe("DONE");
  expect(run.metrics.ttx).toBeGreaterThan(0);
  const zipRes = await page.request.get(`${api}/archive`);
  // named after the run, like every other download (the run is named after the skeleton and the time)
  expect(zipRes.headers()["content-disposition"]).toMatch(
    /filename="skeleton_\d{4}-\d\d-\d\d_\d\d_\d\d\.zip"/,
  );
  const files = Object.keys(unzipSync(new Uint8Array(await zipRes.body())));
  for (const f of [
    "skeleton.conf",
    "plan.json",
    "plan.txt",
    "events.jsonl",
    "run.json",
    "pilots.csv",
    "tasks.csv",
    "timeseries.csv",
    "Stage_2_Output/Stage_2_Output_0_1",
    "Stage_1_Output/Stage_1_Output_0_20",
  ]) {
    expect(
      files.some((x) => x.endsWith(`/${f}`)),
      f,
    ).toBe(true);
  }
  // another user gets nothing: not the page, not the stream, not a download, not the controls
  const other = await signedInContext(browser, "intruder");
  expect((await other.ctx.request.get(`${api}/archive`)).status()).toBe(404);
  expect((await other.ctx.request.get(`${api}/run.json`)).status()).toBe(404);
  expect((await other.ctx.request.get(`/api${runUrl}/events?once=1`)).status()).toBe(404);
  await other.page.goto(runUrl);
  await expect(other.page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await other.ctx.close();
});

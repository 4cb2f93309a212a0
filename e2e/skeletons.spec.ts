import { expect, test } from "@playwright/test";
import path from "node:path";
import { signUpInBrowser, newAccount } from "./helpers";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");

test("[SKELETONS] upload the SC2014 skeleton: 2 stages, 21 tasks; a broken one shows its error at its line", async ({ page }) => {
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
  await expect(page.getByTestId("skeleton-errors")).toContainText("line 6, column 5: expected `Task_Length` here but found `Num_Processes`");
});

test("[PLAN][RUN] plan the SC2014 skeleton on local with both strategies, launch, and watch it finish", async ({ page }) => {
  test.setTimeout(240_000);
  await signUpInBrowser(page, newAccount("plan"));
  await page.getByRole("link", { name: "Skeletons" }).click();
  // a scaled-down demo (0.5 s and 1 s tasks) so the run finishes in seconds
  const text = (await import("node:fs")).readFileSync(path.join(FIX, "emanager_skeleton_demo_SC2014.conf"), "utf8").replace("uniform 10", "uniform 0.5").replace("uniform 32", "uniform 1");
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
  await page.screenshot({ path: "test-results/e2e/run-finished.png", fullPage: true });
});

import { expect, test } from "@playwright/test";
import { launchRun, newAccount, scaledSc2014, signUpInBrowser } from "./helpers";

// Issue 15 in the browser: the plan page's simulated TTC for both strategies with its sources, a
// what-if (local marked as failing: every simulation fails), and the prediction kept with a run
// beside its actual TTC; the second run's prediction is learned from the first.
test("[PREDICT] simulated TTC with sources and what-if on the plan page; predicted vs actual on the run page and in run.json", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signUpInBrowser(page, newAccount("predict"));
  const text = scaledSc2014(0.3, 0.5);
  const first = await launchRun(page, text);
  await expect(page.getByTestId("run-state")).toHaveText("DONE", { timeout: 120_000 });
  await expect(page.getByTestId("predicted-vs-actual")).toContainText("documented defaults: no earlier runs");

  // the second plan learns from the first run
  await page.goto("/skeletons");
  await page.getByTestId("skeleton-text").fill(text);
  await page.getByRole("button", { name: "Check and save" }).click();
  await page.getByRole("link", { name: "Plan a run" }).click();
  for (const s of ["adaptive", "aimes"]) {
    await expect(page.getByTestId(`prediction-${s}-median`)).not.toHaveText("—");
    await expect(page.getByTestId(`prediction-${s}`)).toContainText("learned from 1 of your runs");
  }
  await page.getByTestId("prediction-adaptive").getByText("Where the numbers come from").click();
  await expect(page.getByTestId("prediction-adaptive")).toContainText("measured");
  // what-if: local fails, both strategies re-simulated at once
  const form = page.getByRole("form", { name: "Choose resources" });
  await form.getByRole("checkbox", { name: "failing" }).check();
  await form.getByRole("button", { name: "Plan again" }).click();
  for (const s of ["adaptive", "aimes"])
    await expect(page.getByTestId(`prediction-${s}-fail`)).toContainText("100 % fail");
  await page.screenshot({ path: "test-results/e2e/plan-what-if.png", fullPage: true });

  const second = await launchRun(page, text);
  expect(second).not.toBe(first);
  await expect(page.getByTestId("run-state")).toHaveText("DONE", { timeout: 120_000 });
  await expect(page.getByTestId("predicted-vs-actual")).toContainText("model learned from 1 earlier run(s)");
  await expect(page.getByTestId("prediction-error")).toHaveText(/[+-]?\d+ %/);
  await page.screenshot({ path: "test-results/e2e/run-predicted-vs-actual.png", fullPage: true });
  const run = (await (await page.request.get(`/api${second}/download/run.json`)).json()) as {
    prediction: {
      median: number;
      inputs: { calibratedFrom: number };
      versus: { actual: { ttc: number }; error: { ttc: number } };
    };
  };
  expect(run.prediction.inputs.calibratedFrom).toBe(1);
  expect(run.prediction.versus.actual.ttc).toBeGreaterThan(0);
  expect(Number.isFinite(run.prediction.versus.error.ttc)).toBe(true);
});

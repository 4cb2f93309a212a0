import { expect, test } from "@playwright/test";
import { addSlurmResource, launchRun, newAccount, scaledSc2014, signUpInBrowser } from "./helpers";

// Runs: a queue per pilot picked on the plan page from the resource's probed queues, with its
// limits shown and checked, kept in the plan and its trail; the runs list filtered; two runs
// compared side by side.
test("[RUNS][QUEUE][COMPARE] a pilot put on the debug partition from the plan page; the list filtered; two runs compared", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signUpInBrowser(page, newAccount("compare"));
  await addSlurmResource(page, "cluster", "stampede");

  await page.goto("/skeletons");
  await page.getByTestId("skeleton-text").fill(scaledSc2014(0.2, 0.5));
  await page.getByRole("button", { name: "Check and save" }).click();
  await page.getByRole("link", { name: "Plan a run" }).click();
  const form = page.getByRole("form", { name: "Choose resources" });
  for (const box of await form.getByRole("checkbox").all()) await box.uncheck();
  await form.getByRole("checkbox", { name: /^cluster / }).check();
  await form.getByRole("button", { name: "Plan again" }).click();
  await page.getByTestId("plan-adaptive").getByRole("radio").check();

  // the picker lists the probed partitions; debug's 10 minutes are shown and checked
  const queue = page.getByLabel("queue of pilot 1");
  await expect(queue.locator("option")).toContainText(["default (stampede)", "stampede", "debug"]);
  await queue.selectOption("debug");
  await expect(page.getByTestId("queue-limits-1")).toContainText("at most 10 min");
  await page.getByLabel("walltime of pilot 1").fill("20");
  await expect(page.getByTestId("queue-problem-1")).toHaveText(
    "20.0 min is longer than debug allows (10 min)",
  );
  await expect(page.getByRole("button", { name: "Launch" })).toBeDisabled();
  await page.getByLabel("walltime of pilot 1").fill("5");
  await expect(page.getByTestId("queue-problem-1")).toHaveCount(0);
  await page.getByRole("button", { name: "Launch" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/, { timeout: 30_000 });
  const slurmRun = new URL(page.url()).pathname;
  await expect(page.getByTestId("run-state")).toHaveText("DONE", { timeout: 180_000 });
  // kept in the plan and its trail (run.json carries the plan; the archive has plan.json and plan.txt from it)
  const res = await page.request.get(`/api${slurmRun}/download/run.json`);
  expect(res.status(), await res.text()).toBe(200);
  const run = (await res.json()) as {
    plan: { pilots: { queue: string | null }[]; trail: { label: string; value: string }[] };
  };
  expect(run.plan.pilots[0]!.queue).toBe("debug");
  expect(run.plan.trail.find((t) => t.label === "Q1")?.value).toBe("debug");

  // a second run of the same skeleton, on local (the aimes plan asks local for more cores than it has: refused since issue 15)
  await launchRun(page, scaledSc2014(0.2, 0.5), { strategy: "adaptive" });
  await expect(page.getByTestId("run-state")).toHaveText("DONE", { timeout: 120_000 });

  await page.goto("/runs");
  await expect(page.getByTestId("runs-list").locator("tbody tr")).toHaveCount(2);
  await page.getByTestId("runs-filter").getByLabel("State").selectOption("FAILED");
  await page.getByTestId("runs-filter").getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No run matches these filters.")).toBeVisible();
  await page.goto("/runs?state=DONE");
  for (const box of await page.getByTestId("runs-list").getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Compare the ticked runs" }).click();
  await expect(page).toHaveURL(/\/runs\/compare\?id=/);
  const table = page.getByTestId("compare-table");
  await expect(table.locator("thead th")).toHaveCount(3);
  await expect(table).toContainText("TTC (time to completion)");
  await expect(table).toContainText("adaptive");
  await expect(table.getByRole("link")).toHaveCount(2);
  await expect(page.getByTestId("compare-gantt").locator("g[data-testid^=compare-gantt-]")).toHaveCount(2);
});

import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { newAccount, signUpInBrowser } from "./helpers";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");

// The skeleton editor checks as you type, on a Web Worker: every error and warning listed with
// its line and column, marked in the editor, a click on the place moves the cursor there.
test("[SKELETONS][EDITOR] checks as you type off the main thread; errors and warnings listed at their lines; a click jumps to the line", async ({
  page,
}) => {
  await signUpInBrowser(page, newAccount("editor"));
  const workers: string[] = [];
  page.on("worker", (w) => workers.push(w.url()));
  await page.goto("/skeletons");
  const sc = readFileSync(path.join(FIX, "emanager_skeleton_demo_SC2014.conf"), "utf8");
  // line 5: `uniform` with no value (an error); line 8: 6553a (read as 6553, a warning); line 19: 1x (a warning)
  const text = sc
    .replace("uniform 10", "uniform")
    .replace("Read_Buffer = 65536", "Read_Buffer = 6553a")
    .replace("Num_Tasks = 1\n", "Num_Tasks = 1x\n");
  await page.getByTestId("skeleton-text").fill(text);
  const problems = page.getByTestId("skeleton-problem");
  await expect(page.getByTestId("skeleton-check-status")).toHaveText("1 error, 2 warnings.");
  await expect(problems.nth(0)).toContainText("line 6, column");
  await expect(problems.nth(0)).toHaveAttribute("data-severity", "error");
  await expect(problems.nth(1)).toContainText("line 8, column 23");
  await expect(problems.nth(1)).toHaveAttribute("data-severity", "warning");
  await expect(problems.nth(2)).toContainText("line 19, column 18");
  // the check ran on a Web Worker (the page started one for it), not on the main thread
  expect(workers.length).toBeGreaterThan(0);
  // marked in the editor: underlined ranges and gutter markers
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(1);
  await expect(page.locator(".cm-lintRange-warning")).toHaveCount(2);
  // a click on a place puts the cursor on that line
  await problems.nth(2).getByRole("button").click();
  await expect(page.locator(".cm-lineNumbers .cm-activeLineGutter")).toHaveText("19");
  await problems.nth(1).getByRole("button").click();
  await expect(page.locator(".cm-lineNumbers .cm-activeLineGutter")).toHaveText("8");
  // fixing the text clears the problems, still without saving
  await page.getByTestId("skeleton-text").fill(sc);
  await expect(page.getByTestId("skeleton-check-status")).toHaveText("No problems found.");
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(0);
});

// A skeleton whose Stage_2 inputs an external script names: the editor asks for the script's
// output, keeps it in the skeleton, and the skeleton then saves and plans like any other.
test("[SKELETONS][EXTERNAL] the mapper's output uploaded in the editor; the skeleton saves and plans", async ({
  page,
}) => {
  await signUpInBrowser(page, newAccount("mapper"));
  await page.goto("/skeletons");
  await page.getByTestId("skeleton-file").setInputFiles(path.join(FIX, "Skeleton-report_lst-exmapper.input"));
  await expect(page.getByTestId("skeleton-check-status")).toHaveText("1 error, 0 warnings.");
  await expect(page.getByTestId("skeleton-problem")).toContainText("upload it with the editor");
  const mapping =
    Array.from(
      { length: 6 },
      (_, t) =>
        `Stage_1_Output/Stage_1_Output_0_${(t % 4) + 1} Stage_1_Output/Stage_1_Output_0_${((t + 1) % 4) + 1}`,
    ).join("\n") + "\n";
  await page
    .getByTestId("external-file-Stage_2")
    .setInputFiles({ name: "mapping.txt", mimeType: "text/plain", buffer: Buffer.from(mapping) });
  await expect(page.getByTestId("skeleton-check-status")).toHaveText("No problems found.");
  await expect(page.getByTestId("skeleton-text")).toContainText(
    "# emanager-external Stage_2: Stage_1_Output/Stage_1_Output_0_1 Stage_1_Output/Stage_1_Output_0_2",
  );
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByTestId("stage-count")).toHaveText("2");
  await expect(page.getByTestId("task-count")).toHaveText("10");
  await page.getByRole("link", { name: "Plan a run" }).click();
  await expect(page.getByTestId("plan-adaptive")).toContainText("pilot(s)");
});

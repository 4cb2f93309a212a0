import { expect, test } from "@playwright/test";
import { existsSync } from "node:fs";
import { launchRun, newAccount, scaledSc2014, signUpInBrowser } from "./helpers";

// Housekeeping a person needs: the password rules before they are failed, the demo asking first,
// deleting a skeleton (refused while a run uses it), deleting a run with its directory, and the
// sizes on disk on the Account page.

test("[HOUSEKEEPING] sign-up shows the password rules up front; the demo button says what it adds and asks first", async ({
  page,
}) => {
  await page.goto("/signup");
  await expect(page.getByTestId("password-rules")).toContainText("8 to 72 characters");
  await signUpInBrowser(page, newAccount("house"));
  let question = "";
  page.once("dialog", (d) => {
    question = d.message();
    void d.dismiss();
  });
  await page.getByRole("button", { name: "Try the SC2014 demo" }).click();
  await expect
    .poll(() => question)
    .toContain("This adds to your account the SC2014 demo skeleton (2 stages, 21 tasks)");
  // dismissed: nothing was added, no run started
  await page.waitForTimeout(500);
  await expect(page).toHaveURL(/\/runs$/);
  await page.goto("/skeletons");
  await expect(page.getByText("No skeletons yet")).toBeVisible();
});

test("[HOUSEKEEPING] a skeleton in use cannot be deleted (the run is named); a finished run is deleted with its directory; sizes on the Account page", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signUpInBrowser(page, newAccount("house"));
  const runPath = await launchRun(page, scaledSc2014(120, 120));
  const dir = (await page.getByText("Run directory on the server:").locator("code").textContent()) ?? "";
  expect(dir).not.toBe("");
  await expect.poll(() => existsSync(dir), { timeout: 30_000 }).toBe(true);

  await page.goto("/skeletons");
  await page.getByRole("link", { name: "skeleton", exact: true }).click();
  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("delete-skeleton").click();
  await expect(page.getByTestId("delete-skeleton-error")).toContainText(
    /skeleton is used by skeleton \S+ \S+ \((NEW|ACTIVE)\): cancel that run or wait until it ends before deleting it/,
  );

  await page.goto("/account");
  await expect(page.getByTestId("storage")).toContainText("in 1 run directory");

  await page.goto(runPath);
  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("CANCELED", { timeout: 60_000 });
  // a confirmation first: dismissed, the run stays
  page.once("dialog", (d) => void d.dismiss());
  await page.getByTestId("delete-run").click();
  await expect(page).toHaveURL(new RegExp(`${runPath}$`));
  // accepted: gone, directory and all (the engine may still be wrapping it up for a moment)
  await expect(async () => {
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("delete-run").click();
    await expect(page).toHaveURL(/\/runs$/, { timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  expect(existsSync(dir)).toBe(false);
  await expect(page.getByText("No runs yet")).toBeVisible();
  expect((await page.request.get(runPath)).status()).toBe(404);

  await page.goto("/skeletons");
  await page.getByRole("link", { name: "skeleton", exact: true }).click();
  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("delete-skeleton").click();
  await expect(page).toHaveURL(/\/skeletons$/);
  await expect(page.getByText("No skeletons yet")).toBeVisible();
});

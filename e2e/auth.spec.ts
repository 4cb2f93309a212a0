import { expect, test } from "@playwright/test";
import { newAccount, signUpInBrowser } from "./helpers";

test("[AUTH] sign up, see the empty runs page, sign out, sign in again", async ({ page }) => {
  const acct = newAccount("auth");
  await signUpInBrowser(page, acct);
  await expect(page.getByRole("heading", { name: "Runs" })).toBeVisible();
  await expect(page.getByTestId("empty-state")).toContainText("No runs yet");
  await expect(page.getByTestId("signed-in-as")).toContainText(acct.email);
  for (const name of ["Skeletons", "Resources", "Account"]) {
    await page.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
  }
  await expect(page.getByTestId("account-email")).toHaveText(acct.email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fruns/);
  await page.getByLabel("E-mail").fill(acct.email);
  await page.getByLabel("Password").fill(acct.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/runs$/);
});

test("[AUTH] a wrong password, a duplicate sign-up and over-long input each get a clear message", async ({
  page,
}) => {
  const acct = newAccount("bad");
  await signUpInBrowser(page, acct);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);

  await page.getByLabel("E-mail").fill(acct.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("p.notice.error")).toHaveText("Wrong e-mail or password.");

  // sign-up no longer says an address is taken (e2e/hostile.spec.ts); with another password it
  // cannot sign in either, and says only that
  await page.goto("/signup");
  await page.getByLabel("E-mail").fill(acct.email);
  await page.getByLabel("Password").fill("another long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("p.notice.error")).toContainText(
    "Signing in with this e-mail and password failed",
  );

  await page.goto("/signup");
  await page.getByLabel("E-mail").evaluate((el: HTMLInputElement) => el.removeAttribute("maxlength"));
  await page.getByLabel("E-mail").fill(`${"x".repeat(300)}@example.org`);
  await page.getByLabel("Password").fill(acct.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("p.notice.error")).toContainText("too long");
  await expect(page.locator("body")).not.toContainText("at Object");
});

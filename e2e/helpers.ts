import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

let counter = 0;
/** A fresh, unique account for each test (the database is shared by the whole e2e run). */
export function newAccount(prefix = "user"): { email: string; password: string } {
  counter += 1;
  return { email: `${prefix}-${Date.now()}-${process.pid}-${counter}@example.org`, password: "a long enough password" };
}

export async function signUpInBrowser(page: Page, acct: { email: string; password: string }): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("E-mail").fill(acct.email);
  await page.getByLabel("Password").fill(acct.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/runs$/);
}

/** A browser context with its own signed-in account; `ctx.request` carries its session cookie. */
export async function signedInContext(browser: Browser, prefix: string): Promise<{ ctx: BrowserContext; page: Page; email: string }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const acct = newAccount(prefix);
  await signUpInBrowser(page, acct);
  return { ctx, page, email: acct.email };
}

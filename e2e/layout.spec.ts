import { expect, test, type Page } from "@playwright/test";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { addSlurmResource, launchRun, newAccount, scaledSc2014, signUpInBrowser } from "./helpers";

// Every page, signed out and in, empty and full, a finished and a live run, at a laptop's and a
// phone's width: nothing may overflow sideways unless it is a box meant to scroll (marked
// `data-scroll`), no table cell may clip its text, and the page may log no error and fail no
// request. A screenshot of each page at each width is kept in test-results/layout/.

const WIDTHS = [
  { name: "1366", width: 1366, height: 768 },
  { name: "390", width: 390, height: 844 },
];
const SHOTS = "test-results/layout";
const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");

interface Overflow {
  what: string;
  scrollWidth: number;
  clientWidth: number;
}

/** Runs in the page: every element wider inside than its box, except boxes meant to scroll. */
function findOverflows(): Overflow[] {
  const out: Overflow[] = [];
  const describe = (el: Element) => {
    const id = el.id ? `#${el.id}` : "";
    const cls =
      typeof el.className === "string" && el.className
        ? `.${el.className.trim().split(/\s+/).join(".")}`
        : "";
    const tid = el.getAttribute("data-testid") ? `[data-testid=${el.getAttribute("data-testid")}]` : "";
    const text = (el instanceof HTMLInputElement ? el.value : (el.textContent ?? ""))
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 60);
    return `${el.tagName.toLowerCase()}${id}${cls}${tid} "${text}"`;
  };
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1)
    out.push({ what: "the page", scrollWidth: root.scrollWidth, clientWidth: root.clientWidth });
  for (const el of Array.from(document.body.querySelectorAll("*"))) {
    if (!(el instanceof HTMLElement)) continue;
    if (
      el.closest("[data-scroll]") === el ||
      el.classList.contains("sr-only") ||
      el.closest("[aria-hidden=true], .recharts-tooltip-wrapper")
    )
      continue;
    if (["SCRIPT", "STYLE", "TEMPLATE", "OPTION", "SELECT"].includes(el.tagName)) continue;
    const st = getComputedStyle(el);
    if (
      st.display === "none" ||
      st.display === "contents" ||
      st.display === "inline" ||
      st.visibility === "hidden"
    )
      continue;
    if (el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1)
      out.push({ what: describe(el), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
  }
  return out;
}

interface Problems {
  console: string[];
  requests: string[];
}

/** Collects console errors, page errors and failed requests until `stop()` is called. */
function listen(
  page: Page,
  allowStatus: (url: string, status: number) => boolean = () => false,
  allowConsole?: RegExp,
): { stop: () => Problems } {
  const p: Problems = { console: [], requests: [] };
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error" && !allowConsole?.test(m.text())) p.console.push(m.text());
  };
  const onPageError = (e: Error) => p.console.push(`uncaught: ${e.message}`);
  const onFailed = (r: { url(): string; failure(): { errorText: string } | null }) => {
    const why = r.failure()?.errorText ?? "";
    // a request the browser abandons because the test moves on (the live stream, a prefetch) is not a failure of the page
    if (why.includes("ERR_ABORTED")) return;
    p.requests.push(`${r.url()}: ${why}`);
  };
  const onResponse = (r: { url(): string; status(): number }) => {
    if (r.status() >= 400 && !allowStatus(r.url(), r.status()))
      p.requests.push(`${r.url()}: HTTP ${r.status()}`);
  };
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  page.on("requestfailed", onFailed);
  page.on("response", onResponse);
  return {
    stop: () => {
      page.off("console", onConsole);
      page.off("pageerror", onPageError);
      page.off("requestfailed", onFailed);
      page.off("response", onResponse);
      return p;
    },
  };
}

interface Visit {
  name: string;
  url: string;
  ready?: (page: Page) => Promise<void>;
  allowStatus?: (url: string, status: number) => boolean;
  /** the browser's own log line for a document answered 404, on the page that is meant to be one */
  allowConsole?: RegExp;
}

/** Opens the page at both widths; returns every problem found, named by page and width. */
async function check(page: Page, v: Visit): Promise<string[]> {
  const found: string[] = [];
  mkdirSync(SHOTS, { recursive: true });
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    const l = listen(page, v.allowStatus, v.allowConsole);
    await page.goto(v.url);
    await page.waitForLoadState("load");
    if (v.ready) await v.ready(page);
    // charts and the timeline measure their box after the first paint
    await page.waitForTimeout(800);
    const overflows = await page.evaluate(findOverflows);
    await page.screenshot({ path: `${SHOTS}/${v.name}-${w.name}.png`, fullPage: true });
    const p = l.stop();
    for (const o of overflows)
      found.push(`${v.name} @${w.name}: overflow ${o.what}: ${o.scrollWidth} > ${o.clientWidth}`);
    for (const c of p.console) found.push(`${v.name} @${w.name}: console error: ${c}`);
    for (const r of p.requests) found.push(`${v.name} @${w.name}: failed request ${r}`);
  }
  return found;
}

/** Saves a skeleton through the page's own upload endpoint (same origin, the user's session); returns its id. */
async function saveSkeleton(page: Page, name: string, text: string): Promise<string> {
  const id = await page.evaluate(
    async ([n, t]) => {
      const r = await fetch("/api/skeletons", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: n, text: t }),
      });
      return ((await r.json()) as { id?: string }).id ?? "";
    },
    [name, text] as const,
  );
  expect(id, name).not.toBe("");
  return id;
}

test("[LAYOUT] every page at 1366 and 390 px: no sideways overflow, no clipped table text, no console error or failed request", async ({
  page,
}) => {
  test.setTimeout(480_000);
  const problems: string[] = [];
  const visit = async (v: Visit) => problems.push(...(await check(page, v)));

  // signed out
  await visit({ name: "signin", url: "/signin" });
  await visit({ name: "signup", url: "/signup" });

  // signed in, nothing yet
  await page.setViewportSize({ width: 1366, height: 768 });
  await signUpInBrowser(page, newAccount("layout"));
  await visit({ name: "runs-empty", url: "/runs" });
  await visit({ name: "skeletons-empty", url: "/skeletons" });
  await visit({ name: "resources-local", url: "/resources" });
  await visit({ name: "resource-new", url: "/resources/new" });
  await visit({ name: "resource-import", url: "/resources/import" });
  await visit({ name: "account", url: "/account" });
  await visit({
    name: "not-found",
    url: "/no-such-page",
    allowStatus: (u, s) => s === 404 && u.endsWith("/no-such-page"),
    allowConsole: /status of 404/,
  });

  // full: a 3-stage skeleton, the legacy one, a resource on the loopback cluster, a finished and a live run
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto("/skeletons");
  const multi = await saveSkeleton(
    page,
    "Skeleton_multi-stage.input",
    readFileSync(path.join(FIX, "Skeleton_multi-stage.input"), "utf8"),
  );
  const legacy = await saveSkeleton(
    page,
    "Skeleton-MTAGS2013_lst-sample.input",
    readFileSync(path.join(FIX, "Skeleton-MTAGS2013_lst-sample.input"), "utf8"),
  );
  await addSlurmResource(page, "stampede", "stampede");
  const finished = await launchRun(page, scaledSc2014(0.2, 0.5));
  await expect(page.getByTestId("run-state")).toHaveText("DONE", { timeout: 120_000 });
  const live = await launchRun(page, scaledSc2014(120, 120));
  await expect(page.getByTestId("run-state"))
    .toHaveText(/RUNNING|EXECUTING|ACTIVE/, { timeout: 60_000 })
    .catch(() => undefined);

  await visit({ name: "skeletons-full", url: "/skeletons" });
  await visit({ name: "skeleton-3-stages", url: `/skeletons/${multi}` });
  await visit({ name: "skeleton-legacy", url: `/skeletons/${legacy}` });
  // the legacy skeleton's sizes are all about 1 MB: one bar, one label; its conversion notes one per line
  await page.goto(`/skeletons/${legacy}`);
  await expect(page.getByTestId("histogram-sizes").getByTestId("histogram-row")).toHaveCount(1);
  await expect(page.getByTestId("histogram-sizes")).toContainText("1.00 MB");
  expect(await page.getByTestId("skeleton-notes").locator("li").count()).toBeGreaterThan(1);
  await visit({
    name: "plan",
    url: `/skeletons/${multi}/plan`,
    ready: async (p) => {
      await expect(p.getByTestId("plan-adaptive")).toContainText("pilot");
    },
  });
  await visit({ name: "resources-full", url: "/resources" });
  await visit({ name: "runs-full", url: "/runs" });
  const runReady = async (p: Page) => {
    await expect(p.getByTestId("gantt-canvas")).toBeVisible();
    await expect(p.getByTestId("occupancy")).toBeVisible({ timeout: 20_000 });
  };
  await visit({
    name: "run-finished",
    url: finished,
    ready: async (p) => {
      await runReady(p);
      await expect(p.getByTestId("stats-panel")).toBeVisible({ timeout: 30_000 });
    },
  });
  await visit({ name: "run-live", url: live, ready: runReady });
  await visit({ name: "account-full", url: "/account" });
  await visit({
    name: "runs-compare",
    url: `/runs/compare?id=${finished.split("/").pop()}&id=${live.split("/").pop()}`,
  });

  // leave nothing running behind
  await page.goto(live);
  const cancel = page.getByRole("button", { name: "Cancel run" });
  if (await cancel.isVisible()) await cancel.click();

  expect(problems, problems.join("\n")).toEqual([]);
});

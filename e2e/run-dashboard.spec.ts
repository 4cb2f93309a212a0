import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { addSlurmResource, launchRun, newAccount, scaledSc2014, signUpInBrowser, watch } from "./helpers";

// The live run page on real runs: a local pilot, and pilots on the loopback SLURM cluster where
// blacklight's submission is rejected. Every change must arrive without a reload.

const ARTIFACTS = "test-results/e2e-artifacts";

async function saveScreenshot(page: Page, info: TestInfo, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = `${ARTIFACTS}/${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  await info.attach(name, { path: file, contentType: "image/png" });
}

/** Counts navigations of the main frame from now on: a live page has none. */
function navigations(page: Page): () => number {
  let n = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) n += 1;
  });
  return () => n;
}

const snapshot = (page: Page, pilots: string[]) => async () => ({
  done: (await page.getByTestId("done-count").textContent()) ?? "",
  state: (await page.getByTestId("run-state").textContent()) ?? "",
  pilots: Object.fromEntries(
    await Promise.all(
      pilots.map(
        async (p) =>
          [
            p,
            (await page
              .getByTestId(`pilot-${p}`)
              .getAttribute("data-state")
              .catch(() => null)) ?? "none",
          ] as const,
      ),
    ),
  ),
});

const WAITING = ["NEW", "PMGR_LAUNCHING_PENDING", "PMGR_LAUNCHING", "PMGR_ACTIVE_PENDING"];

/** Moves the timeline's keyboard cursor down until the read-out names `label`; returns the read-out. */
async function focusPilot(page: Page, label: string): Promise<string> {
  const canvas = page.getByTestId("gantt-canvas");
  await canvas.focus();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("ArrowDown");
    const text = (await page.getByTestId("gantt-focus").textContent()) ?? "";
    if (text.startsWith(label)) return text;
  }
  throw new Error(`no pilot ${label} in the timeline`);
}

async function checkDownloads(page: Page, runPath: string): Promise<void> {
  const svg = await page.request.get(`/api${runPath}/download/timeline.svg`);
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  expect(await svg.text()).toContain("<svg xmlns=");
  const png = await page.request.get(`/api${runPath}/download/timeline.png?theme=dark`);
  expect(png.status()).toBe(200);
  expect(png.headers()["content-type"]).toBe("image/png");
  expect((await png.body()).subarray(1, 4).toString("latin1")).toBe("PNG");
  await expect(
    page.getByTestId("timeline-downloads").getByRole("link", { name: "timeline.svg" }),
  ).toHaveAttribute("href", `/api${runPath}/download/timeline.svg`);
}

test("[DASHBOARD] a local run updates live: pilot queued → active, tasks appear and finish, counts converge; SSE loss shows the banner and polling keeps up", async ({
  page,
  context,
}, info) => {
  test.setTimeout(240_000);
  await signUpInBrowser(page, newAccount("dash"));
  const runPath = await launchRun(page, scaledSc2014(2, 1));
  const navs = navigations(page);

  // watch from the start; meanwhile a second tab whose event stream is cut must say so and keep up by polling
  const pilot = "local";
  const watching = watch(
    snapshot(page, [pilot]),
    (s) => (s.state === "DONE" && s.done === "21 / 21") || s.state === "FAILED",
    { timeout: 180_000 },
  );
  const cut = await context.newPage();
  await cut.route(
    (u) => u.pathname.endsWith("/events") && !u.searchParams.has("once"),
    (r) => r.abort(),
  );
  await cut.goto(runPath);
  await expect(cut.getByTestId("live-banner")).toHaveAttribute("data-status", "polling", { timeout: 30_000 });
  await expect(cut.getByTestId("live-banner")).toContainText("Live updates stopped");
  const seen = await watching;
  expect(seen.at(-1)).toMatchObject({ state: "DONE", done: "21 / 21" });
  expect(navs()).toBe(0);
  const dones = [...new Set(seen.map((s) => s.done))];
  expect(
    dones.some((d) => /^([1-9]|1\d|20) \/ 21$/.test(d)),
    `intermediate counts: ${dones.join(", ")}`,
  ).toBe(true);
  const states = seen.map((s) => s.pilots[pilot]!);
  expect(states).toContain("PMGR_ACTIVE");
  expect(
    WAITING.some((w) => states.includes(w)) || (await focusPilot(page, "local")).includes("ACTIVE_PENDING"),
    `pilot states seen: ${states.join(" → ")}`,
  ).toBe(true);

  await expect(page.getByTestId("count-Stage_1-done")).toHaveText("20");
  await expect(page.getByTestId("count-Stage_2-done")).toHaveText("1");
  await expect(page.getByTestId("count-all-done")).toHaveText("21");
  await expect(page.getByTestId("count-all-waiting")).toHaveText("0");
  await expect(page.getByTestId("gantt-canvas")).toHaveAttribute("data-tasks", "21");
  await expect(page.getByTestId("occupancy").locator(".recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("occupancy-now")).toContainText("0 waiting, 0 executing");
  await expect(page.getByTestId("gantt-legend")).toContainText("pilot waiting");
  await expect(page.getByTestId("stats-report")).toContainText("21 tasks done, 0 failed");

  // the polling tab reached the same end without its stream
  await expect(cut.getByTestId("done-count")).toHaveText("21 / 21", { timeout: 30_000 });
  await cut.close();

  // keyboard: a pilot, then its first task, then Enter opens the task's details
  const pilotText = await focusPilot(page, "local");
  expect(pilotText).toContain("ACTIVE");
  await page.keyboard.press("]");
  await expect(page.getByTestId("gantt-focus")).toContainText(/Stage_\d_\d+ · Stage_\d · DONE/);
  await expect(page.getByTestId("gantt-tooltip")).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("task-detail")).toContainText("attempt 1 on local");

  await checkDownloads(page, runPath);
  await saveScreenshot(page, info, "run-dashboard-local-light");

  // dark theme: the page and the canvas both switch, and text keeps its contrast
  const paints = () =>
    page.evaluate(
      () =>
        (performance.getEntriesByName("gantt-paint")[0] as PerformanceMark | undefined)?.detail as
          { theme: number } | undefined,
    );
  const before = (await paints())?.theme ?? 0;
  await page.evaluate(() => {
    document.documentElement.dataset.theme = "dark";
  });
  await expect.poll(async () => (await paints())?.theme ?? 0).toBeGreaterThan(before);
  for (const theme of ["dark", "light"]) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    const ratio = await page.evaluate(() => {
      // resolve each variable to rgb() through a probe element, whatever notation the stylesheet uses
      const probe = document.body.appendChild(document.createElement("span"));
      const lum = (name: string) => {
        probe.style.color = `var(${name})`;
        const c = getComputedStyle(probe)
          .color.match(/[\d.]+/g)!
          .slice(0, 3)
          .map((x) => Number(x) / 255)
          .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
      };
      const pair = (a: string, b: string) => {
        const [x, y] = [lum(a), lum(b)];
        return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
      };
      const r = Math.min(pair("--text", "--panel"), pair("--muted", "--panel"), pair("--failed", "--panel"));
      probe.remove();
      return r;
    });
    expect(ratio, `${theme} theme contrast`).toBeGreaterThan(4.5);
    if (theme === "dark") await saveScreenshot(page, info, "run-dashboard-local-dark");
  }
});

test("[DASHBOARD] a run on the loopback SLURM cluster: stampede queued → active, blacklight rejected and drawn as failed, counts converge", async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await signUpInBrowser(page, newAccount("dash-slurm"));
  await addSlurmResource(page, "stampede", "stampede");
  await addSlurmResource(page, "blacklight", "blacklight");
  // The plan page has no queue picker: the AIMES plan puts each resource's pilot on the cluster's
  // default partition, so the launch request is edited to send blacklight's pilot to its own.
  const runPath = await launchRun(page, scaledSc2014(1, 1), {
    resources: ["stampede", "blacklight"],
    strategy: "aimes",
    editLaunch: (body) => body.replace(/("resource":"blacklight","queue":)(null|"[^"]*")/, '$1"blacklight"'),
  });
  const navs = navigations(page);
  const seen = await watch(
    snapshot(page, ["stampede", "blacklight"]),
    (s) => (s.state === "DONE" && s.done === "21 / 21") || ["FAILED", "CANCELED"].includes(s.state),
    { timeout: 240_000 },
  );
  expect(navs()).toBe(0);
  const last = seen.at(-1)!;
  expect(last).toMatchObject({ state: "DONE", done: "21 / 21" });
  const stampede = seen.map((s) => s.pilots.stampede!);
  const firstActive = stampede.indexOf("PMGR_ACTIVE");
  expect(firstActive, `stampede: ${stampede.join(" → ")}`).toBeGreaterThanOrEqual(0);
  // The loopback SLURM starts a job within a second, sometimes before the page's first snapshot:
  // then the queued phase is not seen live, but it is still drawn (the pilot's queue wait).
  if (firstActive === 0) expect(await focusPilot(page, "stampede")).toMatch(/waited .* in the queue/);
  else
    expect(
      stampede.slice(0, firstActive).some((s) => WAITING.includes(s)),
      `stampede: ${stampede.join(" → ")}`,
    ).toBe(true);
  expect(seen.some((s) => /^([1-9]|1\d|20) \/ 21$/.test(s.done))).toBe(true);
  expect(last.pilots.blacklight).toBe("FAILED");
  await expect(page.getByTestId("pilot-blacklight").getByTestId("pilot-reason")).toContainText(
    /sbatch|partition/i,
  );
  await expect(page.getByTestId("pilot-blacklight")).toContainText("never active");
  await expect(page.getByTestId("count-all-done")).toHaveText("21");
  const text = await focusPilot(page, "blacklight");
  expect(text).toMatch(/never active|waited .* then FAILED/);
  expect(text).toContain("FAILED");
  const svg = await (await page.request.get(`/api${runPath}/download/timeline.svg`)).text();
  expect(svg).toContain("never active: FAILED");
  await saveScreenshot(page, info, "run-dashboard-slurm");
});

import { expect, test } from "@playwright/test";
import { launchRun, scaledSc2014, signedInContext } from "./helpers";
import { appRoutes } from "./routes";

test("[ACCESS] every page and route refuses a request without a session", async ({ request }) => {
  const routes = appRoutes();
  expect(routes.length).toBeGreaterThan(5);
  for (const r of routes) {
    if (r.kind === "page") {
      const res = await request.get(r.url, { maxRedirects: 0 });
      expect.soft([302, 303, 307, 308], `${r.url} should redirect to sign-in`).toContain(res.status());
      expect.soft(res.headers()["location"] ?? "", r.url).toContain("/signin");
    } else {
      for (const method of ["GET", "POST", "DELETE"] as const) {
        const res = await request.fetch(r.url, { method, maxRedirects: 0 });
        expect.soft(res.status(), `${method} ${r.url} without a session`).toBe(401);
      }
    }
  }
});

test("[ACCESS] user B cannot see or use user A's records through HTTP", async ({ browser }) => {
  const a = await signedInContext(browser, "owner-a");
  const b = await signedInContext(browser, "owner-b");
  const listA = (await (await a.ctx.request.get("/api/resources")).json()) as {
    resources: { id: string; label: string }[];
  };
  const localA = listA.resources.find((r) => r.label === "local");
  expect(localA).toBeDefined();
  expect((await a.ctx.request.get(`/api/resources/${localA?.id}`)).status()).toBe(200);
  const asB = await b.ctx.request.get(`/api/resources/${localA?.id}`);
  expect(asB.status()).toBe(404);
  const listB = (await (await b.ctx.request.get("/api/resources")).json()) as { resources: { id: string }[] };
  expect(listB.resources.map((r) => r.id)).not.toContain(localA?.id);
  await a.ctx.close();
  await b.ctx.close();
});

test("[ACCESS] user B gets nothing of A's run: page, event stream, timeline, task, and the cancel controls", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const a = await signedInContext(browser, "run-owner");
  const runPath = await launchRun(a.page, scaledSc2014(3, 1));
  const id = runPath.split("/").pop()!;
  // A's own "Cancel" click is caught before it reaches the server: its exact request is what B replays
  let captured: { headers: Record<string, string>; body: string } | null = null;
  await a.page.route(runPath, async (route) => {
    const req = route.request();
    if (req.method() !== "POST" || !req.headers()["next-action"]) return route.continue();
    captured = { headers: req.headers(), body: req.postData() ?? "" };
    await route.abort();
  });
  await a.page
    .getByRole("button", { name: /^Cancel pilot/ })
    .first()
    .click({ timeout: 30_000 });
  await expect.poll(() => captured !== null).toBe(true);
  await a.page.unroute(runPath);

  const b = await signedInContext(browser, "run-intruder");
  await b.page.goto(runPath);
  await expect(b.page.getByRole("heading", { name: "Not found" })).toBeVisible();
  for (const url of [
    `/api/runs/${id}/events`,
    `/api/runs/${id}/events?once=1`,
    `/api/runs/${id}/download/timeline.svg`,
    `/api/runs/${id}/download/timeline.png`,
    `/api/runs/${id}/download/archive`,
    `/api/runs/${id}/tasks/Stage_1_0`,
  ]) {
    expect((await b.ctx.request.get(url)).status(), url).toBe(404);
  }
  const c = captured as { headers: Record<string, string>; body: string } | null;
  const replay = await b.ctx.request.post(runPath, {
    headers: {
      "next-action": c!.headers["next-action"]!,
      "content-type": c!.headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: "text/x-component",
    },
    data: c!.body,
  });
  expect(await replay.text()).toContain("NOT_FOUND");
  // and A's run was not touched: it finishes with every pilot's work done, nothing cancelled
  await expect(a.page.getByTestId("run-state")).toHaveText("DONE", { timeout: 120_000 });
  await expect(a.page.getByTestId("done-count")).toHaveText("21 / 21");
  await a.ctx.close();
  await b.ctx.close();
});

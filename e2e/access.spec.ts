import { expect, test } from "@playwright/test";
import { signedInContext } from "./helpers";
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
  const listA = (await (await a.ctx.request.get("/api/resources")).json()) as { resources: { id: string; label: string }[] };
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

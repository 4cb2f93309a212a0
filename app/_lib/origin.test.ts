import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { crossOriginRefusal } from "./origin";

const h = (o: Record<string, string>) => new Headers(o);

describe("crossOriginRefusal", () => {
  it("lets reads and same-origin writes through", () => {
    expect(
      crossOriginRefusal("GET", h({ origin: "https://evil.example", host: "em.lab:3000" }), undefined),
    ).toBeNull();
    expect(
      crossOriginRefusal("POST", h({ origin: "http://em.lab:3000", host: "em.lab:3000" }), undefined),
    ).toBeNull();
    expect(
      crossOriginRefusal(
        "DELETE",
        h({ origin: "https://em.example.org", host: "127.0.0.1:3000" }),
        "https://em.example.org",
      ),
    ).toBeNull();
    // curl and the CLI send no Origin and no Sec-Fetch-Site
    expect(crossOriginRefusal("POST", h({ host: "em.lab:3000" }), undefined)).toBeNull();
  });
  it("refuses writes from another origin, a null origin, or a browser's cross-site request without Origin", () => {
    expect(
      crossOriginRefusal("POST", h({ origin: "https://evil.example", host: "em.lab:3000" }), undefined),
    ).toMatch(/evil\.example is not this server/);
    expect(
      crossOriginRefusal("POST", h({ origin: "http://em.lab:3001", host: "em.lab:3000" }), undefined),
    ).toMatch(/not this server/);
    expect(crossOriginRefusal("PUT", h({ origin: "null", host: "em.lab:3000" }), undefined)).toMatch(
      /not a URL/,
    );
    expect(
      crossOriginRefusal("PATCH", h({ "sec-fetch-site": "cross-site", host: "em.lab:3000" }), undefined),
    ).toMatch(/cross-site/);
  });
});

describe("proxy.ts", () => {
  it("answers a cross-origin text/plain POST to /api/skeletons with 403 before anything else", async () => {
    const req = new NextRequest("http://127.0.0.1:3000/api/skeletons", {
      method: "POST",
      headers: { origin: "https://evil.example", host: "127.0.0.1:3000", "content-type": "text/plain" },
      body: JSON.stringify({ name: "x", text: "y" }),
    });
    const res = await proxy(req);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("CROSS_ORIGIN");
  });
  it("refuses a cross-origin sign-out or sign-in POST too", async () => {
    const req = new NextRequest("http://127.0.0.1:3000/api/auth/signout", {
      method: "POST",
      headers: { origin: "https://evil.example", host: "127.0.0.1:3000" },
    });
    expect((await proxy(req)).status).toBe(403);
  });
});

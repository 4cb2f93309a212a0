import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";

describe("security headers (next.config.ts)", () => {
  it("sends CSP with frame-ancestors 'none', X-Frame-Options, nosniff and Referrer-Policy on every path", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*");
    const map = Object.fromEntries((all?.headers ?? []).map((x) => [x.key, x.value]));
    expect(map["Content-Security-Policy"]).toMatch(/frame-ancestors 'none'/);
    expect(map["Content-Security-Policy"]).toMatch(/object-src 'none'/);
    expect(map["Content-Security-Policy"]).not.toMatch(/unsafe-eval/);
    expect(map["X-Frame-Options"]).toBe("DENY");
    expect(map["X-Content-Type-Options"]).toBe("nosniff");
    expect(map["Referrer-Policy"]).toBe("same-origin");
  });
});

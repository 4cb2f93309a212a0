import { describe, expect, it } from "vitest";
import { oversizedAction, readBody, readForm, readJson } from "./body";

/** A chunked request: a stream body, no Content-Length, as `curl -T -` or a streaming fetch sends it. */
function chunked(
  chunks: number,
  size: number,
  headers: Record<string, string> = {},
): { req: Request; pulled: () => number } {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent === chunks) return c.close();
      sent += 1;
      c.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  const req = new Request("http://x/api/skeletons", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
  return { req, pulled: () => sent };
}

describe("bounded body reader", () => {
  it("cuts a chunked body over the limit while reading and answers 413 with the limit", async () => {
    const { req, pulled } = chunked(1000, 64 * 1024); // 64 MB offered
    expect(req.headers.get("content-length")).toBeNull();
    const r = await readBody(req, 1 << 20, "Skeleton uploads");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.response.status).toBe(413);
    expect(await r.response.json()).toEqual({
      error: { code: "TOO_LARGE", message: "Skeleton uploads are limited to 1 MiB." },
    });
    expect(pulled()).toBeLessThan(40); // stopped after the limit, not after 64 MB
  });

  it("refuses a declared length over the limit before reading", async () => {
    const req = new Request("http://x", {
      method: "POST",
      body: "x".repeat(3000),
      headers: { "content-length": "3000" },
    });
    const r = await readJson(req, 2048);
    expect(r.ok || r.response.status).toBe(413);
  });

  it("reads chunked bodies under the limit, as JSON or as a form", async () => {
    const { req } = chunked(4, 1000);
    const b = await readBody(req, 1 << 20);
    expect(b.ok && b.value.byteLength).toBe(4000);
    const j = await readJson(
      new Request("http://x", { method: "POST", body: JSON.stringify({ name: "a", text: "b" }) }),
      1024,
    );
    expect(j.ok && j.value).toEqual({ name: "a", text: "b" });
    const fd = new FormData();
    fd.set("file", new File(["Num_Stage = 1"], "s.input"));
    const f = await readForm(new Request("http://x", { method: "POST", body: fd }), 1024);
    expect(f.ok && (f.value.get("file") as File).name).toBe("s.input");
    const bad = await readJson(new Request("http://x", { method: "POST", body: "{nope" }), 1024);
    expect(bad.ok || bad.response.status).toBe(400);
  });

  it("answers an oversized or length-less server action with 413/411, never letting Next answer 500", async () => {
    const post = (h: Record<string, string>) =>
      new Request("http://x/account", { method: "POST", headers: { "next-action": "abc", ...h } });
    const big = oversizedAction(post({ "content-length": String(50 << 20) }), 2 << 20);
    expect(big?.status).toBe(413);
    expect(await big?.json()).toEqual({
      error: { code: "TOO_LARGE", message: "Form submissions are limited to 2 MiB." },
    });
    expect(oversizedAction(post({}), 2 << 20)?.status).toBe(411);
    expect(oversizedAction(post({ "content-length": "1000" }), 2 << 20)).toBeNull();
    expect(
      oversizedAction(
        new Request("http://x/api/skeletons", {
          method: "POST",
          headers: { "content-length": String(50 << 20) },
        }),
        2 << 20,
      ),
    ).toBeNull();
  });
});

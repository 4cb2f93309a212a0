/**
 * Request bodies read with a byte limit, for every route handler that reads one. The bytes are
 * counted while they arrive, so a chunked body (no Content-Length) is cut at the limit instead of
 * being buffered whole; a declared length over the limit is refused before reading anything.
 * Over the limit: 413 with a JSON message saying the limit.
 */

export type BodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

const kib = (n: number) =>
  n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(n % (1 << 20) ? 1 : 0)} MiB` : `${Math.round(n / 1024)} KiB`;

export function tooLarge(limit: number, what = "Request bodies"): Response {
  return Response.json(
    { error: { code: "TOO_LARGE", message: `${what} are limited to ${kib(limit)}.` } },
    { status: 413 },
  );
}

function badRequest(message: string): Response {
  return Response.json({ error: { code: "BAD_REQUEST", message } }, { status: 400 });
}

/** The raw body, at most `limit` bytes. */
export async function readBody(
  req: Request,
  limit: number,
  what?: string,
): Promise<BodyResult<Uint8Array<ArrayBuffer>>> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return { ok: false, response: tooLarge(limit, what) };
  if (!req.body) return { ok: true, value: new Uint8Array() };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // stop reading: the rest of the upload is never buffered
      await reader.cancel().catch(() => undefined);
      return { ok: false, response: tooLarge(limit, what) };
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, value: out };
}

/** A JSON body (unvalidated: the caller parses it with its zod schema). */
export async function readJson(req: Request, limit: number, what?: string): Promise<BodyResult<unknown>> {
  const b = await readBody(req, limit, what);
  if (!b.ok) return b;
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(b.value)) as unknown };
  } catch {
    return { ok: false, response: badRequest("The body is not valid JSON.") };
  }
}

/** A multipart or urlencoded form body. */
export async function readForm(req: Request, limit: number, what?: string): Promise<BodyResult<FormData>> {
  const b = await readBody(req, limit, what);
  if (!b.ok) return b;
  try {
    const form = await new Response(b.value, {
      headers: { "content-type": req.headers.get("content-type") ?? "" },
    }).formData();
    return { ok: true, value: form };
  } catch {
    return { ok: false, response: badRequest("The body is not a valid form.") };
  }
}

/**
 * Server actions: Next reads their bodies itself and answers 500 when one is over
 * `serverActions.bodySizeLimit` (a TODO in Next's action handler). The proxy calls this first: a
 * POST carrying a `Next-Action` header whose declared length is over the limit, or that declares
 * none (browsers always send a length for an action's fetch), gets the 413 here.
 */
export function oversizedAction(req: Request, limit: number): Response | null {
  if (req.method !== "POST" || !req.headers.has("next-action")) return null;
  const declared = req.headers.get("content-length");
  if (declared === null)
    return Response.json(
      { error: { code: "LENGTH_REQUIRED", message: "Server action requests must declare their length." } },
      { status: 411 },
    );
  return Number(declared) > limit ? tooLarge(limit, "Form submissions") : null;
}

/** The server actions' body limit, in bytes; `next.config.ts` sets the same value for Next. */
export const ACTION_BODY_LIMIT = 2 << 20;

/**
 * Cross-site request forgery guard for every state-changing request (route handlers included; Next
 * already checks server actions the same way). A browser sends `Origin` with every POST, PUT,
 * PATCH and DELETE; it must name this server: the Host it was sent to (or `x-forwarded-host`, as
 * Next's own action check reads it; a page on another site cannot set either header without a
 * CORS preflight, which we never grant) or the public URL (NEXTAUTH_URL). A request without
 * `Origin` is not from a browser form or fetch (curl, the CLI) unless `Sec-Fetch-Site` says it is
 * cross-site, which is refused too. Returns null when the request may go on, else why not.
 */
export interface HeaderReader {
  get(name: string): string | null;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function crossOriginRefusal(
  method: string,
  headers: HeaderReader,
  publicUrl: string | undefined,
): string | null {
  if (SAFE.has(method.toUpperCase())) return null;
  const origin = headers.get("origin");
  if (origin === null) {
    const site = headers.get("sec-fetch-site");
    return site === "cross-site" || site === "same-site" ? `a ${site} request without Origin` : null;
  }
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return `Origin ${JSON.stringify(origin.slice(0, 100))} is not a URL`;
  }
  const ours = [headers.get("x-forwarded-host"), headers.get("host"), publicHost(publicUrl)]
    .filter((h): h is string => !!h)
    .map((h) => h.split(",")[0]!.trim().toLowerCase());
  return ours.includes(host) ? null : `Origin ${origin.slice(0, 100)} is not this server`;
}

function publicHost(url: string | undefined): string | null {
  try {
    return url ? new URL(url).host : null;
  } catch {
    return null;
  }
}

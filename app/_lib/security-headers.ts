/**
 * Response headers for every page and route (next.config.ts `headers()`).
 * - CSP: scripts, styles, images and connections from this origin only; no plugins, no <base>
 *   rewriting, forms post only here, and no framing (`frame-ancestors 'none'`, with
 *   X-Frame-Options for older browsers), so signed-in pages cannot be clickjacked.
 *   Scripts keep 'unsafe-inline' because Next's app router streams its payload in inline
 *   <script> tags; a per-request nonce would force every page to render dynamically (the sign-in
 *   pages are static), so it is left for later. Inline style attributes (React `style`) need
 *   'unsafe-inline' for styles. `next dev` also needs 'unsafe-eval'.
 * - nosniff, so a download or an uploaded text is never run as script or style;
 * - Referrer-Policy: run and resource ids in our URLs do not leak to other sites.
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(dev: boolean): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "same-origin" },
  ];
}

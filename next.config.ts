import type { NextConfig } from "next";
import { securityHeaders } from "./app/_lib/security-headers";

const nextConfig: NextConfig = {
  // ssh2 ships a native addon (optional cpu-features) that the bundler cannot follow;
  // better-sqlite3 and the Prisma adapter load native code too. Keep them as plain requires.
  serverExternalPackages: [
    "ssh2",
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "nodemailer",
    "@resvg/resvg-js",
  ],
  poweredByHeader: false,
  // EMANAGER_DIST_DIR lets two checkouts' test servers build side by side without clobbering
  // one another's output (default .next).
  distDir: process.env.EMANAGER_DIST_DIR ?? ".next",
  // Type errors are caught by `tsc --noEmit` over the whole project (the first suite of
  // `npm test`); checking again inside every build only doubles the build time.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // server-action bodies: the same 2 MiB as ACTION_BODY_LIMIT in app/_lib/body.ts, which proxy.ts
  // enforces first (Next itself answers an oversized one with 500, not 413)
  experimental: { serverActions: { bodySizeLimit: "2mb" } },
  // CSP, frame-ancestors/X-Frame-Options, nosniff, Referrer-Policy on every response (app/_lib/security-headers.ts)
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env.NODE_ENV === "development") }];
  },
};

export default nextConfig;

import type { NextConfig } from "next";
import { securityHeaders } from "./app/_lib/security-headers";

const nextConfig: NextConfig = {
  // ssh2 ships a native addon (optional cpu-features) that the bundler cannot follow;
  // better-sqlite3 and the Prisma adapter load native code too. Keep them as plain requires.
  serverExternalPackages: ["ssh2", "better-sqlite3", "@prisma/adapter-better-sqlite3", "nodemailer", "@resvg/resvg-js"],
  poweredByHeader: false,
  // EMANAGER_DIST_DIR lets two checkouts' test servers build side by side without clobbering
  // one another's output (default .next).
  distDir: process.env.EMANAGER_DIST_DIR ?? ".next",
  // Type errors are caught by `tsc --noEmit` over the whole project (the first suite of
  // `npm test`); checking again inside every build only doubles the build time.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // CSP, frame-ancestors/X-Frame-Options, nosniff, Referrer-Policy on every response (app/_lib/security-headers.ts)
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env.NODE_ENV === "development") }];
  },
};

export default nextConfig;

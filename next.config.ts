import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // ssh2 ships a native addon (optional cpu-features) that the bundler cannot follow;
  // better-sqlite3 and the Prisma adapter load native code too. Keep them as plain requires.
  serverExternalPackages: ["ssh2", "better-sqlite3", "@prisma/adapter-better-sqlite3", "nodemailer"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;

import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

// Every page and route needs a session except these. Pages and handlers check again
// server-side (requireUser/apiUser); this only turns the unauthenticated away early.
const PUBLIC = [/^\/signin$/, /^\/signup$/, /^\/api\/auth\//, /^\/api\/health$/, /^\/_next\//, /^\/(?:favicon\.ico|icon\.svg|icon-192\.png|manifest\.webmanifest)$/];

export async function proxy(req: NextRequest): Promise<NextResponse> {
  const { pathname } = req.nextUrl;
  if (PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "UNAUTHENTICATED", message: "Sign in first." } }, { status: 401 });
  }
  const url = new URL("/signin", req.url);
  if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + req.nextUrl.search);
  return NextResponse.redirect(url);
}

export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };

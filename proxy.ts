import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { ACTION_BODY_LIMIT, oversizedAction } from "./app/_lib/body";
import { crossOriginRefusal } from "./app/_lib/origin";

// Every page and route needs a session except these. Pages and handlers check again
// server-side (requireUser/apiUser, which also compare the session version: a signed-out token
// still passes here, since this check needs no database); this only turns the unauthenticated away early.
const PUBLIC = [
  /^\/signin$/,
  /^\/signup$/,
  /^\/api\/auth\//,
  /^\/api\/health$/,
  /^\/_next\//,
  /^\/(?:favicon\.ico|icon\.svg|icon-192\.png|manifest\.webmanifest)$/,
];

export async function proxy(req: NextRequest): Promise<NextResponse> {
  const { pathname } = req.nextUrl;
  // Next answers an oversized server-action body with 500; refuse it here with 413 and a message
  const tooBig = oversizedAction(req, ACTION_BODY_LIMIT);
  if (tooBig) return new NextResponse(tooBig.body, { status: tooBig.status, headers: tooBig.headers });
  // Cross-site forgery: every state-changing request, signed in or not, to any page or route
  // (one place, so a new route handler cannot forget it).
  const refused = crossOriginRefusal(req.method, req.headers, process.env.NEXTAUTH_URL);
  if (refused) {
    return NextResponse.json(
      {
        error: {
          code: "CROSS_ORIGIN",
          message: `Refused: ${refused}. State-changing requests must come from EManager's own pages.`,
        },
      },
      { status: 403 },
    );
  }
  if (PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  const token = await getToken({
    req,
    secret: process.env.NEXTAUTH_SECRET,
    secureCookie: (process.env.NEXTAUTH_URL ?? "").startsWith("https://"),
  });
  if (token) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json(
      { error: { code: "UNAUTHENTICATED", message: "Sign in first." } },
      { status: 401 },
    );
  }
  const url = new URL("/signin", req.url);
  if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + req.nextUrl.search);
  return NextResponse.redirect(url);
}

export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };

import NextAuth from "next-auth";
import { authOptions } from "@/app/_lib/auth-options";

// GET/POST /api/auth/* - next-auth's sign-in, sign-out, session and CSRF endpoints
async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  const h = NextAuth(authOptions()) as (
    req: Request,
    ctx: { params: Promise<{ nextauth: string[] }> },
  ) => Promise<Response>;
  return h(req, ctx);
}
export { handler as GET, handler as POST };

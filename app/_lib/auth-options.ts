import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { clientAddress, trustProxyFromEnv, type HeaderBag } from "@/lib/auth/client-address";
import { lockoutMessage } from "@/lib/auth/throttle";
import { serverSecret } from "@/lib/config/secret";
import { db } from "@/lib/db/client";
import { attemptSignIn } from "@/lib/db/sign-in";
import { bumpSessionVersion } from "@/lib/db/users";

/** Cookies only over TLS when the public URL is https (next-auth's own default, made explicit). */
export function secureCookiesFor(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.NEXTAUTH_URL ?? "").startsWith("https://");
}

/**
 * Credentials (e-mail + bcrypt-hashed password) with JWT sessions: no session table to keep. The
 * token carries the account's session version (`sv`); sign-out bumps it in the database, and
 * app/_lib/session.ts refuses a token whose version is older, so a copied cookie dies with the
 * sign-out instead of living out its 7 days.
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: serverSecret(),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    useSecureCookies: secureCookiesFor(),
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: {
          email: { label: "E-mail", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const address = clientAddress((req.headers ?? {}) as HeaderBag, trustProxyFromEnv(process.env));
          const r = await attemptSignIn(db(), credentials ?? {}, address);
          // next-auth hands a thrown message to the form as `error`; a plain wrong password stays anonymous
          if (!r.ok && r.lockedUntil) throw new Error(lockoutMessage(r.lockedUntil));
          if (!r.ok) return null;
          return {
            id: r.user.id,
            email: r.user.email,
            name: r.user.name,
            role: r.user.role,
            sv: r.user.sessionVersion,
          };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const u = user as { id: string; role?: string; sv?: number };
          token.uid = u.id;
          token.role = u.role ?? "user";
          token.sv = u.sv ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) {
          session.user.id = typeof token.uid === "string" ? token.uid : "";
          session.user.role = typeof token.role === "string" ? token.role : "user";
          session.user.sv = typeof token.sv === "number" ? token.sv : -1;
        }
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.uid === "string") await bumpSessionVersion(db(), token.uid);
      },
    },
  };
}

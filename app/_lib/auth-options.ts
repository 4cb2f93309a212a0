import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { serverSecret } from "@/lib/config/secret";
import { db } from "@/lib/db/client";
import { checkCredentials } from "@/lib/db/users";

/** Credentials (e-mail + bcrypt-hashed password) with JWT sessions: no session table to keep. */
export function authOptions(): NextAuthOptions {
  return {
    secret: serverSecret(),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          const user = await checkCredentials(db(), credentials ?? {});
          return user ? { id: user.id, email: user.email, name: user.name, role: user.role } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = (user as { role?: string }).role ?? "user";
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) {
          session.user.id = typeof token.uid === "string" ? token.uid : "";
          session.user.role = typeof token.role === "string" ? token.role : "user";
        }
        return session;
      },
    },
  };
}

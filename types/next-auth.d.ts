import "next-auth";

declare module "next-auth" {
  interface Session {
    /** sv: the account's session version when the token was issued (-1: a token from before versions) */
    user: {
      id: string;
      role: string;
      sv: number;
      email?: string | null;
      name?: string | null;
      image?: string | null;
    };
  }
}

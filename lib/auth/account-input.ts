import { z } from "zod";
import { isCommonPassword } from "./common-passwords";

/** Sign-up and sign-in input. Limits keep a pasted novel out of the database and bcrypt. */
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "E-mail address is too long (254 characters at most).")
  .email("Enter a valid e-mail address, like ada@example.org.");

export const ZPassword = z
  .string()
  .min(8, "Password must be at least 8 characters.")
  // bcrypt only looks at the first 72 bytes; longer would silently be truncated.
  .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "Password is too long (72 bytes at most).");

export const ZSignUpInput = z.object({
  email: ZEmail,
  name: z.string().trim().max(100, "Name is too long (100 characters at most).").optional().default(""),
  password: ZPassword.refine(
    (p) => !isCommonPassword(p),
    "This password is one of the most common ones, the first an attacker tries. Choose another.",
  ),
});
export type TSignUpInput = z.infer<typeof ZSignUpInput>;

export const ZSignInInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
});

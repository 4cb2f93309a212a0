import { z } from "zod";

/**
 * Per-user run-end notification settings. Off by default. The SMTP server is the
 * installation's (env), the recipient and webhook are the user's.
 */
export const ZNotifySettings = z
  .object({
    notifyOnRunEnd: z.boolean(),
    notifyEmail: z.union([z.literal(""), z.string().trim().max(254).email("Enter a valid e-mail address.")]),
    notifyWebhook: z.union([
      z.literal(""),
      z
        .string()
        .trim()
        .max(2000, "The webhook URL is too long.")
        .url("Enter a full URL, like https://hooks.example.org/emanager.")
        .refine((u) => /^https?:\/\//.test(u), "The webhook must be an http:// or https:// URL."),
    ]),
  })
  .refine((s) => !s.notifyOnRunEnd || s.notifyEmail !== "" || s.notifyWebhook !== "", {
    message: "Give an e-mail address or a webhook URL to be notified.",
    path: ["notifyOnRunEnd"],
  });
export type TNotifySettings = z.infer<typeof ZNotifySettings>;

/** SMTP configuration from the environment; null when e-mail is not set up on this install. */
export const ZSmtpEnv = z.object({
  EMANAGER_SMTP_URL: z.string().url().optional(),
  EMANAGER_SMTP_FROM: z.string().default("EManager <emanager@localhost>"),
});

export function smtpFromEnv(env: NodeJS.ProcessEnv): { url: string; from: string } | null {
  const p = ZSmtpEnv.safeParse(env);
  if (!p.success || !p.data.EMANAGER_SMTP_URL) return null;
  return { url: p.data.EMANAGER_SMTP_URL, from: p.data.EMANAGER_SMTP_FROM };
}

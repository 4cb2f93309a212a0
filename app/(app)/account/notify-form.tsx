"use client";
import { useState, type FormEvent } from "react";
import type { TNotifySettings } from "@/lib/notify/settings";
import { saveNotifySettingsAction } from "./actions";

export function NotifyForm({
  initial,
  smtpConfigured,
}: {
  initial: TNotifySettings;
  smtpConfigured: boolean;
}) {
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    const r = await saveNotifySettingsAction({
      notifyOnRunEnd: f.get("notifyOnRunEnd") === "on",
      notifyEmail: String(f.get("notifyEmail") ?? ""),
      notifyWebhook: String(f.get("notifyWebhook") ?? ""),
    });
    setBusy(false);
    setMsg(r.ok ? { ok: true, text: "Saved." } : { ok: false, text: r.error.message });
  }
  return (
    <form className="stack" onSubmit={onSubmit} style={{ maxWidth: 520 }}>
      <label style={{ flexDirection: "row", alignItems: "center", gap: "0.5rem" }}>
        <input type="checkbox" name="notifyOnRunEnd" defaultChecked={initial.notifyOnRunEnd} /> Notify me when
        a run ends
      </label>
      <label>
        E-mail{" "}
        {smtpConfigured ? null : (
          <span className="muted">(this server has no SMTP set up: EMANAGER_SMTP_URL)</span>
        )}
        <input name="notifyEmail" type="email" defaultValue={initial.notifyEmail} maxLength={254} />
      </label>
      <label>
        Webhook URL{" "}
        <span className="muted">
          (receives a JSON POST; public addresses only, redirects are not followed)
        </span>
        <input name="notifyWebhook" type="url" defaultValue={initial.notifyWebhook} maxLength={2000} />
      </label>
      {msg ? <p className={msg.ok ? "notice" : "notice error"}>{msg.text}</p> : null}
      <button className="btn primary" type="submit" disabled={busy}>
        Save notification settings
      </button>
    </form>
  );
}

"use client";
import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { safeCallbackPath } from "@/lib/auth/callback-url";

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const r = await signIn("credentials", {
        email: String(f.get("email") ?? ""),
        password: String(f.get("password") ?? ""),
        redirect: false,
      });
      // a lockout comes back as its own message ("too many failed sign-ins; try again after HH:MM UTC")
      if (!r || r.error)
        setError(r?.error?.startsWith("too many failed sign-ins") ? r.error : "Wrong e-mail or password.");
      else router.push(safeCallbackPath(params.get("callbackUrl")));
    } catch {
      setError("The server could not be reached. Check that EManager is running and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit}>
      <label>
        E-mail
        <input name="email" type="email" autoComplete="email" required maxLength={254} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <button className="btn primary" type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

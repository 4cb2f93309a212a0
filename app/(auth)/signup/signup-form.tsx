"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { signUpAction } from "./actions";

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[] | undefined>>({});
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const input = {
      email: String(f.get("email") ?? ""),
      name: String(f.get("name") ?? ""),
      password: String(f.get("password") ?? ""),
    };
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const r = await signUpAction(input);
      if (!r.ok) {
        setError(r.error.message);
        setFieldErrors(r.error.fieldErrors ?? {});
        return;
      }
      // Also for an address that already had an account (the server answers the same): then this
      // signs in only with that account's own password, and otherwise fails like any wrong password.
      const s = await signIn("credentials", {
        email: input.email,
        password: input.password,
        redirect: false,
      });
      if (s?.error)
        setError(
          s.error.startsWith("too many failed sign-ins")
            ? s.error
            : "Signing in with this e-mail and password failed. If you already have an account, sign in with its password.",
        );
      else router.push("/runs");
    } catch {
      setError("The server could not be reached. Check that EManager is running and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <label>
        E-mail
        <input name="email" type="email" autoComplete="email" required maxLength={254} />
        {fieldErrors.email ? <span className="field-error">{fieldErrors.email[0]}</span> : null}
      </label>
      <label>
        Name <span className="muted">(optional)</span>
        <input name="name" autoComplete="name" maxLength={100} />
        {fieldErrors.name ? <span className="field-error">{fieldErrors.name[0]}</span> : null}
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          aria-describedby="password-rules"
        />
        {/* the rules of lib/auth/account-input.ts, said before the user can fail them */}
        <span
          id="password-rules"
          className="muted"
          style={{ fontWeight: 400, fontSize: "0.85rem" }}
          data-testid="password-rules"
        >
          8 to 72 characters, and not one of the most common passwords (such as &ldquo;password1&rdquo;). A
          few unrelated words make a good one.
        </span>
        {fieldErrors.password ? <span className="field-error">{fieldErrors.password[0]}</span> : null}
      </label>
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <button className="btn primary" type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create account"}
      </button>
    </form>
  );
}

"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";

type Result = { ok: true; value: { name: string } } | { ok: false; error: { message: string } };

/**
 * A delete that asks first (the question says what goes with it), then leaves for `then` on
 * success, or says why it was refused (e.g. a run still uses the skeleton).
 */
export function DeleteButton({
  label,
  question,
  action,
  then,
  testId,
}: {
  label: string;
  question: string;
  action: () => Promise<Result>;
  then: string;
  testId?: string;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span className="row" style={{ gap: 8 }}>
      <button
        className="btn danger"
        type="button"
        disabled={busy}
        data-testid={testId}
        onClick={async () => {
          if (!window.confirm(question)) return;
          setBusy(true);
          const r = await action();
          setBusy(false);
          if (r.ok) router.push(then);
          else setMessage(r.error.message);
        }}
      >
        {label}
      </button>
      {message ? (
        <span
          className="notice error wrap-any"
          role="alert"
          data-testid={testId ? `${testId}-error` : undefined}
        >
          {message}
        </span>
      ) : null}
    </span>
  );
}

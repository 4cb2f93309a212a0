"use client";
import { useState } from "react";
import { startDemoAction } from "@/app/_lib/demo-action";

export function DemoButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="row">
      <button
        type="button"
        className="btn primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const r = await startDemoAction();
          setBusy(false);
          if (r && !r.ok) setError(r.error.message);
        }}
      >
        {busy ? "Starting the demo…" : "Try the SC2014 demo"}
      </button>
      {error ? <span className="error" role="alert">{error}</span> : null}
    </span>
  );
}

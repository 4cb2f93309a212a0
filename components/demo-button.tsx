"use client";
import { useState } from "react";
import { startDemoAction } from "@/app/_lib/demo-action";

/** What the demo adds (on the test cluster's machines when it is up, else on `local`) to the account, said before it does (the button's title and its question). */
export function demoAdds(machines: readonly string[]): string {
  return machines.length
    ? `This adds to your account the SC2014 demo skeleton (2 stages, 21 tasks) and ${machines.length} SSH resources, ${machines.join(", ")} (partitions of this server's test cluster), unless you have them already, then launches the demo run on them.`
    : "This adds to your account the SC2014 demo skeleton (2 stages, 21 tasks), unless you have it already, then launches the demo run on your local resource (this server's test cluster is not set up).";
}

/** `machines`: the demo's SSH resources when this server's test cluster is up, else none. */
export function DemoButton({ machines }: { machines: readonly string[] }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const what = demoAdds(machines);
  return (
    <span className="row">
      <button
        type="button"
        className="btn primary"
        disabled={busy}
        title={what}
        onClick={async () => {
          if (!window.confirm(`${what}\n\nStart the demo?`)) return;
          setBusy(true);
          setError(null);
          const r = await startDemoAction();
          setBusy(false);
          if (r && !r.ok) setError(r.error.message);
        }}
      >
        {busy ? "Starting the demo…" : "Try the SC2014 demo"}
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { acceptHostKeyAction, testConnectionAction } from "@/app/(app)/resources/actions";
import type { ProbeOutcome } from "@/lib/resources/admin";

export function TestConnection({ resourceId }: { resourceId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [out, setOut] = useState<ProbeOutcome | null>(null);
  const run = async () => {
    setBusy(true);
    const r = await testConnectionAction(resourceId);
    setBusy(false);
    if (r.ok) setOut(r.value);
    router.refresh();
  };
  return (
    <div data-testid={`test-${resourceId}`}>
      <button className="btn" type="button" onClick={() => void run()} disabled={busy}>
        {busy ? "Testing…" : "Test connection"}
      </button>
      {out?.ok ? (
        <div className="muted" role="status">
          Connected; {out.queues} queue(s) read in {out.tookMs} ms.
        </div>
      ) : null}
      {out && !out.ok ? (
        <div className="notice error" role="alert" data-testid="probe-error">
          <strong>{out.code}</strong>: {out.message}
          {out.hostKey ? (
            <div>
              Offered key <code>{out.hostKey.fingerprint}</code> ({out.hostKey.algo}). Compare it with{" "}
              <code>ssh-keygen -lf</code> on the machine, then{" "}
              <button
                className="btn"
                type="button"
                onClick={async () => {
                  await acceptHostKeyAction(resourceId, out.hostKey!.key);
                  await run();
                }}
              >
                Accept and pin this key
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

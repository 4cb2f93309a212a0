"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { testConnectionAction } from "@/app/(app)/resources/actions";

/** Probes the chosen SSH resources again, so the plan uses their queues as they are now. */
export function RefreshSnapshots({ resources }: { resources: { id: string; label: string }[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  if (resources.length === 0) return null;
  const refresh = async () => {
    setBusy(true);
    const out: string[] = [];
    for (const r of resources) {
      const res = await testConnectionAction(r.id);
      if (res.ok && !res.value.ok) out.push(`${r.label}: ${res.value.code}: ${res.value.message}`);
    }
    setProblems(out);
    setBusy(false);
    router.refresh();
  };
  return (
    <div className="row">
      <button className="btn" type="button" onClick={() => void refresh()} disabled={busy}>
        {busy ? "Probing…" : `Refresh snapshots (${resources.map((r) => r.label).join(", ")})`}
      </button>
      {problems.length ? (
        <p className="notice error" role="alert">
          {problems.join(" · ")}
        </p>
      ) : null}
    </div>
  );
}

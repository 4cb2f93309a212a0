"use client";
import { useQuery } from "@tanstack/react-query";
import type { TaskView } from "@/lib/stats/fold";

interface Detail {
  task: { state: string; attempt: number; exitCode: number | null; reason: string | null };
  logs: { attempt: number; stdout: string | null; stderr: string | null }[];
}

export function TaskDetail({ runId, taskId, view, t0, labels }: { runId: string; taskId: string; view: TaskView | null; t0: number; labels: Map<string, string> }) {
  const q = useQuery({
    queryKey: ["task", runId, taskId, view?.state],
    queryFn: async () => {
      const r = await fetch(`/api/runs/${runId}/tasks/${encodeURIComponent(taskId)}`);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return (await r.json()) as Detail;
    },
  });
  return (
    <div data-testid="task-detail">
      <strong>{taskId}</strong> · {view?.state ?? q.data?.task.state} · attempt {(view?.attempt ?? 0) + 1}
      {q.data?.task.exitCode !== null && q.data?.task.exitCode !== undefined ? ` · exit code ${q.data.task.exitCode}` : ""}
      {view?.reason ? <div className="muted">{view.reason}</div> : null}
      <table className="data">
        <tbody>
          {(view?.history ?? []).map((h, i) => (
            <tr key={i}><td className="mono">{((h.at - t0) / 1000).toFixed(1)} s</td><td>{h.state}</td><td className="muted">{h.reason ?? ""}</td></tr>
          ))}
        </tbody>
      </table>
      {view?.spans.map((s, i) => <div key={i} className="muted">attempt {s.attempt + 1} on {labels.get(s.pilotId ?? "") ?? s.pilotId}, slots {s.slots.join(",")}</div>)}
      {q.data?.logs.map((l) => (
        <details key={l.attempt} open>
          <summary>output of attempt {l.attempt + 1}</summary>
          {l.stderr ? <pre className="panel" data-testid="task-stderr">{l.stderr}</pre> : null}
          {l.stdout ? <pre className="panel">{l.stdout}</pre> : null}
        </details>
      ))}
    </div>
  );
}

"use client";
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import type { TaskView } from "@/lib/stats/fold";
import { leaveReason } from "@/lib/timeline/build";

// The route's answer, checked at the boundary rather than trusted.
const ZDetail = z.object({
  task: z.object({
    state: z.string(),
    attempt: z.number(),
    exitCode: z.number().nullable(),
    reason: z.string().nullable(),
  }),
  logs: z.array(
    z.object({ attempt: z.number(), stdout: z.string().nullable(), stderr: z.string().nullable() }),
  ),
});

/** One task: its states, every pilot it was bound to and why it left each, and the output of failed attempts. */
export function TaskDetail({
  runId,
  taskId,
  view,
  t0,
  labels,
}: {
  runId: string;
  taskId: string;
  view: TaskView | null;
  t0: number;
  labels: Map<string, string>;
}) {
  const q = useQuery({
    queryKey: ["task", runId, taskId, view?.state],
    queryFn: async () => {
      const r = await fetch(`/api/runs/${runId}/tasks/${encodeURIComponent(taskId)}`);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return ZDetail.parse(await r.json());
    },
  });
  const name = (id: string | null | undefined) => (id ? (labels.get(id) ?? id) : "—");
  const at = (ms: number) => `${((ms - t0) / 1000).toFixed(1)} s`;
  return (
    <div data-testid="task-detail">
      <strong>{taskId}</strong> · {view?.state ?? q.data?.task.state} · attempt {(view?.attempt ?? 0) + 1}
      {q.data?.task.exitCode !== null && q.data?.task.exitCode !== undefined
        ? ` · exit code ${q.data.task.exitCode}`
        : ""}
      {view?.reason ? <div className="muted">{view.reason}</div> : null}
      {view && view.spans.length > 0 ? (
        <ol data-testid="task-attempts">
          {view.spans.map((s, i) => {
            const left = i < view.spans.length - 1 ? leaveReason(view, s.start ?? 0) : null;
            return (
              <li key={i}>
                attempt {s.attempt + 1} on {name(s.pilotId)} (core{s.slots.length > 1 ? "s" : ""}{" "}
                {s.slots.join(", ") || "?"}), {s.start ? at(s.start) : "?"} → {s.end ? at(s.end) : "running"}
                {s.exitCode !== null ? `, exit ${s.exitCode}` : ""}
                {left ? (
                  <div className="muted">
                    left {name(s.pilotId)} at {at(left.at)}: {left.reason ?? "rebound"}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      <table className="data">
        <caption className="sr-only">State history of {taskId}</caption>
        <tbody>
          {(view?.history ?? []).map((h, i) => (
            <tr key={i}>
              <td className="mono">{at(h.at)}</td>
              <td>
                {h.state}
                {h.pilotId ? (
                  <span className="muted">
                    {" "}
                    · {h.state === "TMGR_SCHEDULING_PENDING" ? "from" : "on"} {name(h.pilotId)}
                  </span>
                ) : null}
              </td>
              <td className="muted">{h.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.data?.logs.map((l) => (
        <details key={l.attempt} open>
          <summary>output of attempt {l.attempt + 1}</summary>
          {l.stderr ? (
            <pre className="panel" data-testid="task-stderr">
              {l.stderr}
            </pre>
          ) : null}
          {l.stdout ? <pre className="panel">{l.stdout}</pre> : null}
        </details>
      ))}
    </div>
  );
}

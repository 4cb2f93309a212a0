"use client";
import { memo, useState } from "react";
import type { RunEvent } from "@/lib/model/event";

/**
 * The run's events, newest first, searchable; a task id opens the task's details.
 * Memoised: the run page re-renders every second while live, this only when its props change.
 */
export const EventLog = memo(function EventLog({
  events,
  t0,
  labels,
  onTask,
}: {
  events: RunEvent[];
  t0: number | null;
  labels: Map<string, string>;
  onTask: (id: string) => void;
}) {
  const [filter, setFilter] = useState("");
  const f = filter.toLowerCase();
  const shown = (
    f
      ? events.filter((e) =>
          `${e.entity} ${e.entityId} ${labels.get(e.entityId) ?? ""} ${e.to} ${e.reason ?? ""}`
            .toLowerCase()
            .includes(f),
        )
      : events
  )
    .slice(-400)
    .reverse();
  return (
    <section className="panel">
      <div className="spread">
        <h2 style={{ margin: 0 }}>Events</h2>
        <input
          placeholder="search events"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="search events"
        />
      </div>
      <div
        style={{ maxHeight: 320, overflow: "auto" }}
        data-testid="event-log"
        tabIndex={0}
        aria-label="event log"
      >
        <table className="data">
          <tbody>
            {shown.map((e) => (
              <tr key={e.seq}>
                <td className="mono nowrap">{t0 ? ((e.at - t0) / 1000).toFixed(1) : 0} s</td>
                <td className="wrap-any">
                  {e.entity}{" "}
                  {e.entity === "task" ? (
                    <button type="button" className="linkish" onClick={() => onTask(e.entityId)}>
                      {e.entityId}
                    </button>
                  ) : e.entity === "run" ? null : (
                    (labels.get(e.entityId) ?? e.entityId)
                  )}
                </td>
                <td className="wrap-any">{e.to}</td>
                <td className="muted wrap-any">{e.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
});

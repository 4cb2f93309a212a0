"use client";
import { memo } from "react";
import { cancelPilotAction } from "@/app/(app)/runs/[id]/actions";
import { ScrollX } from "../scroll-x";
import type { GanttPilot } from "@/lib/timeline/model";
import { secondsText } from "@/lib/timeline/text";

/**
 * One row per pilot: state, how long it waited (and that it never started, if so), why it ended, cancel.
 * Memoised: the run page re-renders every second while live, this only when its props change.
 */
export const PilotsTable = memo(function PilotsTable({
  pilots,
  onMessage,
}: {
  pilots: GanttPilot[];
  onMessage: (m: string) => void;
}) {
  // rows are found by the resource's label alone (labels have no spaces): "stampede · debug (5)" is pilot-stampede
  return (
    <section className="panel">
      <h2 style={{ marginTop: 0 }} id="pilots-h">
        Pilots
      </h2>
      <ScrollX label="Pilots">
        <table className="data" data-testid="pilots" aria-labelledby="pilots-h">
          <thead>
            <tr>
              <th scope="col">Pilot</th>
              <th scope="col">State</th>
              <th scope="col">Waited</th>
              <th scope="col">
                <span className="sr-only">Controls</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pilots.map((p) => {
              const state = p.finalState ?? p.segments[p.segments.length - 1]?.state ?? "NEW";
              return (
                <tr key={p.id} data-testid={`pilot-${p.label.split(" ")[0]}`} data-state={state}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    {p.label}
                  </th>
                  <td>
                    <span className={`badge ${state}`}>{state}</span>
                    {p.reason ? (
                      <div className="muted" data-testid="pilot-reason">
                        {p.reason}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {secondsText(p.waited)}
                    {p.neverActive ? " (never active)" : ""}
                  </td>
                  <td>
                    {!p.finalState ? (
                      <button
                        className="btn"
                        type="button"
                        aria-label={`Cancel pilot ${p.label}`}
                        onClick={async () => {
                          const r = await cancelPilotAction(p.id);
                          onMessage(r.ok ? `Cancelling ${p.label}…` : r.error.message);
                        }}
                      >
                        Cancel
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollX>
    </section>
  );
});

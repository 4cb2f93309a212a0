"use client";
import { useState } from "react";
import { ScrollX } from "@/components/scroll-x";
import type { ExecutionStrategy } from "@/lib/planner";
import {
  pilotQueueNotes,
  pilotQueueProblems,
  queueLimitsText,
  withChosenQueues,
} from "@/lib/planner/queue-check";
import type { QueueSnapshot } from "@/lib/model/resource";
import { launchRunAction } from "./actions";

interface Option {
  strategy: "adaptive" | "aimes";
  plan: ExecutionStrategy | null;
  errors: string[];
}

const coreHours = (p: ExecutionStrategy) =>
  p.pilots.reduce((a, x) => a + (x.cores * x.walltimeMinutes) / 60, 0);

/** Both strategies side by side, each number with its formula; the chosen one can be edited, then launched. */
export function PlanReview({
  skeletonId,
  defaultName,
  plans,
  queues,
}: {
  skeletonId: string;
  defaultName: string;
  plans: Option[];
  queues: Record<string, QueueSnapshot[]>;
}) {
  const queuesOf = (resourceId: string) => queues[resourceId] ?? [];
  const first = plans.find((p) => p.plan)?.strategy ?? "adaptive";
  const [choice, setChoice] = useState<"adaptive" | "aimes">(first);
  const [edited, setEdited] = useState<Record<string, ExecutionStrategy>>(() =>
    Object.fromEntries(plans.filter((p) => p.plan).map((p) => [p.strategy, p.plan!])),
  );
  const [name, setName] = useState(defaultName);
  const [seed, setSeed] = useState(0);
  const [retries, setRetries] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const plan = edited[choice];

  const setQueue = (i: number, queue: string | null) =>
    setEdited((e) => ({
      ...e,
      [choice]: { ...e[choice]!, pilots: e[choice]!.pilots.map((p, j) => (j === i ? { ...p, queue } : p)) },
    }));
  const problems = plan ? plan.pilots.map((p) => pilotQueueProblems(p, queuesOf(p.resourceId))) : [];
  const blocked = problems.some((x) => x.length > 0);

  const setPilot = (i: number, k: "cores" | "walltimeMinutes", v: number) =>
    setEdited((e) => ({
      ...e,
      [choice]: { ...e[choice]!, pilots: e[choice]!.pilots.map((p, j) => (j === i ? { ...p, [k]: v } : p)) },
    }));

  async function launch() {
    if (!plan) return;
    setBusy(true);
    setError(null);
    // the queues the user picked go into the plan's trail, so the run, its trail and its archive keep them
    const planned = plans.find((o) => o.strategy === choice)?.plan ?? plan;
    const r = await launchRunAction({
      skeletonId,
      name,
      seed,
      maxRetries: retries,
      plan: withChosenQueues(planned, plan, queuesOf),
    });
    // on success the action redirects; we only get here on failure
    setBusy(false);
    if (r && !r.ok) setError(r.error.message);
  }

  return (
    <>
      <div className="grid2">
        {plans.map((o) => (
          <section
            key={o.strategy}
            className="panel"
            data-testid={`plan-${o.strategy}`}
            style={{ borderColor: choice === o.strategy ? "var(--accent)" : undefined }}
          >
            <div className="spread">
              <h2 style={{ margin: 0 }}>
                {o.strategy === "adaptive" ? "Adaptive (EManager)" : "AIMES (the original)"}
              </h2>
              {o.plan ? (
                <label style={{ flexDirection: "row", gap: 6, alignItems: "center" }}>
                  <input
                    type="radio"
                    name="choice"
                    checked={choice === o.strategy}
                    onChange={() => setChoice(o.strategy)}
                  />{" "}
                  use this plan
                </label>
              ) : null}
            </div>
            {o.plan ? (
              <>
                <p>
                  <strong>{o.plan.pilots.length} pilot(s)</strong>, {o.plan.binding} binding,{" "}
                  {o.plan.scheduler} scheduler ·{" "}
                  <span data-testid={`ttc-${o.strategy}`}>
                    planner&apos;s estimate {Math.round(o.plan.predictedTtcSeconds)} s (the simulated TTC is
                    above)
                  </span>{" "}
                  · {coreHours(o.plan).toFixed(2)} core-hours requested
                </p>
                <ScrollX label={`Pilots of the ${o.strategy} plan`}>
                  <table className="data">
                    <thead>
                      <tr>
                        <th>Resource</th>
                        <th>Queue</th>
                        <th>Cores</th>
                        <th>Walltime (min)</th>
                      </tr>
                    </thead>
                    <tbody>
                      {o.plan.pilots.map((p, i) => (
                        <tr key={i}>
                          <td>
                            {p.resource}
                            {/* what this resource cannot take (lib/planner/problems.ts): on the pilot's own row, as in the trail's W entries */}
                            {o
                              .plan!.warnings.filter((w) => w.pilot === i + 1)
                              .map((w, k) => (
                                <div
                                  key={k}
                                  className="error"
                                  data-testid={`plan-${o.strategy}-problem-${i + 1}`}
                                >
                                  {w.message}
                                </div>
                              ))}
                          </td>
                          <td>{p.queue ?? "default"}</td>
                          <td>{p.cores}</td>
                          <td>
                            {Number.isFinite(p.walltimeMinutes) ? p.walltimeMinutes.toFixed(2) : "not finite"}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollX>
                <details>
                  <summary>Decision trail ({o.plan.trail.length} steps)</summary>
                  <ScrollX label={`Decision trail of the ${o.strategy} plan`}>
                    <table className="data" data-testid={`trail-${o.strategy}`}>
                      <tbody>
                        {o.plan.trail.map((t, i) => (
                          <tr key={i}>
                            <td>
                              <code>{t.label}</code>
                            </td>
                            <td>
                              {t.title}: <strong>{String(t.value)}</strong>
                              {t.formula ? <div className="muted wrap-any">= {t.formula}</div> : null}
                              {t.inputs ? (
                                <div className="muted wrap-any">
                                  {Object.entries(t.inputs)
                                    .map(([k, v]) => `${k} = ${v}`)
                                    .join(", ")}
                                </div>
                              ) : null}
                              {t.note ? <div className="muted">{t.note}</div> : null}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </ScrollX>
                  {o.plan.rejected.map((r, i) => (
                    <div key={i} className="muted">
                      not used: {r.option}: {r.why}
                    </div>
                  ))}
                </details>
                {o.plan.warnings
                  .filter((w) => w.pilot === undefined)
                  .map((w, i) => (
                    <div key={i} className="notice warn">
                      {w.message}
                    </div>
                  ))}
                <div className="muted">Assuming {o.plan.assumptions.join("; ")}.</div>
              </>
            ) : (
              <div className="notice error">{o.errors.join(" ") || "Choose resources to see this plan."}</div>
            )}
          </section>
        ))}
      </div>
      {plan ? (
        <section className="panel" style={{ marginTop: "1rem" }}>
          <h2 style={{ marginTop: 0 }}>Launch with the {choice} plan</h2>
          <ScrollX label="Pilots to launch">
            <table className="data">
              <thead>
                <tr>
                  <th>Pilot</th>
                  <th>Queue</th>
                  <th>Cores</th>
                  <th>Walltime (min)</th>
                </tr>
              </thead>
              <tbody>
                {plan.pilots.map((p, i) => (
                  <tr key={i} data-testid={`launch-pilot-${i + 1}`}>
                    <td>{p.resource}</td>
                    <td>
                      {queuesOf(p.resourceId).length ? (
                        <select
                          value={p.queue ?? ""}
                          aria-label={`queue of pilot ${i + 1}`}
                          onChange={(e) => setQueue(i, e.target.value === "" ? null : e.target.value)}
                        >
                          <option value="">
                            default
                            {queuesOf(p.resourceId).find((q) => q.isDefault)
                              ? ` (${queuesOf(p.resourceId).find((q) => q.isDefault)!.name})`
                              : ""}
                          </option>
                          {queuesOf(p.resourceId).map((q) => (
                            <option key={q.name} value={q.name}>
                              {q.name}
                              {q.enabled ? "" : " (down)"}
                            </option>
                          ))}
                        </select>
                      ) : (
                        (p.queue ?? "default")
                      )}
                      {(() => {
                        const qs = queuesOf(p.resourceId);
                        const q =
                          p.queue === null ? qs.find((x) => x.isDefault) : qs.find((x) => x.name === p.queue);
                        return q ? (
                          <div
                            className="muted"
                            style={{ fontSize: "0.8rem" }}
                            data-testid={`queue-limits-${i + 1}`}
                          >
                            {queueLimitsText(q)}
                          </div>
                        ) : null;
                      })()}
                      {problems[i]?.map((m, k) => (
                        <div key={k} className="error" data-testid={`queue-problem-${i + 1}`}>
                          {m}
                        </div>
                      ))}
                      {pilotQueueNotes(p, queuesOf(p.resourceId)).map((m, k) => (
                        <div key={`n${k}`} className="muted" style={{ color: "var(--warn)" }}>
                          {m}
                        </div>
                      ))}
                    </td>
                    <td>
                      <input
                        type="number"
                        min={1}
                        value={p.cores}
                        aria-label={`cores of pilot ${i + 1}`}
                        onChange={(e) => setPilot(i, "cores", Math.max(1, Number(e.target.value)))}
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        min={1}
                        step="0.5"
                        value={Number(p.walltimeMinutes.toFixed(2))}
                        aria-label={`walltime of pilot ${i + 1}`}
                        onChange={(e) => setPilot(i, "walltimeMinutes", Math.max(1, Number(e.target.value)))}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollX>
          <div className="row" style={{ marginTop: "0.75rem" }}>
            <label>
              Run name{" "}
              <input
                className="name-input"
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={120}
              />
            </label>
            <label>
              Seed{" "}
              <input
                type="number"
                min={0}
                value={seed}
                onChange={(e) => setSeed(Math.max(0, Math.trunc(Number(e.target.value))))}
                style={{ width: 100 }}
              />
            </label>
            <label>
              Retries after a pilot dies{" "}
              <input
                type="number"
                min={0}
                max={5}
                value={retries}
                onChange={(e) => setRetries(Math.min(5, Math.max(0, Math.trunc(Number(e.target.value)))))}
                style={{ width: 80 }}
              />
            </label>
          </div>
          {blocked ? (
            <p className="notice error">
              A pilot does not fit its queue (above): change its queue, cores or walltime to launch.
            </p>
          ) : null}
          {error ? (
            <p className="notice error" role="alert">
              {error}
            </p>
          ) : null}
          <button
            className="btn primary"
            type="button"
            onClick={() => void launch()}
            disabled={busy || blocked}
            style={{ marginTop: "0.75rem" }}
          >
            {busy ? "Launching…" : "Launch"}
          </button>
        </section>
      ) : null}
    </>
  );
}

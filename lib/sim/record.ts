import type { TaskRow } from "../engine/context";
import type { EventEntity, RunEvent } from "../model/event";
import type { SimInput } from "./types";

/**
 * The event stream of a simulated run, in the engine's states and data fields, so the same fold,
 * statistics, Gantt and downloads work on it. Every event carries `simulated: true` and the run's
 * first event says so in its reason: a simulated run is never mistaken for a measured one.
 * Events are recorded as the simulation learns of them (not always in time order) and sorted
 * by time at the end; `seq` follows that order.
 */
export class Recorder {
  private list: RunEvent[] = [];
  private last = new Map<string, string>();

  constructor(
    private readonly runId: string,
    private readonly t0Ms: number,
  ) {}

  start(input: SimInput, rows: readonly TaskRow[]): void {
    this.push("run", this.runId, "NEW", 0, "simulated run", { simulated: true });
    this.push("run", this.runId, "ACTIVE", 0, null, { simulated: true });
    input.pilots.forEach((p) => {
      this.push("pilot", p.id, "NEW", 0, null, {
        label: p.label,
        queue: p.queue,
        cores: p.cores,
        nodes: 1,
        walltimeMinutes: p.walltimeS / 60,
        surplus: p.surplus ?? false,
        simulated: true,
      });
    });
    for (const r of rows) {
      this.push("task", r.taskId, "NEW", 0, null, {
        stage: r.stage,
        cores: r.cores,
        attempt: 0,
        simulated: true,
      });
      this.push("task", r.taskId, "TMGR_SCHEDULING_PENDING", 0, null, { attempt: 0, simulated: true });
    }
  }

  task(id: string, to: string, atS: number, reason: string | null, data: Record<string, unknown>): void {
    this.push("task", id, to, atS, reason, { ...data, simulated: true });
  }

  pilot(
    id: string,
    to: string,
    atS: number,
    reason: string | null,
    data: Record<string, unknown> | null,
  ): void {
    this.push("pilot", id, to, atS, reason, { ...(data ?? {}), simulated: true });
  }

  run(to: string, atS: number, reason: string): void {
    this.push("run", this.runId, to, atS, reason, { simulated: true });
  }

  events(): RunEvent[] {
    // stable: equal times keep the order in which the simulation decided them
    const out = this.list
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
      .map((x, k) => ({ ...x.e, seq: k + 1 }));
    return out;
  }

  private push(
    entity: EventEntity,
    entityId: string,
    to: string,
    atS: number,
    reason: string | null,
    data: Record<string, unknown>,
  ): void {
    const key = `${entity}:${entityId}`;
    this.list.push({
      seq: 0,
      runId: this.runId,
      entity,
      entityId,
      from: this.last.get(key) ?? null,
      to,
      at: this.t0Ms + Math.round(atS * 1000),
      reason,
      data,
    });
    this.last.set(key, to);
  }
}

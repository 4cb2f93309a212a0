import { describe, expect, it } from "vitest";
import type { PilotRow, TaskRow } from "./context";
import { stuckReason } from "./decide";
import { noteJobStatus, queueBlockReason, queueBlocks } from "./queue-block";
import type { RunRuntime } from "./runtime";

const pilot = (id: string, o: Partial<PilotRow> = {}): PilotRow => ({
  id,
  runId: "r",
  index: 0,
  resourceId: null,
  label: id,
  kind: "slurm",
  queue: null,
  project: null,
  cores: 2,
  nodes: 1,
  walltimeMinutes: 10,
  state: "PMGR_ACTIVE_PENDING",
  reason: null,
  jobId: "1",
  sandbox: "/s",
  logOffset: 0,
  inboxSeq: 0,
  activeAt: null,
  submittedAt: null,
  cancelRequestedAt: null,
  ...o,
});
const task = (taskId: string): TaskRow => ({
  id: `db-${taskId}`,
  taskId,
  stage: "Stage_1",
  stageIndex: 0,
  cores: 1,
  length: 1,
  state: "TMGR_SCHEDULING_PENDING",
  pilotId: null,
  attempt: 0,
  exitCode: null,
});

describe("queued jobs that cannot start by themselves", () => {
  it("are recognised by SLURM's reason codes, and only those", () => {
    // what the SLURM adapter reports for the demo's gordon (DOWN) and for ordinary waits
    expect(queueBlockReason({ state: "queued", reason: "PENDING: PartitionDown" })).toBe(
      "PENDING: PartitionDown",
    );
    expect(queueBlockReason({ state: "queued", reason: "PENDING: PartitionInactive" })).toBe(
      "PENDING: PartitionInactive",
    );
    expect(queueBlockReason({ state: "queued", reason: "PENDING: JobHeldAdmin" })).toBe(
      "PENDING: JobHeldAdmin",
    );
    for (const r of [
      "PENDING: Resources",
      "PENDING: Priority",
      "PENDING: QOSMaxJobsPerUserLimit",
      "PENDING: ReqNodeNotAvail, UnavailableNodes:n1",
      "PENDING",
      "CONFIGURING",
    ]) {
      expect(queueBlockReason({ state: "queued", reason: r }), r).toBeNull();
    }
    // a running or ended job is never "blocked", whatever its words
    expect(queueBlockReason({ state: "running", reason: "PartitionDown" })).toBeNull();
    expect(queueBlockReason({ state: "ended", reason: "CANCELLED (PartitionDown)" })).toBeNull();
    expect(queueBlockReason({ state: "queued" })).toBeNull();
  });

  it("are remembered per run from the last poll that answered", () => {
    const rt = { runId: "r" } as RunRuntime;
    noteJobStatus(rt, "p", { state: "queued", reason: "PENDING: PartitionDown" });
    // a batch system that does not answer changes nothing
    noteJobStatus(rt, "p", { state: "unknown", reason: "SLURM did not answer" });
    noteJobStatus(rt, "p", null);
    expect([...queueBlocks(rt)]).toEqual([["p", "PENDING: PartitionDown"]]);
    // the partition came back: the job waits for resources like any other
    noteJobStatus(rt, "p", { state: "queued", reason: "PENDING: Resources" });
    expect(queueBlocks(rt).size).toBe(0);
    expect(queueBlocks({ runId: "other" } as RunRuntime).size).toBe(0);
  });

  it("make a run with no other live pilot stop with the reason; beside a live pilot they change nothing", () => {
    const blocked = new Map([["gordon", "PENDING: PartitionDown"]]);
    const gone = pilot("stampede", { state: "FAILED", reason: "agent exited: signal TERM" });
    expect(stuckReason([gone, pilot("gordon")], [task("a"), task("b")], blocked)).toBe(
      "no pilot is left to run the 2 remaining task(s). stampede: FAILED (agent exited: signal TERM); gordon: queued, cannot start (PENDING: PartitionDown)",
    );
    // without the block, a queued pilot may still start: wait
    expect(stuckReason([gone, pilot("gordon")], [task("a")])).toBeNull();
    expect(
      stuckReason([pilot("trestles", { state: "PMGR_ACTIVE" }), pilot("gordon")], [task("a")], blocked),
    ).toBeNull();
    expect(stuckReason([pilot("trestles"), pilot("gordon")], [task("a")], blocked)).toBeNull();
  });
});

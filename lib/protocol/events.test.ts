import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AgentEvent, parseEventLog, renderEventLine } from "./events";

const SAMPLE: AgentEvent[] = [
  {
    kind: "agent_active",
    at: 1_700_000_000_000,
    pilotId: "p-1",
    hostname: "nid001.cluster",
    nodes: ["nid001", "nid002"],
    cores: 48,
    source: "slurm",
    launch: "srun",
    pid: 4242,
    bash: "5.2.15(1)-release",
  },
  { kind: "task_received", at: 1_700_000_000_010, taskId: "Stage_1_0", attempt: 0, cores: 1 },
  {
    kind: "task_executing",
    at: 1_700_000_000_020,
    taskId: "Stage_1_0",
    attempt: 0,
    slots: [0, 1, 2],
    hosts: ["nid001"],
    pid: 5000,
  },
  {
    kind: "task_done",
    at: 1_700_000_001_020,
    taskId: "Stage_1_0",
    attempt: 0,
    exitCode: 0,
    durationMs: 1000,
  },
  {
    kind: "task_failed",
    at: 1_700_000_001_030,
    taskId: "Stage_1_1",
    attempt: 2,
    reason: "cancelled",
    exitStatus: 143,
    detail: "cancelled by the server",
  },
  {
    kind: "task_failed",
    at: 1_700_000_001_031,
    taskId: "Stage_1_2",
    attempt: 0,
    reason: "drained",
    exitStatus: null,
    detail: "not started: ünïcødé 漢字 🙂",
  },
  {
    kind: "inbox_error",
    at: 1_700_000_001_040,
    batch: "batch-00000003.tsv",
    line: 7,
    detail: "not a v1 task line",
  },
  { kind: "agent_draining", at: 1_700_000_002_000, reason: "walltime", detail: "the walltime ends in 30 s" },
  { kind: "agent_exit", at: 1_700_000_002_500, reason: "walltime", detail: "" },
];
const LOG = SAMPLE.map(renderEventLine).join("");

describe("parseEventLog", () => {
  it("reads every kind back as written", () => {
    const r = parseEventLog(LOG, 0);
    expect(r.problems).toEqual([]);
    expect(r.events).toEqual(SAMPLE);
    expect(r.nextOffset).toBe(Buffer.byteLength(LOG));
  });

  it("leaves a partly written last line for the next read, with byte offsets (not characters)", () => {
    const whole = Buffer.from(LOG);
    const cut = whole.length - 10;
    const first = parseEventLog(whole.subarray(0, cut), 1000);
    expect(first.events).toEqual(SAMPLE.slice(0, -1));
    const lastLineBytes = Buffer.byteLength(renderEventLine(SAMPLE.at(-1)!));
    expect(first.nextOffset).toBe(1000 + whole.length - lastLineBytes);
    const rest = parseEventLog(whole.subarray(first.nextOffset - 1000), first.nextOffset);
    expect(rest.events).toEqual([SAMPLE.at(-1)]);
    expect(rest.nextOffset).toBe(1000 + whole.length);
    // as a string, with multi-byte characters before the cut, offsets still count bytes
    const s = parseEventLog(LOG.slice(0, LOG.length - 5), 0);
    expect(s.nextOffset).toBe(whole.length - lastLineBytes);
  });

  it("gives the same events however the log is cut into reads", () => {
    const bytes = Buffer.from(LOG);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), (cuts) => {
        const ends = [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length);
        let offset = 0;
        const got: AgentEvent[] = [];
        for (const end of ends) {
          if (end < offset) continue;
          const r = parseEventLog(bytes.subarray(offset, end), offset);
          expect(r.problems).toEqual([]);
          got.push(...r.events);
          offset = r.nextOffset;
        }
        expect(got).toEqual(SAMPLE);
        expect(offset).toBe(bytes.length);
      }),
    );
  });

  it("skips and reports garbage, other versions, unknown kinds and malformed fields, never throws", () => {
    const lines = [
      "hello world",
      "v2\t1700000000000\ttask_done\tx\t0\t0\t1",
      "v1\t1700000000000\ttask_teleported\tx\t0",
      "v1\t1700000000000\ttask_done\tx\t0\tzero\t1",
      "v1\t1700000000000\ttask_done\tbad id\t0\t0\t1",
      "v1\t1700000000000\ttask_done\tx\t0",
      "v1\tsoon\ttask_done\tx\t0\t0\t1",
      "\u0000\u0000\u0000",
      "v1\t1700000000001\ttask_done\tok\t1\t0\t5\tan-appended-future-field",
    ];
    const text = lines.join("\n") + "\n";
    const r = parseEventLog(text, 50);
    expect(r.events).toEqual([
      { kind: "task_done", at: 1_700_000_000_001, taskId: "ok", attempt: 1, exitCode: 0, durationMs: 5 },
    ]);
    expect(r.problems.map((p) => p.code)).toEqual([
      "garbage",
      "unknown_version",
      "unknown_kind",
      "bad_fields",
      "bad_fields",
      "bad_fields",
      "garbage",
      "garbage",
    ]);
    expect(r.problems[2]!.message).toContain("task_teleported");
    expect(r.problems[0]).toMatchObject({ offset: 50, line: "hello world" });
    expect(r.problems[1]!.offset).toBe(50 + Buffer.byteLength(lines[0]! + "\n"));
    expect(r.nextOffset).toBe(50 + Buffer.byteLength(text));
  });

  it("does not wait forever for a line that never ends", () => {
    const junk = "x".repeat(70_000);
    expect(parseEventLog(junk.slice(0, 1000), 0)).toEqual({ events: [], nextOffset: 0, problems: [] });
    const r = parseEventLog(junk, 0);
    expect(r.nextOffset).toBe(70_000);
    expect(r.problems).toMatchObject([{ code: "overlong_line", offset: 0 }]);
    expect(parseEventLog(junk, 0, { maxLineBytes: 100_000 }).nextOffset).toBe(0);
  });

  it("survives arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(1e9), (bytes, start) => {
        const r = parseEventLog(bytes, start);
        const nl = bytes.lastIndexOf(0x0a);
        expect(r.nextOffset).toBe(nl < 0 ? start : start + nl + 1);
      }),
    );
  });
});

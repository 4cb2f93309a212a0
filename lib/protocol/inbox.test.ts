import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderInboxBatch, type TInboxTaskInput } from "./inbox";
import { parseInboxBatch } from "./inbox-parse";
import { batchFile, cancelFile, taskFiles } from "./sandbox";

const syn = (over: Partial<Extract<TInboxTaskInput, { kind: "synthetic" }>> = {}): TInboxTaskInput => ({
  kind: "synthetic",
  taskId: "Stage_1_0",
  attempt: 0,
  cores: 1,
  type: "serial",
  mode: "time",
  length: 10,
  readBuffer: 65536,
  writeBuffer: 65536,
  interleave: 0,
  inputs: [],
  outputs: [],
  ...over,
});

function errorsOf(t: TInboxTaskInput): string[] {
  const r = renderInboxBatch([t]);
  return r.ok ? [] : r.errors.map((e) => e.message);
}

describe("renderInboxBatch", () => {
  it("writes one tab-separated line per task in the fixed field order", () => {
    const r = renderInboxBatch([
      syn({
        length: 1.5,
        interleave: 3,
        inputs: ["Stage_1_Input/in 1"],
        outputs: [
          { path: "/abs/out", size: 20000 },
          { path: "o2", size: 0 },
        ],
      }),
      {
        kind: "shell",
        taskId: "sh.1",
        attempt: 2,
        cores: 4,
        workdir: "/scratch/x",
        command: "mpirun ./a.out 'x y'",
      },
      syn({ taskId: "f", mode: "flops", length: 1e6 + 0.2 }),
    ]);
    expect(r).toEqual({
      ok: true,
      count: 3,
      text:
        "v1\tStage_1_0\t0\t1\t-\tsynthetic\tserial\ttime\t1.5\t65536\t65536\t3\t1\tStage_1_Input/in 1\t2\t/abs/out\t20000\to2\t0\n" +
        "v1\tsh.1\t2\t4\t/scratch/x\tshell\tmpirun ./a.out 'x y'\n" +
        "v1\tf\t0\t1\t-\tsynthetic\tserial\tflops\t1000001\t65536\t65536\t0\t0\t0\n",
    });
  });

  it("rejects what the agent could misread, naming the task and field", () => {
    expect(errorsOf(syn({ taskId: "a b" }))[0]).toContain("taskId");
    expect(errorsOf(syn({ taskId: "a/b" }))).not.toEqual([]);
    expect(errorsOf(syn({ taskId: "" }))).not.toEqual([]);
    expect(errorsOf(syn({ outputs: [{ path: "a\tb", size: 1 }] }))[0]).toContain("tabs, newlines");
    expect(errorsOf(syn({ inputs: ["a\nb"] }))).not.toEqual([]);
    expect(errorsOf(syn({ inputs: ["a\rb"] }))).not.toEqual([]);
    expect(errorsOf(syn({ inputs: [""] }))[0]).toContain("empty");
    expect(errorsOf(syn({ inputs: ["-"] }))).not.toEqual([]);
    expect(errorsOf(syn({ workdir: "x\u001b[31m" }))).not.toEqual([]);
    expect(
      errorsOf({ kind: "shell", taskId: "s", attempt: 0, cores: 1, command: "echo a\necho b" }),
    ).not.toEqual([]);
    expect(errorsOf(syn({ cores: 0 }))).not.toEqual([]);
    expect(errorsOf(syn({ attempt: -1 }))).not.toEqual([]);
    expect(errorsOf(syn({ attempt: 1.5 }))).not.toEqual([]);
    expect(errorsOf(syn({ length: -1 }))).not.toEqual([]);
    expect(errorsOf(syn({ length: Number.NaN }))).not.toEqual([]);
    expect(errorsOf(syn({ length: 2e9 }))[0]).toContain("1e9");
    expect(errorsOf(syn({ readBuffer: 0 }))).not.toEqual([]);
    expect(errorsOf(syn({ interleave: 4 }))).not.toEqual([]);
    expect(errorsOf(syn({ outputs: [{ path: "o", size: 2 ** 60 }] }))).not.toEqual([]);
    expect(errorsOf({ ...syn(), mode: "walltime" } as unknown as TInboxTaskInput)).not.toEqual([]);
  });

  it("reports every bad task at once and writes nothing, and refuses the same attempt twice", () => {
    const r = renderInboxBatch([
      syn({ taskId: "ok" }),
      syn({ taskId: "bad id" }),
      syn({ taskId: "x", cores: 0 }),
      syn({ taskId: "ok" }),
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(renderInboxBatch([syn({ taskId: "ok" }), syn({ taskId: "ok", attempt: 1 })]).ok).toBe(true);
  });

  it("round-trips through the agent's reading rules for any valid task", () => {
    const text = fc
      .string({ minLength: 1, maxLength: 30 })
      .filter((s) => !/[\u0000-\u001f\u007f]/.test(s) && s !== "-");
    const id = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);
    const task = fc.oneof(
      fc.record({
        kind: fc.constant("synthetic" as const),
        taskId: id,
        attempt: fc.nat(1000),
        cores: fc.integer({ min: 1, max: 64 }),
        workdir: fc.option(text, { nil: null }),
        type: fc.constantFrom("serial", "parallel"),
        mode: fc.constant("time" as const),
        length: fc.integer({ min: 0, max: 1e9 }).map((n) => n / 1000),
        readBuffer: fc.integer({ min: 1, max: 1 << 20 }),
        writeBuffer: fc.integer({ min: 1, max: 1 << 20 }),
        interleave: fc.integer({ min: 0, max: 3 }),
        inputs: fc.array(text, { maxLength: 4 }),
        outputs: fc.array(fc.record({ path: text, size: fc.nat() }), { maxLength: 4 }),
      }),
      fc.record({
        kind: fc.constant("shell" as const),
        taskId: id,
        attempt: fc.nat(1000),
        cores: fc.integer({ min: 1, max: 64 }),
        workdir: fc.option(text, { nil: null }),
        command: text,
      }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(task, { selector: (t) => `${t.taskId}.${t.attempt}`, maxLength: 8 }),
        (tasks) => {
          const r = renderInboxBatch(tasks);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const back = parseInboxBatch(r.text);
          expect(back.problems).toEqual([]);
          expect(back.tasks).toEqual(tasks);
        },
      ),
    );
  });
});

describe("parseInboxBatch", () => {
  it("skips comments and blank lines and reports bad lines by number", () => {
    const r = parseInboxBatch(
      "# header\n\nv1\ta\t0\t1\t-\tshell\ttrue\nv1\tb\t00\t1\t-\tshell\ttrue\nv1\tc\t0\t1\t-\tsynthetic\tserial\ttime\t1\t1\t1\t0\t1\tin\t1\tout\n",
    );
    expect(r.tasks.map((t) => t.taskId)).toEqual(["a"]);
    expect(r.problems.map((p) => p.line)).toEqual([4, 5]);
  });
});

describe("sandbox names", () => {
  it("batch names sort by sequence; temp names are outside the agent's glob", () => {
    expect(batchFile(3)).toEqual({
      final: "inbox/batch-00000003.tsv",
      temp: "inbox/.batch-00000003.tsv.tmp",
    });
    expect(batchFile(10).final > batchFile(9).final).toBe(true);
    expect(cancelFile("Stage_1_0")).toBe("control/cancel-Stage_1_0");
    expect(() => cancelFile("../x y")).toThrow();
    expect(taskFiles("t.1", 2)).toEqual({
      dir: "tasks/t.1.2",
      stdout: "tasks/t.1.2/stdout",
      stderr: "tasks/t.1.2/stderr",
      launchError: "tasks/t.1.2/launch_error",
    });
  });
});

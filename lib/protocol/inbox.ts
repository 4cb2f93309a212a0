import { z } from "zod";
import { decimal, LINE_TAG, ZAgentPath, ZCount, ZPositive, ZWord, zFieldText } from "./fields";

/**
 * Inbox batches (`inbox/batch-<seq>.tsv`): one task per line, tab-separated, fixed order.
 *
 *   v1 id attempt cores workdir synthetic type mode length rbuf wbuf interleave n_in in… n_out (out size)…
 *   v1 id attempt cores workdir shell command
 *
 * `workdir` is `-` for the task's own `tasks/<id>.<attempt>/`, else a path (relative to the
 * sandbox, or absolute). Synthetic file paths are relative to the working directory, or
 * absolute. Every field is non-empty and free of control characters; the line's field count
 * must match the counts it declares exactly, so a misplaced field is caught, not shifted.
 */
const ZBase = {
  taskId: ZWord,
  attempt: ZCount.max(1_000_000),
  cores: ZPositive.max(10_000_000),
  workdir: ZAgentPath.nullable().default(null),
};

export const ZSyntheticTask = z
  .object({
    ...ZBase,
    kind: z.literal("synthetic"),
    /** `serial` | `parallel` in skeletons; passed through */
    type: ZWord,
    mode: z.enum(["time", "flops"]),
    /** seconds (time mode, microsecond resolution) or FLOPs (flops mode, rounded up to a whole count) */
    length: z.number().finite().min(0).max(Number.MAX_SAFE_INTEGER),
    readBuffer: ZPositive.max(1 << 30),
    writeBuffer: ZPositive.max(1 << 30),
    interleave: z.number().int().min(0).max(3),
    inputs: z.array(ZAgentPath).max(100_000),
    outputs: z.array(z.object({ path: ZAgentPath, size: ZCount })).max(100_000),
  })
  .refine((t) => t.mode === "flops" || t.length <= 1e9, {
    message: "a time-mode length is at most 1e9 seconds",
    path: ["length"],
  });

export const ZShellTask = z.object({
  ...ZBase,
  kind: z.literal("shell"),
  /** run as `bash -c <command>` in the working directory: one line, no tabs */
  command: zFieldText("the command", 100_000),
});

export const ZInboxTask = z.discriminatedUnion("kind", [ZSyntheticTask, ZShellTask]);
export type TInboxTask = z.infer<typeof ZInboxTask>;
export type TInboxTaskInput = z.input<typeof ZInboxTask>;

export interface BatchError {
  index: number;
  taskId: string | null;
  message: string;
}
export type BatchResult = { ok: true; text: string; count: number } | { ok: false; errors: BatchError[] };

function lengthField(t: z.infer<typeof ZSyntheticTask>): string {
  return t.mode === "flops" ? String(Math.ceil(t.length)) : decimal(t.length, 6);
}

export function renderTaskLine(t: TInboxTask): string {
  const head = [LINE_TAG, t.taskId, t.attempt, t.cores, t.workdir ?? "-"];
  const rest =
    t.kind === "shell"
      ? ["shell", t.command]
      : [
          "synthetic",
          t.type,
          t.mode,
          lengthField(t),
          t.readBuffer,
          t.writeBuffer,
          t.interleave,
          t.inputs.length,
          ...t.inputs,
          t.outputs.length,
          ...t.outputs.flatMap((o) => [o.path, o.size]),
        ];
  return [...head, ...rest].join("\t");
}

/** Validates every task (all errors at once) and renders the batch; nothing is written on any error. */
export function renderInboxBatch(tasks: readonly TInboxTaskInput[]): BatchResult {
  const errors: BatchError[] = [];
  const lines: string[] = [];
  const seen = new Set<string>();
  tasks.forEach((raw, index) => {
    const p = ZInboxTask.safeParse(raw);
    const id = typeof raw?.taskId === "string" ? raw.taskId : null;
    if (!p.success) {
      for (const i of p.error.issues)
        errors.push({ index, taskId: id, message: `${i.path.join(".") || "task"}: ${i.message}` });
      return;
    }
    const key = `${p.data.taskId}.${p.data.attempt}`;
    if (seen.has(key))
      errors.push({
        index,
        taskId: id,
        message: `task ${p.data.taskId} attempt ${p.data.attempt} appears twice in the batch`,
      });
    seen.add(key);
    lines.push(renderTaskLine(p.data));
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, text: lines.map((l) => `${l}\n`).join(""), count: lines.length };
}

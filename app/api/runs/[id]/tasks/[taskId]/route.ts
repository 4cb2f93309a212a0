import { readFile } from "node:fs/promises";
import path from "node:path";
import { apiUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";

const LIMIT = 64 * 1024;

async function tail(file: string): Promise<string | null> {
  try {
    const b = await readFile(file);
    return b.length > LIMIT
      ? `[… ${b.length - LIMIT} bytes not shown]\n` + b.subarray(b.length - LIMIT).toString("utf8")
      : b.toString("utf8");
  } catch {
    return null;
  }
}

// GET /api/runs/:id/tasks/:taskId - one task: its state, attempts, and the stdout/stderr kept for its failed attempts
export async function GET(
  _req: Request,
  ctx: { params: Promise<{ id: string; taskId: string }> },
): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const { id, taskId } = await ctx.params;
  const run = await db().run.findFirst({ where: { id, userId: user.id }, select: { dir: true } });
  if (!run)
    return Response.json(
      { error: { code: "NOT_FOUND", message: "No such run in your account." } },
      { status: 404 },
    );
  const t = await db().task.findUnique({
    where: { runId_taskId: { runId: id, taskId } },
    select: {
      taskId: true,
      stage: true,
      state: true,
      attempt: true,
      exitCode: true,
      reason: true,
      pilotId: true,
      cores: true,
      length: true,
    },
  });
  if (!t || !/^[A-Za-z0-9_.-]+$/.test(taskId))
    return Response.json(
      { error: { code: "NOT_FOUND", message: "No such task in this run." } },
      { status: 404 },
    );
  const logs = [];
  for (let a = 0; a <= t.attempt; a++) {
    const dir = path.join(run.dir ?? "", "tasks", `${taskId}.${a}`);
    const [stdout, stderr] = await Promise.all([
      tail(path.join(dir, "stdout")),
      tail(path.join(dir, "stderr")),
    ]);
    if (stdout !== null || stderr !== null) logs.push({ attempt: a, stdout, stderr });
  }
  return Response.json({ task: t, logs });
}

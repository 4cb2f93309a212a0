import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * `emanager engine` processes for the multi-instance tests and benches: each in its own process
 * group (so SIGKILL takes it whole, as a dead server would go), on the given database and data
 * directory, its output prefixed on stderr.
 */
export function spawnEngine(
  dbUrl: string,
  dataDir: string,
  extraEnv: Record<string, string> = {},
): ChildProcess {
  const child = spawn("node", ["bin/emanager.mjs", "engine"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      EMANAGER_DATA_DIR: dataDir,
      DATABASE_URL: dbUrl,
      EMANAGER_ENGINE_INTERVAL_MS: "300",
      ...extraEnv,
    },
  });
  const echo = (d: Buffer) => process.stderr.write(`[engine ${child.pid}] ${d.toString()}`);
  child.stdout?.on("data", echo);
  child.stderr?.on("data", echo);
  return child;
}

/** The process group of `pid` (field 5 of /proc/PID/stat), or null when it is gone. */
export function processGroup(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[2]);
  } catch {
    return null;
  }
}

/** The pid inside an engine id (`host:pid:random`, lib/engine/wiring.ts ENGINE_ID). */
export function enginePid(engineId: string): number {
  return Number(engineId.split(":")[1]);
}

/** Stops every engine still alive (SIGTERM to its group); for afterAll. */
export function stopEngines(engines: ChildProcess[]): void {
  for (const e of engines) {
    try {
      process.kill(-e.pid!, "SIGTERM");
    } catch {
      // already gone (killed by the test)
    }
  }
}

/** A one-stage skeleton of `tasks` tasks of `seconds` each, no files: the engine's bookkeeping is all there is to time. */
export function shortTasksSkeleton(tasks: number, seconds: number): string {
  return [
    "Num_Stage = 1",
    "",
    "Stage_Name = Stage_1",
    "    Task_Type = serial",
    `    Num_Tasks = ${tasks}`,
    `    Task_Length = uniform ${seconds}`,
    "    Num_Processes = 1",
    "    Read_Buffer = 65536",
    "    Write_Buffer = 65536",
    "    Input_Files_Each_Task = 0",
    "    Output_Files_Each_Task = 0",
    "    Interleave_Option = 0",
    "",
  ].join("\n");
}

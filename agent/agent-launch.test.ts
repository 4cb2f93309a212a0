import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TAgentConfInput } from "../lib/protocol/agent-conf";
import type { AgentEventOf } from "../lib/protocol/events";
import { count, killGroup, Sandbox } from "./harness";

// Batch-system allocations and launch methods, with stand-ins for srun/mpirun/scontrol on the
// PATH that record how they were called and run the command as the real ones would.
const open: { sb: Sandbox; pid: number }[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    killGroup(o.pid);
    o.sb.remove();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function bin(tools: Record<string, string>, onlyThese = false): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "em-bin-"));
  dirs.push(d);
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(path.join(d, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(d, name), 0o755);
  }
  if (onlyThese)
    for (const t of ["bash", "mkdir", "mv", "rm", "dd", "wc", "date", "sleep", "cat"])
      symlinkSync(`/usr/bin/${t}`, path.join(d, t));
  return onlyThese ? d : `${d}:${process.env.PATH ?? "/usr/bin:/bin"}`;
}

// srun/mpirun stand-ins: log the options, then start the command once per rank with the rank variable set
const LAUNCHER = (rankVar: string, countOpt: string) => `
echo "$(basename "$0") $*" >> "$EMANAGER_SANDBOX/launcher.log"
n=1
while [ $# -gt 0 ] && [ "\${1#-}" != "$1" ]; do
  case $1 in ${countOpt}) n=$2; shift ;; --ntasks=*) n=\${1#*=} ;; esac
  case $1 in --host) shift ;; esac
  shift
done
for ((r = 0; r < n; r++)); do ${rankVar}=$r "$@" & done
wait`;

async function activeWith(conf: Partial<TAgentConfInput>, env: Record<string, string>) {
  const sb = new Sandbox(conf);
  const agent = sb.start(env);
  open.push({ sb, pid: agent.pid });
  const ev = await sb.until((e) => count(e, "agent_active") === 1 || count(e, "agent_exit") === 1);
  return {
    sb,
    agent,
    active: ev.find((e) => e.kind === "agent_active") as AgentEventOf<"agent_active"> | undefined,
  };
}

describe("allocation", () => {
  it("SLURM: node list and cores per node, expanded without scontrol, bounded by the job's task count", async () => {
    const env = {
      PATH: bin({ scontrol: "exit 1", srun: "exit 0" }),
      SLURM_JOB_ID: "42",
      SLURM_JOB_NODELIST: "node[01-02],gpu7",
      SLURM_JOB_CPUS_PER_NODE: "4(x2),2",
    };
    const all = await activeWith({ launch: "srun" }, env);
    expect(all.active).toMatchObject({ source: "slurm", nodes: ["node01", "node02", "gpu7"], cores: 10 });
    const bounded = await activeWith({ launch: "srun" }, { ...env, SLURM_NTASKS: "6" });
    expect(bounded.active).toMatchObject({ cores: 6 });
    const forked = await activeWith({ launch: "fork" }, env);
    expect(forked.active).toMatchObject({ nodes: ["node01", "node02", "gpu7"], cores: 4 }); // fork reaches one node only
  });

  it("SLURM: asks scontrol to expand the host list when it can", async () => {
    const env = {
      PATH: bin({ scontrol: "echo alpha; echo beta", srun: "exit 0" }),
      SLURM_JOB_ID: "1",
      SLURM_JOB_NODELIST: "whatever[1-2]",
      SLURM_CPUS_ON_NODE: "3",
    };
    const { active } = await activeWith({ launch: "srun" }, env);
    expect(active).toMatchObject({ nodes: ["alpha", "beta"], cores: 6 });
  });

  it("PBS and LSF host files", async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), "em-pbs-"));
    dirs.push(d);
    writeFileSync(path.join(d, "nodes"), "n1\nn1\nn2\nn1\n");
    const pbs = await activeWith(
      { launch: "mpirun" },
      { PATH: bin({ mpirun: "exit 0" }), PBS_NODEFILE: path.join(d, "nodes") },
    );
    expect(pbs.active).toMatchObject({ source: "pbs", nodes: ["n1", "n2"], cores: 4 });
    const lsf = await activeWith(
      { launch: "mpirun" },
      { PATH: bin({ mpirun: "exit 0" }), LSB_MCPU_HOSTS: "h1 4 h2 2" },
    );
    expect(lsf.active).toMatchObject({ source: "lsf", nodes: ["h1", "h2"], cores: 6 });
    const hosts = await activeWith(
      { launch: "mpirun" },
      { PATH: bin({ mpirun: "exit 0" }), LSB_HOSTS: "h1 h1 h3" },
    );
    expect(hosts.active).toMatchObject({ source: "lsf", nodes: ["h1", "h3"], cores: 3 });
  });
});

describe("launch methods", () => {
  it("srun: places the task on its nodes with --exclusive and one rank per core; only rank 0 writes", async () => {
    const env = {
      PATH: bin({ srun: LAUNCHER("SLURM_PROCID", "-n") }),
      SLURM_JOB_ID: "7",
      SLURM_JOB_NODELIST: "c1,c2",
      SLURM_JOB_CPUS_PER_NODE: "2(x2)",
    };
    const { sb } = await activeWith({ launch: "srun" }, env);
    sb.drop([
      {
        kind: "synthetic",
        taskId: "mpi",
        attempt: 0,
        cores: 3,
        type: "parallel",
        mode: "time",
        length: 0.1,
        readBuffer: 4096,
        writeBuffer: 4096,
        interleave: 0,
        inputs: [],
        outputs: [{ path: "out/r", size: 5000 }],
      },
      { kind: "shell", taskId: "sh", attempt: 0, cores: 1, command: "echo rank=$SLURM_PROCID" },
    ]);
    const ev = await sb.until((e) => count(e, "task_done") === 2);
    expect(ev.filter((e) => e.kind === "task_done").map((e) => e.exitCode)).toEqual([0, 0]);
    const mpi = ev.find(
      (e) => e.kind === "task_executing" && e.taskId === "mpi",
    ) as AgentEventOf<"task_executing">;
    expect(mpi).toMatchObject({ slots: [0, 1, 2], hosts: ["c1", "c2"] });
    const log = readFileSync(sb.path("launcher.log"), "utf8");
    expect(log).toContain("srun --exclusive --ntasks=3 --nodes=2 --nodelist=c1,c2");
    expect(log).toMatch(/--synthetic parallel time 0.1 4096 4096 0 0 1 out\/r 5000/);
    expect(statSync(sb.path("tasks", "mpi.0", "out", "r")).size).toBe(5000);
    expect(readFileSync(sb.path("tasks", "mpi.0", "stdout"), "utf8").match(/synthetic task/g)).toHaveLength(
      3,
    ); // three ranks computed
    expect(readFileSync(sb.path("tasks", "sh.0", "stdout"), "utf8")).toBe("rank=0\n");
  });

  it("mpirun: -np and host:count pairs", async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), "em-pbs-"));
    dirs.push(d);
    writeFileSync(path.join(d, "nodes"), "n1\nn1\n");
    const { sb } = await activeWith(
      { launch: "mpirun" },
      { PATH: bin({ mpirun: LAUNCHER("OMPI_COMM_WORLD_RANK", "-np") }), PBS_NODEFILE: path.join(d, "nodes") },
    );
    sb.drop([{ kind: "shell", taskId: "m", attempt: 0, cores: 2, command: "echo r$OMPI_COMM_WORLD_RANK" }]);
    await sb.until((e) => count(e, "task_done") === 1);
    expect(readFileSync(sb.path("launcher.log"), "utf8")).toContain("mpirun -np 2 --host n1:2 bash -c");
    expect(
      readFileSync(sb.path("tasks", "m.0", "stdout"), "utf8")
        .split("\n")
        .sort()
        .join(" ")
        .trim(),
    ).toBe("r0 r1");
  });
});

describe("configuration errors end the pilot visibly", () => {
  async function confError(conf: string, env: Record<string, string> = {}) {
    const sb = new Sandbox();
    writeFileSync(sb.path("agent.conf"), conf);
    const agent = sb.start(env);
    open.push({ sb, pid: agent.pid });
    expect(await agent.exited).toBe(2);
    const ev = sb.read().events;
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ kind: "agent_exit", reason: "conf_error" });
    expect(readFileSync(sb.path("bootstrap.log"), "utf8")).toContain("fatal:");
    return (ev[0] as AgentEventOf<"agent_exit">).detail;
  }
  const good =
    "protocol_version=1\npilot_id=p\ncores=2\nwalltime_s=60\ndrain_margin_s=5\nheartbeat_s=1\nlaunch=fork\n";

  it("a missing or unreadable value, a newer protocol, a launcher that is not there", async () => {
    expect(await confError(good.replace("cores=2\n", ""))).toContain("cores is missing");
    expect(await confError(good.replace("cores=2", "cores=$(reboot)"))).toContain("not a whole number");
    expect(await confError(good.replace("protocol_version=1", "protocol_version=2"))).toContain("speaks 1");
    expect(await confError(good.replace("launch=fork", "launch=ssh"))).toContain("not fork, srun or mpirun");
    expect(await confError(good.replace("launch=fork", "launch=srun"), { PATH: bin({}, true) })).toContain(
      "no srun on the PATH",
    );
  });
});

import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalTransport } from "../transport/local";
import { local } from "./local";

// The local adapter's submission on this machine, for real: when it returns, the job id already
// names the pilot's process group (fork's `setsid … & echo $!` prints the pid before the child has
// called setsid; under load a check right after the submission found no such group).
const dir = mkdtempSync(path.join(os.tmpdir(), "em-local-submit-"));
const t = new LocalTransport({ cwd: dir });
const started: number[] = [];
afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // ended
    }
  }
  await t.close();
});

describe("a local submission", () => {
  it("returns once the pilot's process group exists, every time", async () => {
    const script = path.join(dir, "pilot.job");
    writeFileSync(script, "#!/bin/bash\nsleep 30\n", { mode: 0o755 });
    for (let i = 0; i < 20; i++) {
      const r = await t.exec(`cd ${dir} && ${local.submitCommand(script)}`);
      const s = local.parseSubmit(r.stdout, r.stderr, r.code);
      if (!s.ok) throw new Error(s.message);
      const pid = Number(s.jobId.replace(/^local:/, ""));
      started.push(pid);
      expect(() => process.kill(-pid, 0)).not.toThrow();
    }
  }, 60_000);
});

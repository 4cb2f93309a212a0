import { describe, expect, it } from "vitest";
import { ZBatchWord, ZEnvLine, ZHostname, ZJobId, ZRemotePath, ZUsername } from "./patterns";

const attacks = [
  "$(touch /tmp/x)",
  "`id`",
  "a;b",
  "a b",
  "a\nb",
  "a'b",
  'a"b',
  "--wrap=rm",
  "a|b",
  "a&b",
  "a>b",
  "*",
  "x$HOME",
];

describe("shell value patterns", () => {
  it("accept ordinary values", () => {
    for (const v of ["login.stampede.tacc.utexas.edu", "127.0.0.1", "::1"])
      expect(ZHostname.safeParse(v).success, v).toBe(true);
    expect(ZUsername.safeParse("hpcuser").success).toBe(true);
    for (const v of ["normal", "gpu-a100", "TG-MCB090174"])
      expect(ZBatchWord.safeParse(v).success, v).toBe(true);
    for (const v of ["~/emanager", "/scratch/u/em_1"]) expect(ZRemotePath.safeParse(v).success, v).toBe(true);
    for (const v of ["module load gcc/12.2", "export OMP_NUM_THREADS=1", "source /opt/env.sh"])
      expect(ZEnvLine.safeParse(v).success, v).toBe(true);
    for (const v of ["12345", "12345_7", "4242.pbs01", "77[3]"])
      expect(ZJobId.safeParse(v).success, v).toBe(true);
  });
  it("reject every injection attempt in every field", () => {
    for (const a of attacks) {
      expect(ZHostname.safeParse(a).success, `host ${a}`).toBe(false);
      expect(ZUsername.safeParse(a).success, `user ${a}`).toBe(false);
      expect(ZBatchWord.safeParse(a).success, `queue ${a}`).toBe(false);
      expect(ZRemotePath.safeParse(`/x/${a}`).success, `path ${a}`).toBe(false);
      expect(ZJobId.safeParse(a).success, `job ${a}`).toBe(false);
    }
    expect(ZRemotePath.safeParse("/home/../etc").success).toBe(false);
    for (const l of ["export A=$(curl x)", "module load `x`", "rm -rf ~", "module load a\nrm -rf /"])
      expect(ZEnvLine.safeParse(l).success, l).toBe(false);
  });
});

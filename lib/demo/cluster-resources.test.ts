import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clusterDir } from "../config/cluster-info";
import { clusterInfo } from "./cluster-resources";

// The demo reads the loopback cluster's cluster.json through its schema: a file that is not what
// scripts/cluster/up.sh writes means "no cluster" (the demo runs on `local`), never a cast object.
describe("the demo's view of the loopback cluster", () => {
  it("is null for a missing or malformed cluster.json, the file's facts for the real one", () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "em-demo-cluster-"));
    expect(clusterInfo(empty)).toBeNull();
    const bad = mkdtempSync(path.join(os.tmpdir(), "em-demo-cluster-"));
    writeFileSync(
      path.join(bad, "cluster.json"),
      JSON.stringify({
        host: "127.0.0.1",
        port: "2222",
        user: "hpcuser",
        privateKeyPath: "/etc/hostname",
        hostKey: "x",
      }),
    );
    expect(clusterInfo(bad)).toBeNull();
    // the loopback cluster of this machine (scripts/cluster/up.sh; the integration tests need it anyway)
    const real = JSON.parse(readFileSync(path.join(clusterDir(), "cluster.json"), "utf8")) as unknown;
    const read = clusterInfo();
    expect(read).not.toBeNull();
    // what the schema knows, as the file says it (fields it does not know are left out)
    expect(real).toMatchObject(read!);
  });
});

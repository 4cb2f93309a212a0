import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { ensureCluster, type ClusterInfo } from "../../scripts/cluster/cluster-info";
import { SshTransport, type SshOptions } from "../transport/ssh";

/**
 * For the *.int.test.ts files: the loopback cluster (scripts/cluster/up.sh, started on demand;
 * a machine that cannot have it fails the tests with ensure.mjs's reason, never skips them).
 */
export interface ClusterAccess {
  info: ClusterInfo;
  key: string;
  /** a transport to hpcuser@127.0.0.1:2222 with the cluster's key and pinned host key */
  transport: (o?: Partial<SshOptions>) => SshTransport;
}

export function clusterAccess(): ClusterAccess {
  const info = ensureCluster();
  const key = readFileSync(info.privateKeyPath, "utf8");
  return {
    info,
    key,
    transport: (o = {}) =>
      new SshTransport({
        host: info.host,
        port: info.port,
        username: info.user,
        privateKey: key,
        hostKey: info.hostKey,
        callTimeoutMs: 20_000,
        ...o,
      }),
  };
}

/** A fresh ed25519 key pair made by ssh-keygen: [private key text, public key line]. */
export function freshKeyPair(passphrase = ""): [string, string] {
  const out = execFileSync("bash", [
    "-c",
    'd=$(mktemp -d) && ssh-keygen -q -t ed25519 -N "$1" -f "$d/k" && cat "$d/k" && echo "@@" && cat "$d/k.pub" && rm -rf "$d"',
    "_",
    passphrase,
  ]).toString();
  const [priv, pub] = out.split("@@\n");
  return [priv ?? "", (pub ?? "").trim()];
}

/**
 * Kills the sshd processes serving one connection, found from inside it: the shell's parent is
 * the session process and its parent the privileged monitor. Other connections are untouched.
 */
export async function dropConnection(t: SshTransport): Promise<number> {
  const session = Number((await t.exec("echo $PPID")).stdout.trim());
  const monitor = Number(
    execFileSync("ps", ["-o", "ppid=", "-p", String(session)])
      .toString()
      .trim(),
  );
  for (const pid of [monitor, session]) {
    // Only ever an sshd process serving this test user's connection.
    if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "sshd")
      throw new Error(`pid ${pid} is not an sshd process`);
    if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("sshd: hpcuser"))
      throw new Error(`pid ${pid} does not serve hpcuser`);
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone with its partner
    }
  }
  return session;
}

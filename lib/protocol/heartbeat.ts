import { LINE_TAG } from "./fields";

/**
 * `heartbeat`: one line, `v1 TAB epoch_ms TAB running TAB queued TAB free_cores`, replaced
 * (temp file + rename) every heartbeat interval. The server may trust the file's mtime alone;
 * the content adds the agent's own clock and its load. A bare epoch_ms is accepted too.
 */
export interface Heartbeat {
  at: number;
  /** null when the line carried only the time */
  running: number | null;
  queued: number | null;
  freeCores: number | null;
}

export type HeartbeatResult =
  | { ok: true; heartbeat: Heartbeat }
  | { ok: false; code: "EMPTY" | "GARBAGE" | "UNKNOWN_VERSION"; message: string };

const NUM = /^(0|[1-9][0-9]{0,15})$/;

export function parseHeartbeat(text: string): HeartbeatResult {
  const line = text.split("\n")[0]?.trim() ?? "";
  if (line === "")
    return { ok: false, code: "EMPTY", message: "the heartbeat file is empty (being replaced?)" };
  if (NUM.test(line))
    return { ok: true, heartbeat: { at: Number(line), running: null, queued: null, freeCores: null } };
  const [tag, ...f] = line.split("\t");
  if (tag !== LINE_TAG && /^v[0-9]+$/.test(tag ?? ""))
    return {
      ok: false,
      code: "UNKNOWN_VERSION",
      message: `heartbeat format ${tag}; this server reads ${LINE_TAG}`,
    };
  if (tag !== LINE_TAG || f.length < 4 || !f.slice(0, 4).every((x) => NUM.test(x))) {
    return { ok: false, code: "GARBAGE", message: `not a heartbeat: ${JSON.stringify(line.slice(0, 200))}` };
  }
  const [at, running, queued, free] = f.slice(0, 4).map(Number) as [number, number, number, number];
  return { ok: true, heartbeat: { at, running, queued, freeCores: free } };
}

export function renderHeartbeat(h: {
  at: number;
  running: number;
  queued: number;
  freeCores: number;
}): string {
  return `${LINE_TAG}\t${h.at}\t${h.running}\t${h.queued}\t${h.freeCores}\n`;
}

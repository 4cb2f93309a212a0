import { describe, expect, it } from "vitest";
import { parseAgentConf, renderAgentConf } from "./agent-conf";
import { parseHeartbeat, renderHeartbeat } from "./heartbeat";

const CONF = {
  pilotId: "run-3.pilot-0",
  cores: 16,
  walltimeSeconds: 3600,
  drainMarginSeconds: 30,
  heartbeatSeconds: 5,
  launch: "srun" as const,
};

describe("agent.conf", () => {
  it("renders key=value lines the agent reads, with defaults for the optional keys", () => {
    expect(renderAgentConf(CONF)).toBe(
      "protocol_version=1\npilot_id=run-3.pilot-0\ncores=16\nwalltime_s=3600\ndrain_margin_s=30\nheartbeat_s=5\nlaunch=srun\npoll_ms=100\nkill_grace_s=3\n",
    );
  });

  it("reads back what it renders, ignoring keys it does not know", () => {
    const text = renderAgentConf({ ...CONF, pollMs: 250 }) + "future_key=1\n";
    expect(parseAgentConf(text)).toEqual({ ok: true, conf: { ...CONF, pollMs: 250, killGraceSeconds: 3 } });
  });

  it("refuses values the agent would reject or that make no sense", () => {
    expect(() => renderAgentConf({ ...CONF, pilotId: "p 1" })).toThrow();
    expect(() => renderAgentConf({ ...CONF, cores: 0 })).toThrow();
    expect(() => renderAgentConf({ ...CONF, drainMarginSeconds: 3600 })).toThrow(/shorter than the walltime/);
    expect(() => renderAgentConf({ ...CONF, launch: "ssh" as "srun" })).toThrow();
    expect(parseAgentConf("protocol_version=2\n")).toMatchObject({ ok: false, code: "BAD_VERSION" });
    expect(parseAgentConf(renderAgentConf(CONF).replace("cores=16", "cores=sixteen"))).toMatchObject({
      ok: false,
      code: "BAD_CONF",
    });
  });
});

describe("heartbeat", () => {
  it("reads the agent's line, a bare time, and tells an empty or foreign file apart", () => {
    const hb = { at: 1_700_000_000_123, running: 3, queued: 40, freeCores: 1 };
    expect(parseHeartbeat(renderHeartbeat(hb))).toEqual({ ok: true, heartbeat: hb });
    expect(parseHeartbeat("1700000000123\n")).toEqual({
      ok: true,
      heartbeat: { at: 1_700_000_000_123, running: null, queued: null, freeCores: null },
    });
    expect(parseHeartbeat("")).toMatchObject({ ok: false, code: "EMPTY" });
    expect(parseHeartbeat("v9\t1\t2\t3\t4")).toMatchObject({ ok: false, code: "UNKNOWN_VERSION" });
    expect(parseHeartbeat("v1\t1\t2")).toMatchObject({ ok: false, code: "GARBAGE" });
    expect(parseHeartbeat("<html>")).toMatchObject({ ok: false, code: "GARBAGE" });
  });
});

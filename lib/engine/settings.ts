/**
 * The engine's settings, read from the environment when a context or the loop is made (never at
 * module load, so a test or the CLI that sets a variable first is heard). Steps get them through
 * the EngineContext (context.ts).
 */
export interface EngineSettings {
  heartbeatTimeoutS: number;
  pollIntervalS: number;
  prefetchShare: number;
  tickS: number;
}

export function engineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  return {
    heartbeatTimeoutS: Number(env.EMANAGER_HEARTBEAT_TIMEOUT_S ?? 60),
    pollIntervalS: Number(env.EMANAGER_POLL_INTERVAL_S ?? 5),
    prefetchShare: Math.max(0, Number(env.EMANAGER_PREFETCH ?? 0.5)),
    tickS: Number(env.EMANAGER_ENGINE_INTERVAL_MS ?? 500) / 1000,
  };
}

/**
 * The file protocol between the server and the pilot agent (agent/README.md): schemas,
 * serialisers and parsers, pure (no I/O). `./agent` adapts it to the engine's older port types.
 */
export { PROTOCOL_VERSION, LINE_TAG, ZWord, ZAgentPath } from "./fields";
export { SANDBOX, DRAIN_FILE, cancelFile, batchFile, taskFiles } from "./sandbox";
export { ZAgentConf, LAUNCH_METHODS, renderAgentConf, parseAgentConf } from "./agent-conf";
export type { TAgentConf, TAgentConfInput, LaunchMethod, ConfResult } from "./agent-conf";
export { ZInboxTask, ZSyntheticTask, ZShellTask, renderInboxBatch, renderTaskLine } from "./inbox";
export type { TInboxTask, TInboxTaskInput, BatchResult, BatchError } from "./inbox";
export { parseInboxBatch } from "./inbox-parse";
export type { InboxProblem } from "./inbox-parse";
export { parseEventLog, parseEventLine, renderEventLine, TASK_FAIL_REASONS, AGENT_STOP_REASONS, ALLOCATION_SOURCES } from "./events";
export type { AgentEvent, AgentEventKind, AgentEventOf, EventProblem, EventProblemCode, ParsedLog, ParseLogOptions } from "./events";
export { parseHeartbeat, renderHeartbeat } from "./heartbeat";
export type { Heartbeat, HeartbeatResult } from "./heartbeat";

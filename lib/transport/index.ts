/** Reaching machines: the Transport interface, its SSH and local implementations, the SSH pool. */
export type { ExecOptions, ExecResult, FileStat, ReadOptions, Transport, WriteOptions } from "./types";
export {
  TransportError,
  isTransportError,
  type HostKeyInfo,
  type TransportErrorCode,
  type TransportErrorDetail,
} from "./errors";
export { SshTransport, type SshOptions } from "./ssh";
export { LocalTransport, type LocalOptions } from "./local";
export { SshPool, sshPool, optionsSignature } from "./pool";
export { hostKeyInfo, keyAlgorithm, parsePublicKeyLine, sha256Fingerprint } from "./fingerprint";

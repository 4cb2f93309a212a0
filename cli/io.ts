import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { escapeControl } from "../lib/util/text";

/** What a command may touch: its streams and files. Tests pass their own. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /**
   * Writes a long output chunk by chunk, waiting whenever the stream's buffer is full, so that
   * output larger than memory (a million-task JSON) streams instead of piling up.
   */
  outChunks(chunks: Iterable<string>): Promise<void>;
  readText(path: string): Promise<string>;
}

/** Writes to a Node stream, waiting for `drain` when it reports a full buffer. */
async function writeAll(stream: NodeJS.WriteStream, chunks: Iterable<string>): Promise<void> {
  for (const c of chunks) {
    if (!stream.write(c)) await once(stream, "drain");
  }
}

export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  outChunks: (chunks) => writeAll(process.stdout, chunks),
  readText: (p) => readFile(p, "utf8"),
};

/**
 * Text from a file (a path, a stage name) for a terminal: control bytes shown as `\xHH`, so
 * that a file name cannot recolour or rewrite the user's screen.
 */
export const safe = escapeControl;

/** An in-memory IO for tests: collects what was written. */
export function memoryIO(files: Record<string, string> = {}): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    async outChunks(chunks: Iterable<string>) {
      for (const c of chunks) io.stdout += c;
    },
    async readText(p: string) {
      const f = files[p];
      if (f === undefined) return readFile(p, "utf8");
      return f;
    },
  };
  return io;
}

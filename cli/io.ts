import { readFile } from "node:fs/promises";

/** What a command may touch: its streams and files. Tests pass their own. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  readText(path: string): Promise<string>;
}

export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  readText: (p) => readFile(p, "utf8"),
};

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
    async readText(p: string) {
      const f = files[p];
      if (f === undefined) return readFile(p, "utf8");
      return f;
    },
  };
  return io;
}

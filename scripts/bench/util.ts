import os from "node:os";

/** Median wall time of `fn` over `runs` runs (ms), after one warm-up. */
export async function timeIt(fn: () => unknown, runs = 3): Promise<number> {
  await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "cpu";
  return `${os.cpus().length} × ${cpu.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * A small pool of worker threads for CPU-heavy, pure jobs (expansion, planning, statistics), so
 * the request thread, which also runs the engine, keeps answering. Fair between users: each user
 * has a bounded queue (one user cannot fill the pool) and idle workers take jobs from the users in
 * turn. A job running past its deadline is stopped by terminating its worker, which is replaced
 * at once; workers are started with the pool and kept warm (their start-up, loading the
 * TypeScript sources through tsx, costs about a second).
 */

export interface PoolOptions {
  /** absolute path of the worker's entry file */
  entry: string;
  /** load the entry through tsx (a TypeScript file); `--import tsx` in execArgv does not reach a worker's entry on Node 20 */
  tsx?: boolean;
  execArgv?: string[];
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
  size: number;
  /** jobs one user may have queued or running at once */
  maxPerUser: number;
  /** jobs queued (not yet running) over all users */
  maxQueued: number;
  /** default run time a job may take once a worker has it, in ms */
  deadlineMs: number;
}

export type WorkErrorCode = "BUSY" | "DEADLINE" | "FAILED" | "CLOSED";

/** An expected refusal or failure of a job; `message` is written for the user. */
export class WorkError extends Error {
  constructor(
    readonly code: WorkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "WorkError";
  }
}

/**
 * Whether `e` is a WorkError. Not `instanceof`: Next bundles route handlers and pages as separate
 * module copies, and the pool on globalThis throws the class of whichever copy created it.
 */
export function isWorkError(e: unknown): e is WorkError {
  return e instanceof Error && e.name === "WorkError" && typeof (e as { code?: unknown }).code === "string";
}

interface Job {
  id: number;
  userId: string;
  payload: unknown;
  deadlineMs: number;
  resolve: (v: unknown) => void;
  reject: (e: WorkError) => void;
}

interface Slot {
  /** null: its worker failed to start; respawned by the next run() */
  worker: Worker | null;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

type FromWorker =
  { ready: true } | { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

export interface PoolStats {
  workers: number;
  ready: number;
  running: number;
  queued: number;
  completed: number;
  stopped: number;
  /** ms from spawning a worker to its first message, for the last worker started */
  lastStartMs: number | null;
  /** why the last worker that failed to start failed */
  startError: string | null;
}

export class WorkPool {
  private readonly slots: Slot[] = [];
  private readonly queues = new Map<string, Job[]>();
  /** when each user with work in the pool was last served (a dispatch counter) */
  private readonly lastServed = new Map<string, number>();
  private served = 0;
  private nextId = 1;
  private closed = false;
  private counts = {
    completed: 0,
    stopped: 0,
    lastStartMs: null as number | null,
    startError: null as string | null,
  };

  constructor(private readonly opts: PoolOptions) {
    for (let i = 0; i < Math.max(1, opts.size); i++) this.slots.push(this.spawn());
  }

  /** Runs `payload` on a worker for `userId`; rejects with a WorkError when refused, late or broken. */
  run(userId: string, payload: unknown, deadlineMs = this.opts.deadlineMs): Promise<unknown> {
    if (this.closed) return Promise.reject(new WorkError("CLOSED", "the server is shutting down"));
    if (this.pendingFor(userId) >= this.opts.maxPerUser) {
      return Promise.reject(
        new WorkError(
          "BUSY",
          `you already have ${this.opts.maxPerUser} large computations under way; wait for them to finish and try again`,
        ),
      );
    }
    if (this.queuedCount() >= this.opts.maxQueued)
      return Promise.reject(
        new WorkError("BUSY", "the server is busy with other users' computations; try again in a minute"),
      );
    this.slots.forEach((s, i) => {
      if (!s.worker) this.slots[i] = this.spawn();
    });
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, userId, payload, deadlineMs, resolve, reject };
      const q = this.queues.get(userId) ?? [];
      q.push(job);
      this.queues.set(userId, q);
      this.dispatch();
    });
  }

  stats(): PoolStats {
    return {
      workers: this.slots.length,
      ready: this.slots.filter((s) => s.ready).length,
      running: this.slots.filter((s) => s.job).length,
      queued: this.queuedCount(),
      ...this.counts,
    };
  }

  /** Resolves once every worker has loaded its entry file (for warm-up and measurements). */
  async warm(timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    while (this.slots.some((s) => !s.ready)) {
      if (this.slots.some((s) => !s.worker))
        throw new WorkError("FAILED", this.counts.startError ?? "the worker threads cannot start");
      if (Date.now() - t0 > timeoutMs) throw new WorkError("FAILED", "the worker threads did not start");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queues.values())
      for (const j of q) j.reject(new WorkError("CLOSED", "the server is shutting down"));
    this.queues.clear();
    await Promise.all(
      this.slots.map((s) => this.stop(s, new WorkError("CLOSED", "the server is shutting down"))),
    );
  }

  private pendingFor(userId: string): number {
    return (this.queues.get(userId)?.length ?? 0) + this.slots.filter((s) => s.job?.userId === userId).length;
  }

  private queuedCount(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  private spawn(): Slot {
    const t0 = performance.now();
    const worker = new Worker(this.opts.tsx ? tsxBootstrap(this.opts.entry) : this.opts.entry, {
      eval: this.opts.tsx === true,
      execArgv: this.opts.execArgv ?? [],
      workerData: this.opts.workerData,
      ...(this.opts.resourceLimits ? { resourceLimits: this.opts.resourceLimits } : {}),
    });
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    worker.unref(); // an idle pool must not keep a process (a test, a script) alive
    worker.on("message", (m: FromWorker) => {
      if ("ready" in m) {
        slot.ready = true;
        this.counts.lastStartMs = performance.now() - t0;
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      this.release(slot);
      this.counts.completed += 1;
      if (m.ok) job.resolve(m.value);
      else job.reject(new WorkError("FAILED", `the computation failed: ${m.message}`));
      this.dispatch();
    });
    // a crash (out of memory, a broken entry file): fail its job, replace the worker
    worker.on("error", (e: Error) => this.lost(slot, `the computation failed: ${e.message}`));
    worker.on("exit", () => this.lost(slot, "the computation's worker thread exited"));
    return slot;
  }

  /** A worker died by itself. One that never started is not respawned in a loop: its error fails the waiting jobs. */
  private lost(slot: Slot, message: string): void {
    if (slot.ready || slot.job) return this.replace(slot, new WorkError("FAILED", message));
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots[i] = { worker: null, ready: false, job: null, timer: null };
    const why = new WorkError("FAILED", `the worker threads cannot start: ${message}`);
    this.counts.startError = why.message;
    for (const q of this.queues.values()) for (const j of q) j.reject(why);
    this.queues.clear();
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker?.unref();
  }

  /** Stops a slot's worker, failing its job with `why`; the slot is then dead (replace() swaps it out). */
  private async stop(slot: Slot, why: WorkError): Promise<void> {
    const job = slot.job;
    this.release(slot);
    slot.ready = false;
    job?.reject(why);
    const w = slot.worker;
    if (!w) return;
    w.removeAllListeners("exit");
    w.removeAllListeners("message");
    w.on("error", () => undefined);
    await w.terminate();
  }

  private replace(slot: Slot, why: WorkError): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    void this.stop(slot, why);
    if (this.closed) {
      this.slots.splice(i, 1);
      return;
    }
    this.slots[i] = this.spawn();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job || !slot.worker) continue;
      const job = this.nextJob();
      if (!job) return;
      slot.job = job;
      slot.worker.ref();
      const worker = slot.worker;
      slot.timer = setTimeout(() => {
        this.counts.stopped += 1;
        this.replace(
          slot,
          new WorkError(
            "DEADLINE",
            `the computation took longer than ${Math.round(job.deadlineMs / 100) / 10} s and was stopped`,
          ),
        );
      }, job.deadlineMs);
      worker.postMessage({ id: job.id, job: job.payload });
    }
  }

  /**
   * The next job: from the user served least recently (then the longest waiting), so one user's
   * burst waits behind the others' single jobs.
   */
  private nextJob(): Job | undefined {
    let pick: string | undefined;
    for (const userId of this.queues.keys()) {
      if (pick === undefined || (this.lastServed.get(userId) ?? -1) < (this.lastServed.get(pick) ?? -1))
        pick = userId;
    }
    if (pick === undefined) return undefined;
    const q = this.queues.get(pick)!;
    const job = q.shift();
    if (!q.length) this.queues.delete(pick);
    this.lastServed.set(pick, this.served++);
    // forget users with nothing queued or running, so the map stays as small as the queue
    for (const u of this.lastServed.keys())
      if (!this.queues.has(u) && u !== pick && !this.slots.some((s) => s.job?.userId === u))
        this.lastServed.delete(u);
    return job;
  }
}

/**
 * The eval'd script of a worker whose entry is TypeScript: registers tsx's loader inside the
 * worker, then imports the entry. tsx is resolved from the working directory (the repository).
 */
function tsxBootstrap(entry: string): string {
  return [
    `const { createRequire } = require("node:module");`,
    `const { pathToFileURL } = require("node:url");`,
    `const path = require("node:path");`,
    // the ESM build of tsx/esm/api, from tsx's own exports map (resolve() would give the CommonJS one)
    `const pkg = createRequire(process.cwd() + "/package.json").resolve("tsx/package.json");`,
    `const api = path.join(path.dirname(pkg), require(pkg).exports["./esm/api"].import.default);`,
    `import(pathToFileURL(api).href).then((t) => { t.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); });`,
  ].join("\n");
}

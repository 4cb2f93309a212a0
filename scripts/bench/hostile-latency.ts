import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { openDb } from "../../lib/db/client";
import { setTaskLimitByEmail } from "../../lib/db/task-limits";
import { signUp } from "../../lib/db/users";
import { MAX_TASKS } from "../../lib/skeleton";
import { bigText } from "../../lib/work/test-helpers";
import type { BenchRow } from "./types";

/**
 * One user must not freeze the others. Against the production server (its own build in
 * EMANAGER_DIST_DIR, default .next-h2, on port 3210 unless EMANAGER_BENCH_PORT): the p95 latency
 * of another user's page (/skeletons) and of /api/health while one user uploads, previews and
 * plans the largest skeleton an account may be allowed (MAX_TASKS tasks, after an administrator
 * raised that user's limit), against the same requests on the idle server in the same run. Also
 * how stale the engine's last tick got, and two body-limit checks on the real server (a chunked
 * upload over the limit, a 50 MB server-action body): both must answer 413.
 */
const PASSWORD = "a long enough bench password";
const SAMPLES = Number(process.env.EMANAGER_BENCH_SAMPLES ?? 60);

const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(data: string, port: number, dist: string): Promise<ChildProcess> {
  const child = spawn("npx", ["--no-install", "tsx", "scripts/start.ts"], {
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      EMANAGER_HOST: "127.0.0.1",
      EMANAGER_DATA_DIR: data,
      EMANAGER_DIST_DIR: dist,
      EMANAGER_ENGINE_INTERVAL_MS: "500",
    },
  });
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet (or still building)
    }
    await sleep(500);
  }
  throw new Error("the server did not start within 10 min");
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header of the session. */
async function signIn(base: string, email: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const jar = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const r = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar, origin: base },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD, json: "true" }),
  });
  const session = r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c?.includes("session-token"));
  if (!session) throw new Error(`sign-in of ${email} failed (${r.status})`);
  return session;
}

async function timed(url: string, cookie?: string): Promise<number> {
  const t = performance.now();
  const r = await fetch(url, { headers: cookie ? { cookie } : {} });
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return performance.now() - t;
}

interface Sampled {
  page: number[];
  health: number[];
  /** ms since the engine's last tick, as /api/health reported it */
  engineLag: number[];
}

/** The bystander: its page and the health probe, one after the other, every 100 ms. */
async function sample(base: string, cookie: string, n: number): Promise<Sampled> {
  const s: Sampled = { page: [], health: [], engineLag: [] };
  for (let i = 0; i < n; i++) {
    s.page.push(await timed(`${base}/skeletons`, cookie));
    const t = performance.now();
    const h = await fetch(`${base}/api/health`);
    const body = (await h.json()) as { engine: { lastTickAt: number | null } | null };
    s.health.push(performance.now() - t);
    if (body.engine?.lastTickAt) s.engineLag.push(Date.now() - body.engine.lastTickAt);
    await sleep(100);
  }
  return s;
}

async function upload(
  base: string,
  cookie: string,
  name: string,
  text: string,
): Promise<{ status: number; id?: string; message?: string }> {
  const r = await fetch(`${base}/api/skeletons`, {
    method: "POST",
    headers: { cookie, origin: base, "content-type": "application/json" },
    body: JSON.stringify({ name, text }),
  });
  const b = (await r.json()) as { id?: string; error?: { message: string } };
  return {
    status: r.status,
    ...(b.id ? { id: b.id } : {}),
    ...(b.error ? { message: b.error.message } : {}),
  };
}

/** The hostile user: four request loops at once (uploads of the largest skeleton, previews, plans with changing knobs). */
function hostile(
  base: string,
  cookie: string,
  firstId: string,
  stop: { done: boolean },
): Promise<{ requests: number; refused: number; failed: number }> {
  const stats = { requests: 0, refused: 0, failed: 0 };
  let n = 0;
  const loop = async (next: () => Promise<number>) => {
    while (!stop.done) {
      const status = await next().catch(() => 0);
      stats.requests += 1;
      if (status === 429) stats.refused += 1;
      if (status >= 500 || status === 0) stats.failed += 1;
    }
  };
  const get = async (url: string) =>
    await fetch(url, { headers: { cookie } }).then(async (r) => (await r.arrayBuffer(), r.status));
  return Promise.all([
    loop(async () => (await upload(base, cookie, `big-${n++}.input`, bigText(MAX_TASKS))).status),
    loop(() => get(`${base}/skeletons/${firstId}/plan?margin=${10 + (n++ % 50)}`)),
    loop(() => get(`${base}/skeletons/${firstId}/plan?concurrency=${50 + (n++ % 50)}`)),
    loop(() => get(`${base}/skeletons/${firstId}`)),
  ]).then(() => stats);
}

/** Sends `total` bytes chunked (or with a declared length) and returns the status the server answered with. */
function push(
  port: number,
  pathName: string,
  headers: Record<string, string>,
  total: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: pathName, method: "POST", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (e) => reject(e));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const write = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

export async function bench(): Promise<BenchRow[]> {
  const data = mkdtempSync(path.join(os.tmpdir(), "em-bench-hostile-"));
  const port = Number(process.env.EMANAGER_BENCH_PORT ?? 3210);
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(data, port, process.env.EMANAGER_DIST_DIR ?? ".next-h2");
  try {
    const db = openDb(`file:${path.join(data, "emanager.db")}`);
    for (const email of ["admin@example.org", "heavy@example.org", "other@example.org"]) {
      const u = await signUp(db, { email, password: PASSWORD });
      if (!u.ok) throw new Error(u.error.message);
    }
    const heavy = await signIn(base, "heavy@example.org");
    const other = await signIn(base, "other@example.org");
    const refused = await upload(base, heavy, "big.input", bigText(MAX_TASKS));
    if (refused.status !== 422 || !/limit of 200,000 tasks per skeleton/.test(refused.message ?? ""))
      throw new Error(
        `a ${MAX_TASKS}-task upload under the default limit answered ${refused.status} ${refused.message}`,
      );
    await setTaskLimitByEmail(db, "heavy@example.org", MAX_TASKS);
    await db.$disconnect();

    // body limits on the real server
    const chunked = await push(
      port,
      "/api/skeletons",
      { cookie: heavy, origin: base, "content-type": "application/json", "transfer-encoding": "chunked" },
      64 << 20,
    );
    const action = await push(
      port,
      "/account",
      {
        cookie: heavy,
        origin: base,
        "next-action": "0".repeat(42),
        "content-type": "text/plain;charset=UTF-8",
        "content-length": String(50 << 20),
      },
      50 << 20,
    ).catch(() => -1);
    process.stderr.write(`[bench] chunked 64 MB upload → ${chunked}; 50 MB server-action body → ${action}\n`);
    if (chunked !== 413 || action !== 413)
      throw new Error(
        `body limits: chunked upload answered ${chunked}, 50 MB server action ${action} (both should be 413)`,
      );

    await sample(base, other, 5); // warm-up: the first renders of the bystander's page
    const idle = await sample(base, other, SAMPLES);
    const t0 = performance.now();
    const first = await upload(base, heavy, "big.input", bigText(MAX_TASKS));
    const uploadMs = performance.now() - t0;
    if (first.status !== 201 || !first.id)
      throw new Error(
        `the ${MAX_TASKS}-task upload after raising the limit answered ${first.status} ${first.message}`,
      );
    const stop = { done: false };
    const load = hostile(base, heavy, first.id, stop);
    await sleep(1000);
    const loaded = await sample(base, other, SAMPLES);
    stop.done = true;
    const h = await load;
    process.stderr.write(
      `[bench] hostile user: ${h.requests} requests, ${h.refused} uploads refused with 429 (per-user bound), ${h.failed} failed (5xx or no answer)\n`,
    );
    if (h.failed) throw new Error(`${h.failed} of the hostile user's requests failed (5xx or no answer)`);
    const row = (what: string, l: number[], i: number[], budget?: string): BenchRow => ({
      figure: `another user's ${what} while one user uploads and plans ${MAX_TASKS.toLocaleString("en")}-task skeletons: p95 of ${l.length}`,
      value: p95(l),
      unit: "ms",
      baseline: { label: "the same requests, idle server", value: p95(i), unit: "ms" },
      ratio: p95(l) / p95(i),
      ...(budget ? { budget } : {}),
    });
    return [
      row("page (/skeletons)", loaded.page, idle.page, "< 300 ms"),
      row("/api/health", loaded.health, idle.health, "< 300 ms"),
      {
        figure:
          "engine: most time since its last tick seen by /api/health under that load (tick every 500 ms)",
        value: Math.max(...loaded.engineLag),
        unit: "ms",
        baseline: { label: "idle server", value: Math.max(...idle.engineLag), unit: "ms" },
        ratio: Math.max(...loaded.engineLag) / Math.max(...idle.engineLag),
      },
      {
        figure: `upload of a ${MAX_TASKS.toLocaleString("en")}-task skeleton (expanded on a worker thread)`,
        value: uploadMs,
        unit: "ms",
      },
    ];
  } finally {
    try {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await sleep(1000);
    rmSync(data, { recursive: true, force: true });
  }
}

// `npx tsx scripts/bench/hostile-latency.ts` prints the rows on their own
if (process.argv[1]?.endsWith("hostile-latency.ts")) {
  bench().then(
    (rows) => {
      for (const r of rows)
        console.log(
          `${r.figure}: ${r.value.toFixed(1)} ${r.unit}${r.ratio !== undefined ? ` (${r.ratio.toFixed(2)} × ${r.baseline?.label}: ${r.baseline?.value.toFixed(1)} ${r.baseline?.unit})` : ""}`,
        );
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

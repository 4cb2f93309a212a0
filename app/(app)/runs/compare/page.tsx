import Link from "next/link";
import { z } from "zod";
import { requireUser } from "@/app/_lib/session";
import { CompareGantt } from "@/components/run/compare-gantt";
import { ScrollX } from "@/components/scroll-x";
import { db } from "@/lib/db/client";
import { readEvents } from "@/lib/db/events";
import type { RunEvent } from "@/lib/model/event";
import { compareRun, type ComparedRun } from "@/lib/stats/compare";

export const dynamic = "force-dynamic";

const ZIds = z
  .array(z.string().regex(/^[a-z0-9]{1,64}$/i))
  .min(2)
  .max(8);
/** A run with more events than this is compared on the first ones only (and the page says so). */
const MAX_EVENTS = 400_000;

async function allEvents(runId: string): Promise<{ events: RunEvent[]; cut: boolean }> {
  const out: RunEvent[] = [];
  for (let after = 0; out.length < MAX_EVENTS;) {
    const page = await readEvents(db(), runId, after, 50_000);
    out.push(...page);
    if (page.length < 50_000) return { events: out, cut: false };
    after = page[page.length - 1]!.seq;
  }
  return { events: out, cut: true };
}

const sec = (v: number) => `${Math.round(v)} s`;

/** Two or more runs side by side: the TTC and its terms, utilisation, pilots, and their pilots on one time scale. */
export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<{ id?: string | string[] }>;
}) {
  const user = await requireUser();
  const sp = await searchParams;
  const ids = ZIds.safeParse([...new Set(Array.isArray(sp.id) ? sp.id : sp.id ? [sp.id] : [])]);
  if (!ids.success) {
    return (
      <>
        <h1>Compare runs</h1>
        <div className="notice">
          Pick two to eight runs on the <Link href="/runs">Runs</Link> page (the boxes in the first column),
          then Compare.
        </div>
      </>
    );
  }
  const rows = await db().run.findMany({
    where: { userId: user.id, id: { in: ids.data } },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, state: true, strategy: true, skeleton: { select: { name: true } } },
  });
  const loaded = await Promise.all(rows.map(async (r) => ({ r, ...(await allEvents(r.id)) })));
  const runs: ComparedRun[] = loaded.map(({ r, events }) =>
    compareRun({ id: r.id, name: r.name, state: r.state, strategy: r.strategy }, events),
  );
  const cut = loaded.filter((l) => l.cut).map((l) => l.r.name);
  const metrics: [string, (r: ComparedRun) => string][] = [
    ["State", (r) => r.state],
    ["Strategy", (r) => r.strategy],
    ["Skeleton", (r) => rows.find((x) => x.id === r.id)?.skeleton?.name ?? "(deleted)"],
    ["TTC (time to completion)", (r) => sec(r.ttc)],
    ["TTQ (pilots queued, union)", (r) => sec(r.ttq)],
    ["TTX (execution, union)", (r) => sec(r.ttx)],
    ["Overhead", (r) => sec(r.ovh)],
    [
      "Cores: application / system / idle",
      (r) =>
        `${r.utilisation.application.toFixed(0)} / ${r.utilisation.system.toFixed(0)} / ${r.utilisation.idle.toFixed(0)} %`,
    ],
    [
      "Pilots (became active / requested)",
      (r) => `${r.pilots.filter((p) => p.active).length} / ${r.pilots.length}`,
    ],
    ["Tasks done / failed / all", (r) => `${r.tasks.done} / ${r.tasks.failed} / ${r.tasks.total}`],
  ];
  return (
    <>
      <h1>Compare runs</h1>
      {rows.length < ids.data.length ? (
        <div className="notice warn">
          {ids.data.length - rows.length} of the runs asked for are not in your account.
        </div>
      ) : null}
      {cut.length ? (
        <div className="notice warn">
          Compared on their first {MAX_EVENTS.toLocaleString("en")} events: {cut.join(", ")}.
        </div>
      ) : null}
      <section className="panel">
        <ScrollX label="Runs side by side">
          <table className="data" data-testid="compare-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Measure</span>
                </th>
                {runs.map((r) => (
                  <th key={r.id} scope="col" className="wrap-any">
                    <Link href={`/runs/${r.id}`}>{r.name}</Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metrics.map(([k, f]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  {runs.map((r) => (
                    <td key={r.id} data-testid={`compare-${k.split(" ")[0]}-${r.id}`}>
                      {f(r)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollX>
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Pilots on one time scale</h2>
        <p className="muted">
          Seconds from each run&apos;s start. Hatched: waiting in the batch queue; outlined: active; filled:
          running tasks.
        </p>
        <ScrollX label="Pilots on one time scale">
          <CompareGantt runs={runs} />
        </ScrollX>
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Pilots</h2>
        <div className="grid2">
          {runs.map((r) => (
            <div key={r.id}>
              <strong className="wrap-any">{r.name}</strong>
              <ScrollX label={`Pilots of ${r.name}`}>
                <table className="data">
                  <thead>
                    <tr>
                      <th>Pilot</th>
                      <th>State</th>
                      <th>Waited</th>
                      <th>Active</th>
                      <th>Tasks</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.pilots.map((p, i) => (
                      <tr key={i}>
                        <td>{p.label}</td>
                        <td>{p.state}</td>
                        <td className="nowrap">{p.queueWait === null ? "—" : sec(p.queueWait)}</td>
                        <td className="nowrap">{sec(p.activeTime)}</td>
                        <td>{p.tasksRun}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollX>
            </div>
          ))}
        </div>
      </section>
    </>
  );
}

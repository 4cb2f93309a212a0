import Link from "next/link";
import { z } from "zod";
import { requireUser } from "@/app/_lib/session";
import { DemoButton } from "@/components/demo-button";
import { EmptyState } from "@/components/empty-state";
import { db } from "@/lib/db/client";
import { clusterInfo, DEMO_MACHINES } from "@/lib/demo/cluster-resources";

const STATES = ["NEW", "ACTIVE", "DONE", "FAILED", "CANCELED"] as const;
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);
/** The list's filters, from the query string; anything malformed is simply not applied. */
const ZFilter = z.object({
  skeleton: z
    .string()
    .regex(/^[a-z0-9]{1,64}$/i)
    .optional()
    .catch(undefined),
  state: z.enum(STATES).optional().catch(undefined),
  from: day,
  to: day,
});

export default async function RunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const raw = await searchParams;
  const f = ZFilter.parse(
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined])),
  );
  const filtered = Boolean(f.skeleton || f.state || f.from || f.to);
  const createdAt =
    f.from || f.to
      ? {
          ...(f.from ? { gte: new Date(`${f.from}T00:00:00Z`) } : {}),
          ...(f.to ? { lt: new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
        }
      : undefined;
  const [runs, total, skeletons] = await Promise.all([
    db().run.findMany({
      where: {
        userId: user.id,
        ...(f.skeleton ? { skeletonId: f.skeleton } : {}),
        ...(f.state ? { state: f.state } : {}),
        ...(createdAt ? { createdAt } : {}),
      },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        name: true,
        state: true,
        strategy: true,
        createdAt: true,
        skeleton: { select: { name: true } },
      },
    }),
    db().run.count({ where: { userId: user.id } }),
    db().skeleton.findMany({
      where: { userId: user.id, runs: { some: {} } },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
  ]);
  return (
    <>
      <div className="spread">
        <h1>Runs</h1>
        <DemoButton machines={clusterInfo() ? DEMO_MACHINES : []} />
      </div>
      {total === 0 ? (
        <EmptyState
          title="No runs yet"
          action={
            <Link className="btn primary" href="/skeletons">
              Upload a skeleton
            </Link>
          }
        >
          A run executes a skeleton&apos;s tasks on pilot jobs. Upload or pick a skeleton, choose resources
          (the <code>local</code> resource works out of the box), review the plan and launch.
        </EmptyState>
      ) : (
        <>
          <form className="panel row" method="get" aria-label="Filter runs" data-testid="runs-filter">
            <label style={{ flexDirection: "row", alignItems: "center", gap: 6, fontWeight: 400 }}>
              Skeleton
              <select name="skeleton" defaultValue={f.skeleton ?? ""}>
                <option value="">any</option>
                {skeletons.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label style={{ flexDirection: "row", alignItems: "center", gap: 6, fontWeight: 400 }}>
              State
              <select name="state" defaultValue={f.state ?? ""}>
                <option value="">any</option>
                {STATES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label style={{ flexDirection: "row", alignItems: "center", gap: 6, fontWeight: 400 }}>
              From <input type="date" name="from" defaultValue={f.from ?? ""} />
            </label>
            <label style={{ flexDirection: "row", alignItems: "center", gap: 6, fontWeight: 400 }}>
              to <input type="date" name="to" defaultValue={f.to ?? ""} />
            </label>
            <button className="btn" type="submit">
              Filter
            </button>
            {filtered ? <Link href="/runs">Show all</Link> : null}
          </form>
          {/* tick two or more runs, then Compare: the comparison page lays them side by side */}
          <form method="get" action="/runs/compare" aria-label="Compare runs">
            {runs.length === 0 ? (
              <p className="muted">No run matches these filters.</p>
            ) : (
              <table className="data collapse" data-testid="runs-list">
                <thead>
                  <tr>
                    <th>
                      <span className="sr-only">Compare</span>
                    </th>
                    <th>Run</th>
                    <th>State</th>
                    <th>Strategy</th>
                    <th>Skeleton</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <input type="checkbox" name="id" value={r.id} aria-label={`compare ${r.name}`} />
                      </td>
                      <td className="wrap-any">
                        <Link href={`/runs/${r.id}`}>{r.name}</Link>
                      </td>
                      <td data-label="State">
                        <span className={`badge ${r.state}`}>{r.state}</span>
                      </td>
                      <td data-label="Strategy">{r.strategy}</td>
                      <td data-label="Skeleton" className="wrap-any">
                        {r.skeleton?.name ?? <span className="muted">(deleted)</span>}
                      </td>
                      <td data-label="Created">
                        {r.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div className="row" style={{ marginTop: "0.75rem" }}>
              <button className="btn" type="submit">
                Compare the ticked runs
              </button>
              <span className="muted">two to eight runs, side by side on one time scale</span>
            </div>
          </form>
        </>
      )}
    </>
  );
}

import { notFound } from "next/navigation";
import { requireUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { snapshotsFor } from "@/lib/db/plan-inputs";
import { runWork, isWorkError, workPool } from "@/lib/work";
import { readCalibration } from "@/lib/runs/calibration";
import { ZWhatIf } from "@/lib/sim/calibrated";
import { PlanReview } from "./plan-review";
import { PredictionPanel } from "./prediction-panel";
import { RefreshSnapshots } from "./refresh-snapshots";

export const dynamic = "force-dynamic";

export default async function PlanPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{
    r?: string | string[];
    spare?: string;
    margin?: string;
    concurrency?: string;
    binding?: string;
    flops?: string;
    fail?: string | string[];
    [wait: `wait_${string}`]: string | undefined;
  }>;
}) {
  const user = await requireUser();
  const { id } = await params;
  const sp = await searchParams;
  const sk = await db().skeleton.findFirst({ where: { id, userId: user.id } });
  if (!sk) notFound();
  const resources = await db().resource.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, label: true, kind: true },
  });
  const chosen = (
    Array.isArray(sp.r) ? sp.r : sp.r ? [sp.r] : resources.filter((r) => r.kind === "local").map((r) => r.id)
  ).filter((x) => resources.some((r) => r.id === x));
  const now = new Date();
  const { snapshots, missing } = await snapshotsFor(db(), user.id, chosen, now);
  // policy knobs from the query string, clamped to sensible ranges (they only shape the plan the user then reviews)
  const flopsRate =
    sp.flops !== undefined && Number.isFinite(Number(sp.flops)) && Number(sp.flops) > 0
      ? Number(sp.flops)
      : null;
  const int = (v: string | undefined, lo: number, hi: number, d: number) =>
    v !== undefined && /^\d+$/.test(v) ? Math.min(hi, Math.max(lo, Number(v))) : d;
  const policy = {
    overProvision: int(sp.spare, 0, 5, 0),
    marginPercent: int(sp.margin, 0, 200, 10),
    concurrencyPercent: int(sp.concurrency, 1, 100, 100),
    binding: sp.binding === "early" ? ("early" as const) : ("late" as const),
    // Task_Mode = flops: FLOP per core-second of the chosen resources (lib/planner/flops.ts); without it such a skeleton is refused with the reason
    ...(flopsRate ? { flopsPerCoreSecond: Object.fromEntries(chosen.map((rid) => [rid, flopsRate])) } : {}),
  };
  // what-if (issue 15): `wait_<resource id>` seconds of queue wait, `fail` resources whose pilots never start
  const waitOf = (rid: string) => (sp as Record<string, string | string[] | undefined>)[`wait_${rid}`];
  const whatIf = ZWhatIf.parse({
    waits: Object.fromEntries(
      chosen.flatMap((rid) => {
        const v = waitOf(rid);
        return typeof v === "string" && /^\d+(\.\d+)?$/.test(v)
          ? [[rid, Math.min(30 * 86_400, Number(v))]]
          : [];
      }),
    ),
    failing: (Array.isArray(sp.fail) ? sp.fail : sp.fail ? [sp.fail] : []).filter((x) => chosen.includes(x)),
  });
  const calibration = await readCalibration(db(), user.id);
  // expansion, both strategies and their simulations on a worker thread; the worker keeps the expanded workload per skeleton + seed
  const job = {
    kind: "predict" as const,
    calibration,
    whatIf,
    runs: 300,
    key: `${sk.id}:0`,
    text: sk.text,
    fileName: sk.name,
    seed: 0,
    resources: snapshots,
    policies: (["adaptive", "aimes"] as const).map((strategy) => ({
      strategy,
      now: now.toISOString(),
      ...policy,
    })),
  };
  const work = snapshots.length
    ? await runWork(workPool(), user.id, job).catch((e: unknown) => {
        if (isWorkError(e)) return e;
        throw e;
      })
    : null;
  if (isWorkError(work))
    return <div className="notice error">The plan could not be computed: {work.message}</div>;
  if (work && !work.ok)
    return <div className="notice error">The skeleton does not parse: {work.errors[0]?.message}</div>;
  const plans = (["adaptive", "aimes"] as const).map((strategy) => {
    const got = work?.plans.find((p) => p.strategy === strategy);
    return { strategy, result: got?.result ?? null, prediction: got?.prediction ?? null };
  });
  return (
    <>
      <h1>Plan a run of {sk.name}</h1>
      <form className="panel row" method="get" aria-label="Choose resources">
        <strong>Resources:</strong>
        {resources.map((r) => (
          <label key={r.id} style={{ flexDirection: "row", alignItems: "center", gap: 4, fontWeight: 400 }}>
            <input type="checkbox" name="r" value={r.id} defaultChecked={chosen.includes(r.id)} /> {r.label}{" "}
            <span className="muted">({r.kind})</span>
          </label>
        ))}
        <label style={{ flexDirection: "row", alignItems: "center", gap: 4, fontWeight: 400 }}>
          spare pilots{" "}
          <input
            type="number"
            name="spare"
            min={0}
            max={5}
            defaultValue={policy.overProvision}
            style={{ width: 56 }}
            aria-describedby="spare-help"
          />
        </label>
        <label style={{ flexDirection: "row", alignItems: "center", gap: 4, fontWeight: 400 }}>
          walltime margin %{" "}
          <input
            type="number"
            name="margin"
            min={0}
            max={200}
            defaultValue={policy.marginPercent}
            style={{ width: 64 }}
          />
        </label>
        <label style={{ flexDirection: "row", alignItems: "center", gap: 4, fontWeight: 400 }}>
          concurrency %{" "}
          <input
            type="number"
            name="concurrency"
            min={1}
            max={100}
            defaultValue={policy.concurrencyPercent}
            style={{ width: 64 }}
          />
        </label>
        <label style={{ flexDirection: "row", alignItems: "center", gap: 4, fontWeight: 400 }}>
          binding
          <select name="binding" defaultValue={policy.binding}>
            <option value="late">late (backfilling)</option>
            <option value="early">early (one pilot)</option>
          </select>
        </label>
        <label style={{ flexDirection: "row", alignItems: "center", gap: 4, fontWeight: 400 }}>
          FLOP per core-second{" "}
          <input
            type="text"
            inputMode="decimal"
            name="flops"
            placeholder="for Task_Mode = flops, e.g. 1e9"
            defaultValue={flopsRate ?? ""}
            style={{ width: 170 }}
          />
        </label>
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }} aria-label="What if">
          <strong>What if:</strong>
          {resources
            .filter((r) => chosen.includes(r.id))
            .map((r) => (
              <span key={r.id} className="row" style={{ gap: 4 }}>
                <label style={{ flexDirection: "row", alignItems: "center", gap: 4, fontWeight: 400 }}>
                  {r.label} queue wait s{" "}
                  <input
                    type="number"
                    name={`wait_${r.id}`}
                    min={0}
                    placeholder="model"
                    defaultValue={whatIf.waits[r.id] ?? ""}
                    style={{ width: 80 }}
                  />
                </label>
                <label style={{ flexDirection: "row", alignItems: "center", gap: 4, fontWeight: 400 }}>
                  <input
                    type="checkbox"
                    name="fail"
                    value={r.id}
                    defaultChecked={whatIf.failing.includes(r.id)}
                  />{" "}
                  failing
                </label>
              </span>
            ))}
        </fieldset>
        <button className="btn" type="submit">
          Plan again
        </button>
        <span id="spare-help" className="muted">
          Spare pilots (adaptive): extra pilots; those still queued when enough have started are cancelled.
        </span>
      </form>
      <RefreshSnapshots
        resources={resources
          .filter((r) => r.kind !== "local" && chosen.includes(r.id))
          .map((r) => ({ id: r.id, label: r.label }))}
      />
      {missing.length ? <div className="notice warn">{missing.join(" · ")}</div> : null}
      {chosen.length === 0 ? <div className="notice">Choose at least one resource.</div> : null}
      {work ? (
        <PredictionPanel
          predictions={plans.map((p) => ({ strategy: p.strategy, prediction: p.prediction }))}
        />
      ) : null}
      <PlanReview
        skeletonId={sk.id}
        defaultName={`${sk.name.replace(/\.[^.]*$/, "")} ${now.toISOString().slice(0, 16).replace("T", " ")}`}
        // batch queues only: `local` runs its pilots on this machine, where a plan may oversubscribe the cores
        queues={Object.fromEntries(
          snapshots.filter((s) => s.batch !== "local").map((s) => [s.resourceId, s.queues]),
        )}
        plans={plans.map((p) => ({
          strategy: p.strategy,
          plan: p.result?.ok ? p.result.plan : null,
          errors: p.result && !p.result.ok ? p.result.errors.map((e) => e.message) : [],
        }))}
      />
    </>
  );
}

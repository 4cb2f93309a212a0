import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/app/_lib/session";
import { ScrollX } from "@/components/scroll-x";
import { DeleteButton } from "@/components/delete-button";
import { histogramRows } from "@/components/skeleton/histogram-rows";
import { StageGraph } from "@/components/stage-graph";
import { db } from "@/lib/db/client";
import { isWorkError, skeletonInfo } from "@/lib/work";
import { deleteSkeletonAction } from "./actions";

// the unit switches where the printed number would round up to the next one (1048575.6 B is "1.00 MB", not "1024.0 KB")
const fmtBytes = (b: number) =>
  b >= 1048576 - 5243
    ? `${(b / 1048576).toFixed(2)} MB`
    : b >= 1024 - 0.5
      ? `${(b / 1024).toFixed(1)} KB`
      : `${Math.round(b)} B`;

export default async function SkeletonPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const sk = await db().skeleton.findFirst({ where: { id, userId: user.id } });
  if (!sk) notFound();
  // expanded on a worker thread and cached per skeleton: a large one must not stall other users
  const r = await skeletonInfo(user.id, sk).catch((e: unknown) => {
    if (isWorkError(e)) return e;
    throw e;
  });
  if (isWorkError(r))
    return <div className="notice error">The preview could not be computed: {r.message}</div>;
  if (!r.ok)
    return <div className="notice error">This skeleton no longer parses: {r.errors[0]?.message}</div>;
  const m = r.info.metrics;
  const { lengths, sizes } = r.info.histograms;
  const hists = [
    { title: "Task lengths (s)", rows: histogramRows(lengths, (v: number) => v.toFixed(1)) },
    { title: "Output sizes", rows: histogramRows(sizes, fmtBytes) },
  ].map((h) => ({ ...h, max: Math.max(1, ...h.rows.map((b) => b.count)) }));
  return (
    <>
      <div className="spread">
        <h1>{sk.name}</h1>
        <div className="row">
          <Link className="btn primary" href={`/skeletons/${sk.id}/plan`}>
            Plan a run
          </Link>
          <DeleteButton
            label="Delete"
            testId="delete-skeleton"
            question={`Delete the skeleton ${sk.name}? Runs that used it keep their own copy.`}
            action={deleteSkeletonAction.bind(null, sk.id)}
            then="/skeletons"
          />
        </div>
      </div>
      <div className="grid2">
        <div className="panel row" style={{ justifyContent: "space-around" }}>
          <div className="stat">
            <span className="v" data-testid="stage-count">
              {m.stages.length}
            </span>
            <span className="k">stages</span>
          </div>
          <div className="stat">
            <span className="v" data-testid="task-count">
              {m.tasks}
            </span>
            <span className="k">tasks</span>
          </div>
          <div className="stat">
            <span className="v">{m.taskSeconds.toLocaleString("en")} s</span>
            <span className="k">core-seconds of work</span>
          </div>
          <div className="stat">
            <span className="v">{m.inputMB.toFixed(2)} MB</span>
            <span className="k">read</span>
          </div>
          <div className="stat">
            <span className="v">{m.outputMB.toFixed(2)} MB</span>
            <span className="k">written</span>
          </div>
        </div>
        <div className="panel">
          <StageGraph
            stages={m.stages.map((s) => ({ name: s.name, tasks: s.tasks, dependsOn: s.dependsOn }))}
          />
        </div>
      </div>
      {r.info.warnings.length ? (
        // one line per note (the 2013 conversion says what each stage is read as): a list, not a paragraph
        <div className="notice warn" data-testid="skeleton-notes">
          <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
            {r.info.warnings.map((w, i) => (
              <li key={i} className="wrap-any">
                {w}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h2>Stages</h2>
      <ScrollX label="Stages">
        <table className="data" data-testid="stages-table">
          <thead>
            <tr>
              <th>Stage</th>
              <th>Tasks</th>
              <th>Cores/task</th>
              <th>Length (s) min–mean–max</th>
              <th>Inputs</th>
              <th>Outputs</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {m.stages.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>{s.tasks}</td>
                <td>{s.coresMax}</td>
                <td>
                  {s.lengthMin}–{s.lengthMean.toFixed(1)}–{s.lengthMax}
                </td>
                <td>
                  {s.inputFiles} files, {fmtBytes(s.inputBytes)}
                </td>
                <td>
                  {s.outputFiles} files, {fmtBytes(s.outputBytes)}
                </td>
                <td>{s.dependsOn.join(", ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
      <div className="grid2" style={{ marginTop: "1rem" }}>
        {hists.map((h) => (
          <div
            className="panel"
            key={h.title}
            data-testid={`histogram-${h.title.startsWith("Task") ? "lengths" : "sizes"}`}
          >
            <strong>{h.title}</strong>
            {h.rows.map((b, i) => (
              <div
                key={i}
                className="row"
                style={{ gap: 6, fontSize: 12, flexWrap: "nowrap" }}
                data-testid="histogram-row"
              >
                <span className="muted" style={{ width: 150, flex: "none" }}>
                  {b.label}
                </span>
                <span
                  style={{
                    display: "inline-block",
                    height: 10,
                    width: `${(b.count / h.max) * 60}%`,
                    background: "var(--accent)",
                  }}
                />
                <span>{b.count}</span>
              </div>
            ))}
          </div>
        ))}
      </div>
      <h2>Source</h2>
      <pre className="panel" data-scroll style={{ maxHeight: 320, overflow: "auto" }}>
        {sk.text}
      </pre>
    </>
  );
}

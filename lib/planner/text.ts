import type { ExecutionStrategy, PlannedPilot } from "./types";

/** "2 pilot(s): 1 × 8 cores, 1 × 2 cores": what the pilots table shows, in one line, from the same pilots. */
export function pilotsSummary(pilots: readonly Pick<PlannedPilot, "cores">[]): string {
  const by = new Map<number, number>();
  for (const p of pilots) by.set(p.cores, (by.get(p.cores) ?? 0) + 1);
  return `${pilots.length} pilot(s): ${[...by].map(([c, k]) => `${k} × ${c} core(s)`).join(", ")}`;
}

/** The plan as a readable report, in the spirit of the original console (G01, B01 … D05, pilots). */
export function renderPlanText(p: ExecutionStrategy): string {
  const out: string[] = [
    `Execution strategy: ${p.strategy} (binding ${p.binding}, scheduler ${p.scheduler})`,
    "",
  ];
  for (const t of p.trail) {
    out.push(`${t.label.padEnd(10)} ${t.title}: ${t.value}`);
    if (t.formula) out.push(`${"".padEnd(10)}   = ${t.formula}`);
    if (t.inputs)
      out.push(
        `${"".padEnd(10)}   with ${Object.entries(t.inputs)
          .map(([k, v]) => `${k} = ${v}`)
          .join(", ")}`,
      );
    if (t.note) out.push(`${"".padEnd(10)}   (${t.note})`);
  }
  out.push("", "Pilot descriptions:");
  for (const x of p.pilots)
    out.push(
      `  ${x.resource}${x.queue ? `[${x.queue}]` : ""}: ${x.cores} core(s) on ${x.nodes} node(s), walltime ${x.walltimeMinutes} minutes${x.surplus ? " (surplus)" : ""}`,
    );
  for (const r of p.rejected) out.push(`  not used: ${r.option}: ${r.why}`);
  for (const w of p.warnings) out.push(`  warning: ${w.message}`);
  out.push(
    "",
    `Predicted time to completion: ${Math.round(p.predictedTtcSeconds)} s`,
    ...p.assumptions.map((a) => `  assuming ${a}`),
  );
  return out.join("\n") + "\n";
}

import { parseArgs } from "node:util";
import { loadResourcesFile } from "../../lib/bundle/load";
import { planWorkload, renderPlanText } from "../../lib/planner";
import { loadSkeletonText } from "../../lib/skeleton";
import type { CliIO } from "../io";

export const USAGE =
  "usage: emanager plan SKELETON --resources FILE [--strategy aimes|adaptive] [--format json|text] [--seed N] [--binding late|early] [--flops-rate N | RES=N,RES=N]\n";

/** `emanager plan`: the execution strategy for a skeleton on resources, as JSON or a readable report. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        resources: { type: "string" },
        strategy: { type: "string", default: "adaptive" },
        format: { type: "string", default: "text" },
        seed: { type: "string", default: "0" },
        binding: { type: "string", default: "late" },
        "flops-rate": { type: "string" },
      },
    }));
  } catch (e: unknown) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const [file] = positionals;
  const res = values.resources;
  const strategy = values.strategy;
  const binding = values.binding;
  if (!file || typeof res !== "string") return usage(io);
  if (strategy !== "aimes" && strategy !== "adaptive")
    return usage(io, `--strategy must be aimes or adaptive (got ${String(strategy)})`);
  if (binding !== "late" && binding !== "early")
    return usage(io, `--binding must be late or early (got ${String(binding)})`);
  if (values.format !== "json" && values.format !== "text")
    return usage(io, `--format must be json or text (got ${String(values.format)})`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) return usage(io, `--seed must be a whole number`);
  let skText: string;
  let resText: string;
  try {
    [skText, resText] = await Promise.all([io.readText(file), io.readText(res)]);
  } catch (e: unknown) {
    io.err(`cannot read: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const sk = loadSkeletonText(skText, { fileName: file, seed });
  if (!sk.ok) {
    for (const e of sk.errors) io.err(`${file}:${e.line}:${e.column}: ${e.message}\n`);
    return 2;
  }
  const now = new Date();
  const rs = loadResourcesFile(resText, { now });
  if (!rs.ok) {
    for (const e of rs.errors) io.err(`${res}:${e.line}: ${e.message}\n`);
    return 2;
  }
  for (const s of rs.report?.skipped ?? []) io.err(`${res}:${s.line}: skipped: ${s.why}\n`);
  // Task_Mode = flops: FLOP per core-second, one number for every resource or RES=N per resource (lib/planner/flops.ts)
  const fr = typeof values["flops-rate"] === "string" ? values["flops-rate"] : null;
  const flopsPerCoreSecond =
    fr === null
      ? undefined
      : /^[^=,]+=/.test(fr)
        ? Object.fromEntries(
            fr.split(",").map((kv) => {
              const [k, v] = kv.split("=");
              return [k!.trim(), Number(v)];
            }),
          )
        : Object.fromEntries(rs.snapshots.map((r) => [r.resourceId, Number(fr)]));
  const p = planWorkload(sk.workload, rs.snapshots, { strategy, binding, now, flopsPerCoreSecond });
  if (!p.ok) {
    for (const e of p.errors) io.err(`no plan: ${e.message}\n`);
    return 2;
  }
  io.out(values.format === "json" ? JSON.stringify(p.plan, null, 2) + "\n" : renderPlanText(p.plan));
  return 0;
}

function usage(io: CliIO, why?: string): number {
  io.err(`${why ? why + "\n" : ""}${USAGE}`);
  return 2;
}

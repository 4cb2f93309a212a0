import { z } from "zod";

/**
 * Reading a directory in the form of `../shared/data/aimes-swift/` (runs.csv, pilots.csv and
 * optionally tasks.csv; columns as its README defines them). Only the columns the simulator
 * needs are read, each checked; a row that fails is reported with its line, not guessed at.
 */

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

const num = z.string().trim().min(1).transform(Number).pipe(z.number().finite());
const optNum = z
  .string()
  .trim()
  .transform((s) => (s === "" ? null : Number(s)))
  .pipe(z.number().finite().nullable());
const split = (s: string) => s.split(";").filter((x) => x !== "");
const strList = z.string().transform(split);
const numList = z
  .string()
  .transform((s) => split(s).map(Number))
  .pipe(z.array(z.number().finite()));

export const ZRunRow = z.object({
  run_key: z.string().min(1),
  series: z.string().min(1),
  n_tasks: num.pipe(z.number().int().positive()),
  task_length_s: num.pipe(z.number().min(0)),
  input_bytes_per_task: num.pipe(z.number().min(0)),
  output_bytes_per_task: num.pipe(z.number().min(0)),
  resources: strList,
  cores_per_pilot: numList,
  walltime_min_per_pilot: numList,
  ttc_s: num.pipe(z.number().min(0)),
  t_last_task_done_s: optNum,
  all_tasks_done: z.string().optional(),
  n_tasks_done: optNum.optional(),
  n_pilots_used: optNum.optional(),
  /** pilots that ran tasks, from the repository's TTC_p<k>.data: known also for runs without session data */
  n_pilots_used_repo: optNum.optional(),
  data_level: z.string().optional(),
});
export type RunRow = z.infer<typeof ZRunRow>;

export const ZPilotRow = z.object({
  run_key: z.string().min(1),
  pilot_uid: z.string().min(1),
  resource: z.string().min(1),
  cores: num.pipe(z.number().int().positive()),
  walltime_min: num.pipe(z.number().positive()),
  t_submitted_s: optNum,
  t_active_s: optNum,
  t_created_s: optNum,
});
export type PilotRow = z.infer<typeof ZPilotRow>;

export const ZTaskRow = z.object({
  run_key: z.string().min(1),
  pilot_uid: z.string(),
  exec_start_s: optNum,
  exec_end_s: optNum,
  final_state: z.string(),
});
export type TaskCsvRow = z.infer<typeof ZTaskRow>;

export type Parsed<T> = { ok: true; rows: T[] } | { ok: false; errors: string[] };

/** Rows of one CSV file as objects of the schema; errors name the file, line and column. */
export function readTable<S extends z.ZodTypeAny>(name: string, text: string, schema: S): Parsed<z.infer<S>> {
  const [header, ...body] = parseCsv(text);
  if (!header) return { ok: false, errors: [`${name}: empty file`] };
  const shape = (schema as unknown as z.ZodObject<z.ZodRawShape>).shape;
  const missing = Object.entries(shape)
    .filter(([k, v]) => !header.includes(k) && !(v as z.ZodTypeAny).isOptional())
    .map(([k]) => k);
  if (missing.length) return { ok: false, errors: [`${name}: missing column(s) ${missing.join(", ")}`] };
  const rows: z.infer<S>[] = [];
  const errors: string[] = [];
  body.forEach((cells, i) => {
    const obj: Record<string, string> = {};
    header.forEach((h, j) => {
      if (h in shape) obj[h] = cells[j] ?? "";
    });
    const p = schema.safeParse(obj);
    if (p.success) rows.push(p.data as z.infer<S>);
    else if (errors.length < 10)
      errors.push(
        `${name}:${i + 2}: ${p.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`,
      );
  });
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

export interface AimesData {
  runs: RunRow[];
  pilotsByRun: Map<string, PilotRow[]>;
  tasks: TaskCsvRow[] | null;
}

export function groupPilots(pilots: readonly PilotRow[]): Map<string, PilotRow[]> {
  const by = new Map<string, PilotRow[]>();
  for (const p of pilots) {
    const l = by.get(p.run_key);
    if (l) l.push(p);
    else by.set(p.run_key, [p]);
  }
  // submission order: the order the run created its pilots
  for (const l of by.values()) l.sort((a, b) => (a.t_created_s ?? 0) - (b.t_created_s ?? 0));
  return by;
}

/** The three files' texts (tasks.csv optional) → checked rows. */
export function parseAimesTexts(t: {
  runs: string;
  pilots: string;
  tasks: string | null;
}): { ok: true; data: AimesData } | { ok: false; errors: string[] } {
  const runs = readTable("runs.csv", t.runs, ZRunRow);
  const pilots = readTable("pilots.csv", t.pilots, ZPilotRow);
  const tasks = t.tasks === null ? null : readTable("tasks.csv", t.tasks, ZTaskRow);
  const errors = [runs, pilots, tasks].flatMap((x) => (x && !x.ok ? x.errors : []));
  if (!runs.ok || !pilots.ok || (tasks && !tasks.ok) || errors.length) return { ok: false, errors };
  return {
    ok: true,
    data: {
      runs: runs.rows,
      pilotsByRun: groupPilots(pilots.rows),
      tasks: tasks && tasks.ok ? tasks.rows : null,
    },
  };
}

/**
 * The output of a stage's external mapping script, kept in the skeleton itself: one comment line
 * per task, `# emanager-external Stage_2: file file …`, after the stages. The original's parser
 * skipped such lines (a `#` followed by a word), so the file stays a valid skeleton for it, and
 * the web app, which stores only the text, can expand, plan and run the skeleton with it.
 */
const LINE = /^[ \t]*# emanager-external (\w+):(.*)$/;

/** The embedded outputs by stage name, each as the script printed it (one line per task). */
export function readEmbeddedExternal(text: string): Record<string, string> {
  const out: Record<string, string[]> = {};
  if (!text.includes("# emanager-external ")) return {};
  for (const l of text.split("\n")) {
    const m = LINE.exec(l.replace(/\r$/, ""));
    if (m) (out[m[1]!] ??= []).push(m[2]!.trim());
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join("\n")]));
}

/** The text with `output` embedded for `stage` (replacing what was embedded for it before). */
export function embedExternal(text: string, stage: string, output: string): string {
  const kept = text.split("\n").filter((l) => LINE.exec(l.replace(/\r$/, ""))?.[1] !== stage);
  while (kept.length && kept[kept.length - 1]!.trim() === "") kept.pop();
  const lines = output
    .replace(/\r/g, "")
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => `# emanager-external ${stage}: ${l.trim()}`.trimEnd());
  return `${kept.join("\n")}\n\n${lines.join("\n")}\n`;
}

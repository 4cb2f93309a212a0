import type { Issues } from "./types";

/**
 * Lines of an AIMES skeleton file, as the original read them: each line stripped of the
 * whitespace Python's `str.strip()` removes (indentation is cosmetic, TABs are fine), blank
 * lines skipped, and a line skipped as a comment only when it matches `#\s*\w` (a word after
 * the `#`). A bare `#` or `# ---` was not a comment for the original: it broke the file.
 */
export interface Line {
  no: number;
  /** the stripped line */
  text: string;
  /** 1-based column of the first non-blank character */
  col: number;
  /** the text before `=`, or null when the line has no `=` */
  key: string | null;
  /** the text after `=` and the blanks that follow it */
  value: string;
  valueCol: number;
}

const PY_BLANK = "[ \\t\\n\\r\\v\\f]";
/** control bytes other than the blanks above: no skeleton needs them, and they can hide text */
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f-\x9f]/;
const LEAD = new RegExp(`^${PY_BLANK}+`);
const TRAIL = new RegExp(`${PY_BLANK}+$`);

export function pyStrip(s: string): string {
  return s.replace(LEAD, "").replace(TRAIL, "");
}

export function lexLines(text: string, issues: Issues): Line[] {
  const out: Line[] = [];
  const raw = text.replace(/^\uFEFF/, "").split("\n");
  raw.forEach((r, i) => {
    const text = pyStrip(r);
    if (text === "") return;
    const col = r.length - r.replace(LEAD, "").length + 1;
    const control = CONTROL.exec(r);
    if (control)
      issues.error(
        { line: i + 1, column: control.index + 1 },
        `control character ${control[0]} in \`${text}\`: a skeleton holds printable text only`,
      );
    if (text.startsWith("#")) {
      if (/^#[ \t\n\r\v\f]*\w/.test(text)) return;
      issues.error(
        { line: i + 1, column: col },
        "a comment needs a word right after the `#` (`# text`): the original parser skipped only such lines and read a bare `#` or `# ---` as a key, which broke the file",
        "# text",
      );
      return;
    }
    const eq = text.indexOf("=");
    if (eq < 0) {
      out.push({ no: i + 1, text, col, key: null, value: "", valueCol: col });
      return;
    }
    const after = text.slice(eq + 1);
    const value = after.replace(LEAD, "");
    out.push({
      no: i + 1,
      text,
      col,
      key: pyStrip(text.slice(0, eq)),
      value,
      valueCol: col + eq + 1 + (after.length - value.length),
    });
  });
  return out;
}

/** A hint for values that are template placeholders (the 2015 experiments used `${SCALE}`). */
export function placeholderHint(value: string): string {
  const m = /\$\{(\w+)\}|\$(\w+)/.exec(value);
  return m
    ? `; \`${m[0]}\` is a template placeholder: substitute a value for it before loading the file`
    : "";
}

/**
 * Control characters from user files, made visible. A skeleton or file name can hold `\x1b[31m`
 * or a carriage return; echoed raw into an error message they would recolour or rewrite the
 * user's terminal, and on a page they hide text. Each becomes `\xHH` (or `\u2066` for the
 * Unicode direction overrides, which reorder what a reader sees).
 */
// C0 (including TAB and newline: a message is one line), DEL, C1, and the bidi controls
const CONTROL = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

"use client";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { EditorState, type Text } from "@codemirror/state";
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { useEffect, useRef } from "react";
import type { Problem } from "@/lib/skeleton/problems";

/** The document offset of a 1-based line and column, kept inside the document. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

/** The problem's mark: from its column to the end of the word there (at least one character). */
function diagnostic(doc: Text, p: Problem): Diagnostic {
  const from = offsetOf(doc, p.line, p.column);
  const l = doc.lineAt(from);
  const rest = /^\S*/.exec(doc.sliceString(from, l.to))?.[0].length ?? 0;
  const to = rest > 0 ? from + rest : Math.min(l.to, from + 1);
  return { from, to: Math.max(to, from), severity: p.severity, message: p.message };
}

const theme = EditorView.theme({
  "&": {
    background: "var(--bg)",
    color: "var(--text)",
    border: "1px solid var(--border)",
    borderRadius: "6px",
    fontSize: "13px",
    maxHeight: "420px",
  },
  "&.cm-focused": { outline: "2px solid var(--accent)", outlineOffset: "2px" },
  ".cm-scroller": { fontFamily: "var(--mono)", overflow: "auto", minHeight: "12em" },
  ".cm-gutters": {
    background: "var(--panel)",
    color: "var(--muted)",
    borderRight: "1px solid var(--border)",
  },
  ".cm-activeLine, .cm-activeLineGutter": { background: "color-mix(in srgb, var(--accent) 8%, transparent)" },
  ".cm-content": { caretColor: "var(--text)" },
});

/**
 * The skeleton's text in CodeMirror 6: line numbers, the problems underlined and marked in the
 * gutter (hover for the message), long lines wrapped so the page never scrolls sideways. `jumpTo`
 * moves the cursor to a problem and scrolls it into view.
 */
export function SkeletonEditor({
  value,
  onChange,
  problems,
  jumpRef,
}: {
  value: string;
  onChange: (text: string) => void;
  problems: Problem[];
  jumpRef: { current: ((line: number, column: number) => void) | null };
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  useEffect(() => {
    change.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          lintGutter(),
          EditorView.lineWrapping,
          theme,
          EditorView.contentAttributes.of({
            "data-testid": "skeleton-text",
            "aria-label": "Skeleton text",
            spellcheck: "false",
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) change.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    jumpRef.current = (line, column) => {
      const at = offsetOf(v.state.doc, line, column);
      v.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
      v.focus();
    };
    return () => {
      jumpRef.current = null;
      v.destroy();
      view.current = null;
    };
    // created once; later values arrive through the effect below
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // a file picked or a text set from outside replaces the document (typing already matches it)
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (v)
      v.dispatch(
        setDiagnostics(
          v.state,
          problems.map((p) => diagnostic(v.state.doc, p)),
        ),
      );
  }, [problems]);

  return <div ref={host} data-testid="skeleton-editor" />;
}

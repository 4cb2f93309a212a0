"use client";
import type { CheckState } from "./use-skeleton-check";

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

/** The editor's problems, errors and warnings alike, in file order; each place is a button that jumps there. */
export function SkeletonProblems({
  check,
  onJump,
}: {
  check: CheckState;
  onJump: (line: number, column: number) => void;
}) {
  if (check.status === "idle") return null;
  if (check.status === "failed")
    return (
      <div className="notice warn" role="status">
        The skeleton could not be checked in the browser ({check.message}); it is checked again when you save.
      </div>
    );
  const problems = check.status === "done" ? check.problems : [];
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  return (
    <div className={`notice ${errors ? "error" : warnings ? "warn" : ""}`} data-testid="skeleton-problems">
      <div role="status" aria-live="polite" data-testid="skeleton-check-status">
        {check.status === "checking"
          ? "Checking…"
          : problems.length === 0
            ? "No problems found."
            : `${plural(errors, "error")}, ${plural(warnings, "warning")}.`}
      </div>
      {problems.length ? (
        <ul style={{ margin: "0.4rem 0 0", paddingLeft: "1.1rem", maxHeight: 240, overflowY: "auto" }}>
          {problems.map((p, i) => (
            <li key={i} data-severity={p.severity} className="wrap-any" data-testid="skeleton-problem">
              <span className={`badge ${p.severity === "error" ? "bad" : ""}`}>{p.severity}</span>{" "}
              <button type="button" className="linkish" onClick={() => onJump(p.line, p.column)}>
                line {p.line}, column {p.column}
              </button>
              : {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

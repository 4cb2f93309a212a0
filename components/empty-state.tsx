import type { ReactNode } from "react";

/** What a new user sees where there is nothing yet: what this is, and what to do next. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="panel empty" data-testid="empty-state">
      <strong>{title}</strong>
      <div>{children}</div>
      {action ? <div style={{ marginTop: "1rem" }}>{action}</div> : null}
    </div>
  );
}

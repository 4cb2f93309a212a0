import type { ReactNode } from "react";

/**
 * A box that scrolls sideways inside its panel when its content (a wide table, the timeline, the
 * stage graph) is wider than the screen, so the page itself never does. `data-scroll` tells the
 * layout check (e2e/layout.spec.ts) that this box is meant to scroll; it is focusable so a
 * keyboard user can scroll it too.
 */
export function ScrollX({
  label,
  children,
  testId,
}: {
  label: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className="scroll-x" data-scroll role="region" aria-label={label} tabIndex={0} data-testid={testId}>
      {children}
    </div>
  );
}

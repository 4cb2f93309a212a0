import { memo } from "react";
import { ScrollX } from "../scroll-x";
import { STATE_GROUPS, type StateGroup } from "@/lib/stats/fold";

/**
 * Tasks per stage and state group, with a total row: the numbers users watch converge.
 * Memoised: the run page re-renders every second while live, this only when its props change.
 */
export const StateCounts = memo(function StateCounts({
  counts,
}: {
  counts: Map<string, Record<StateGroup, number>>;
}) {
  const total = Object.fromEntries(
    STATE_GROUPS.map((g) => [g, [...counts.values()].reduce((a, c) => a + c[g], 0)]),
  ) as Record<StateGroup, number>;
  return (
    <section className="panel">
      <h2 style={{ marginTop: 0 }} id="counts-h">
        Tasks by stage and state
      </h2>
      <ScrollX label="Tasks by stage and state">
        <table className="data" data-testid="counts" aria-labelledby="counts-h">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              {STATE_GROUPS.map((g) => (
                <th key={g} scope="col">
                  {g}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...counts].map(([stage, c]) => (
              <tr key={stage}>
                <th scope="row">{stage}</th>
                {STATE_GROUPS.map((g) => (
                  <td key={g} data-testid={`count-${stage}-${g}`}>
                    {c[g]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          {counts.size > 1 ? (
            <tfoot>
              <tr>
                <th scope="row">all</th>
                {STATE_GROUPS.map((g) => (
                  <td key={g} data-testid={`count-all-${g}`}>
                    {total[g]}
                  </td>
                ))}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </ScrollX>
    </section>
  );
});

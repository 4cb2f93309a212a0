/** A transition table: for each state, the states it may move to. Final states map to []. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export type TransitionResult<S extends string> =
  { ok: true; value: S } | { ok: false; error: { code: "INVALID_TRANSITION"; message: string } };

export function transition<S extends string>(table: TransitionTable<S>, from: S, to: S): TransitionResult<S> {
  if (table[from].includes(to)) return { ok: true, value: to };
  return {
    ok: false,
    error: { code: "INVALID_TRANSITION", message: `cannot move from ${from} to ${to}` },
  };
}

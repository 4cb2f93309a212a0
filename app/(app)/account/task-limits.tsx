"use client";
import { ScrollX } from "@/components/scroll-x";
import { useState, type FormEvent } from "react";
import type { UserLimitRow } from "@/lib/db/task-limits";
import { setTaskLimitAction } from "./limit-actions";

/** Administrators only: each account's most tasks per skeleton; empty = the default. */
export function TaskLimits({
  rows,
  defaultLimit,
  maxLimit,
}: {
  rows: UserLimitRow[];
  defaultLimit: number;
  maxLimit: number;
}) {
  return (
    <ScrollX label="Task limits">
      <table className="data" data-testid="task-limits">
        <thead>
          <tr>
            <th>Account</th>
            <th>Tasks per skeleton</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <LimitRow key={r.id} row={r} defaultLimit={defaultLimit} maxLimit={maxLimit} />
          ))}
        </tbody>
      </table>
    </ScrollX>
  );
}

function LimitRow({
  row,
  defaultLimit,
  maxLimit,
}: {
  row: UserLimitRow;
  defaultLimit: number;
  maxLimit: number;
}) {
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = String(new FormData(e.currentTarget).get("limit") ?? "").replace(/[,_ ]/g, "");
    setBusy(true);
    const r = await setTaskLimitAction({ userId: row.id, limit: v === "" ? null : Number(v) });
    setBusy(false);
    setMsg(
      r.ok
        ? { ok: true, text: `Saved: ${(r.value.taskLimit ?? defaultLimit).toLocaleString("en")} tasks.` }
        : { ok: false, text: r.error.message },
    );
  }
  return (
    <tr>
      <td>
        {row.email} {row.role === "admin" ? <span className="muted">(administrator)</span> : null}
      </td>
      <td>
        <form
          className="row"
          onSubmit={onSubmit}
          style={{ gap: 6 }}
          aria-label={`Task limit of ${row.email}`}
        >
          <input
            name="limit"
            type="number"
            min={1}
            max={maxLimit}
            defaultValue={row.taskLimit ?? ""}
            placeholder={`${defaultLimit.toLocaleString("en")} (default)`}
            style={{ width: 160 }}
          />
          <button className="btn" type="submit" disabled={busy}>
            Set
          </button>
          {msg ? <span className={msg.ok ? "muted" : "error"}>{msg.text}</span> : null}
        </form>
      </td>
    </tr>
  );
}

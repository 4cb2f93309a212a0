"use client";
import { ScrollX } from "@/components/scroll-x";
import { useState } from "react";
import { setAgentAccessAction } from "./actions";

/** The administrator's switch per account: may its keyless resources use the server's ssh-agent? */
export function AgentAccess({
  accounts,
}: {
  accounts: { id: string; email: string; role: string; sshAgentAllowed: boolean }[];
}) {
  const [allowed, setAllowed] = useState(() =>
    Object.fromEntries(accounts.map((a) => [a.id, a.sshAgentAllowed])),
  );
  const [msg, setMsg] = useState<string | null>(null);
  async function toggle(id: string, next: boolean) {
    const r = await setAgentAccessAction({ userId: id, allowed: next });
    if (r.ok) setAllowed((m) => ({ ...m, [id]: next }));
    setMsg(r.ok ? null : r.error.message);
  }
  return (
    <>
      <ScrollX label="ssh-agent access">
        <table className="data" data-testid="agent-access">
          <thead>
            <tr>
              <th>Account</th>
              <th>May use the server&apos;s ssh-agent</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.email}</td>
                <td>
                  {a.role === "admin" ? (
                    "yes (administrator)"
                  ) : (
                    <label style={{ flexDirection: "row", alignItems: "center", gap: "0.5rem" }}>
                      <input
                        type="checkbox"
                        checked={allowed[a.id] ?? false}
                        onChange={(e) => void toggle(a.id, e.currentTarget.checked)}
                        aria-label={`ssh-agent for ${a.email}`}
                      />
                      {allowed[a.id] ? "allowed" : "not allowed"}
                    </label>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
      {msg ? <p className="notice error">{msg}</p> : null}
    </>
  );
}

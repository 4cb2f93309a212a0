import Link from "next/link";
import { ScrollX } from "@/components/scroll-x";
import { requireUser } from "@/app/_lib/session";
import { ResourceControls } from "@/components/resource-controls";
import { TestConnection } from "@/components/test-connection";
import { db } from "@/lib/db/client";
import type { ResourceSnapshot } from "@/lib/model/resource";

const age = (d: Date) => {
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

export default async function ResourcesPage() {
  const user = await requireUser();
  const agentOk =
    user.role === "admin" ||
    (await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { sshAgentAllowed: true } }))
      .sshAgentAllowed;
  const resources = await db().resource.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      label: true,
      kind: true,
      host: true,
      port: true,
      username: true,
      coresPerNode: true,
      hostKeyFingerprint: true,
      credentialId: true,
      snapshots: {
        orderBy: { takenAt: "desc" },
        take: 5,
        select: { id: true, takenAt: true, ok: true, error: true, errorCode: true, data: true },
      },
    },
  });
  return (
    <>
      <div className="spread">
        <h1>Resources</h1>
        <div className="row" style={{ gap: 8 }}>
          <Link className="btn" href="/resources/import">
            Import a bundle configuration
          </Link>
          <Link className="btn primary" href="/resources/new">
            Add an SSH resource
          </Link>
        </div>
      </div>
      <p className="muted">
        Every account has <code>local</code>: this server&apos;s own machine. Add a cluster you have an
        account on; EManager reaches it over SSH and submits pilots through its batch system.
      </p>
      {resources.map((r) => {
        const last = r.snapshots[0];
        const snap = last?.ok && last.data ? (JSON.parse(last.data) as ResourceSnapshot) : null;
        return (
          <section key={r.id} className="panel" data-testid={`resource-${r.label}`}>
            <div className="spread">
              <div className="wrap-any" style={{ minWidth: 0 }}>
                <strong>{r.label}</strong> <span className="badge">{r.kind}</span>{" "}
                <span className="muted">
                  {r.kind === "local"
                    ? `${r.coresPerNode} cores on this machine`
                    : `${r.username}@${r.host}:${r.port}`}
                </span>
                {r.hostKeyFingerprint ? (
                  <div className="muted">
                    host key <code>{r.hostKeyFingerprint}</code>
                  </div>
                ) : null}
                {r.kind !== "local" ? (
                  <div className="muted">
                    {r.credentialId
                      ? "private key stored (encrypted)"
                      : agentOk
                        ? "authenticates with the server's ssh-agent"
                        : "no key stored: it would need the server's ssh-agent, which is only for accounts an administrator allowed; add a key (Edit)"}
                  </div>
                ) : null}
              </div>
              {r.kind !== "local" ? (
                <div className="stack">
                  <TestConnection resourceId={r.id} />
                  <ResourceControls resourceId={r.id} label={r.label} hasKey={r.credentialId !== null} />
                </div>
              ) : null}
            </div>
            {last ? (
              <div className="muted wrap-any">
                last probe {age(last.takenAt)}: {last.ok ? "ok" : `${last.errorCode}: ${last.error}`}
              </div>
            ) : null}
            {snap ? (
              <ScrollX label={`Queues of ${r.label}`}>
                <table className="data" data-testid={`queues-${r.label}`}>
                  <thead>
                    <tr>
                      <th>Queue</th>
                      <th>State</th>
                      <th>Max walltime</th>
                      <th>Cores (free / total)</th>
                      <th>Jobs queued / running</th>
                    </tr>
                  </thead>
                  <tbody>
                    {snap.queues.map((q) => (
                      <tr key={q.name}>
                        <td>
                          {q.name}
                          {q.isDefault ? " (default)" : ""}
                        </td>
                        <td>{q.enabled ? "up" : "down"}</td>
                        <td>
                          {q.maxWalltimeSeconds === null ? "unlimited" : `${q.maxWalltimeSeconds / 60} min`}
                        </td>
                        <td>
                          {q.coresFree} / {q.coresTotal}
                        </td>
                        <td>
                          {q.jobsQueued} / {q.jobsRunning}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollX>
            ) : null}
            {r.snapshots.length > 1 ? (
              <details>
                <summary>probe history</summary>
                {r.snapshots.map((s) => (
                  <div key={s.id} className="muted wrap-any">
                    {s.takenAt.toISOString().replace("T", " ").slice(0, 19)}{" "}
                    {s.ok ? "ok" : `${s.errorCode}: ${s.error}`}
                  </div>
                ))}
              </details>
            ) : null}
          </section>
        );
      })}
    </>
  );
}

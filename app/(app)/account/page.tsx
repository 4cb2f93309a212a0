import { requireUser } from "@/app/_lib/session";
import { ScrollX } from "@/components/scroll-x";
import { db } from "@/lib/db/client";
import { listAccountsForAdmin } from "@/lib/db/users";
import { downloadsDir } from "@/lib/config/paths";
import { accountUsage } from "@/lib/runs/usage";
import Link from "next/link";
import { DEFAULT_TASK_LIMIT, listTaskLimits } from "@/lib/db/task-limits";
import { MAX_TASKS } from "@/lib/skeleton";
import { smtpFromEnv } from "@/lib/notify/settings";
import { AgentAccess } from "./agent-access";
import { NotifyForm } from "./notify-form";
import { TaskLimits } from "./task-limits";

const fmtBytes = (b: number) =>
  b >= 1 << 30
    ? `${(b / 2 ** 30).toFixed(2)} GB`
    : b >= 1 << 20
      ? `${(b / 2 ** 20).toFixed(1)} MB`
      : b >= 1024
        ? `${(b / 1024).toFixed(1)} KB`
        : `${b} B`;

export default async function AccountPage() {
  const user = await requireUser();
  const prefs = await db().user.findUniqueOrThrow({
    where: { id: user.id },
    select: { notifyOnRunEnd: true, notifyEmail: true, notifyWebhook: true },
  });
  const accounts = user.role === "admin" ? await listAccountsForAdmin(db(), user.id) : [];
  const deliveries = await db().notification.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "desc" },
    take: 10,
  });
  const limits = await listTaskLimits(db(), user.id);
  const usage = await accountUsage(db(), user.id, downloadsDir());
  return (
    <>
      <h1>Account</h1>
      <div className="panel">
        <p>
          Signed in as <strong data-testid="account-email">{user.email}</strong>
          {user.name ? ` (${user.name})` : ""}.
        </p>
        <p className="muted">
          Role: {user.role === "admin" ? "administrator (first account of this install)" : "user"}.
        </p>
      </div>
      <h2>Storage on the server</h2>
      <div className="panel" data-testid="storage">
        <p>
          Runs: <strong data-testid="storage-runs">{fmtBytes(usage.runBytes)}</strong> in {usage.runs.length}{" "}
          run director{usage.runs.length === 1 ? "y" : "ies"} · skeletons:{" "}
          <strong>{fmtBytes(usage.skeletonBytes)}</strong> in {usage.skeletons} skeleton
          {usage.skeletons === 1 ? "" : "s"}.
          <span className="muted">
            {" "}
            Delete a finished run from its page; its directory and archive go with it.
          </span>
        </p>
        {usage.runs.length ? (
          <ScrollX label="Run directories by size">
            <table className="data">
              <thead>
                <tr>
                  <th>Run</th>
                  <th>State</th>
                  <th>On disk</th>
                </tr>
              </thead>
              <tbody>
                {usage.runs.slice(0, 10).map((r) => (
                  <tr key={r.id}>
                    <td className="wrap-any">
                      <Link href={`/runs/${r.id}`}>{r.name}</Link>
                    </td>
                    <td>{r.state}</td>
                    <td className="nowrap">{fmtBytes(r.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollX>
        ) : null}
      </div>
      {user.role === "admin" ? (
        <>
          <h2>The server&apos;s ssh-agent</h2>
          <div className="panel">
            <p className="muted">
              Resources without a stored key log in with the keys of the ssh-agent this server was started
              with (SSH_AUTH_SOCK): wherever those keys open, as whoever holds them. Only administrators, and
              the accounts you allow here, may use it.
            </p>
            <AgentAccess accounts={accounts} />
          </div>
        </>
      ) : null}
      <h2>Run-end notification</h2>
      <div className="panel">
        <NotifyForm
          smtpConfigured={smtpFromEnv(process.env) !== null}
          initial={{
            notifyOnRunEnd: prefs.notifyOnRunEnd,
            notifyEmail: prefs.notifyEmail ?? "",
            notifyWebhook: prefs.notifyWebhook ?? "",
          }}
        />
      </div>
      {limits ? (
        <>
          <h2>Task limits</h2>
          <div className="panel">
            <p className="muted">
              The most tasks one skeleton of each account may expand to (default{" "}
              {DEFAULT_TASK_LIMIT.toLocaleString("en")}, at most {MAX_TASKS.toLocaleString("en")}). Large
              skeletons are expanded and planned on the server&apos;s worker threads; leave a field empty for
              the default.
            </p>
            <TaskLimits rows={limits} defaultLimit={DEFAULT_TASK_LIMIT} maxLimit={MAX_TASKS} />
          </div>
        </>
      ) : null}
      {deliveries.length > 0 ? (
        <>
          <h2>Recent deliveries</h2>
          <ScrollX label="Recent deliveries">
            <table className="data">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Channel</th>
                  <th>Result</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td>{d.createdAt.toISOString().slice(0, 19).replace("T", " ")}</td>
                    <td>{d.channel}</td>
                    <td className={d.ok ? "wrap-any" : "error wrap-any"}>{d.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollX>
        </>
      ) : null}
    </>
  );
}

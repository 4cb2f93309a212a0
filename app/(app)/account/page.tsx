import { requireUser } from "@/app/_lib/session";
import { ScrollX } from "@/components/scroll-x";
import { db } from "@/lib/db/client";
import { listAccountsForAdmin } from "@/lib/db/users";
import { DEFAULT_TASK_LIMIT, listTaskLimits } from "@/lib/db/task-limits";
import { MAX_TASKS } from "@/lib/skeleton";
import { smtpFromEnv } from "@/lib/notify/settings";
import { AgentAccess } from "./agent-access";
import { NotifyForm } from "./notify-form";
import { TaskLimits } from "./task-limits";

export default async function AccountPage() {
  const user = await requireUser();
  const prefs = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { notifyOnRunEnd: true, notifyEmail: true, notifyWebhook: true } });
  const accounts = user.role === "admin" ? await listAccountsForAdmin(db(), user.id) : [];
  const deliveries = await db().notification.findMany({ where: { userId: user.id }, orderBy: { createdAt: "desc" }, take: 10 });
  const limits = await listTaskLimits(db(), user.id);
  return (
    <>
      <h1>Account</h1>
      <div className="panel">
        <p>
          Signed in as <strong data-testid="account-email">{user.email}</strong>
          {user.name ? ` (${user.name})` : ""}.
        </p>
        <p className="muted">Role: {user.role === "admin" ? "administrator (first account of this install)" : "user"}.</p>
      </div>
      {user.role === "admin" ? (
        <>
          <h2>The server&apos;s ssh-agent</h2>
          <div className="panel">
            <p className="muted">
              Resources without a stored key log in with the keys of the ssh-agent this server was started with (SSH_AUTH_SOCK): wherever those keys open, as whoever holds them. Only administrators, and the accounts you allow here, may use it.
            </p>
            <AgentAccess accounts={accounts} />
          </div>
        </>
      ) : null}
      <h2>Run-end notification</h2>
      <div className="panel">
        <NotifyForm
          smtpConfigured={smtpFromEnv(process.env) !== null}
          initial={{ notifyOnRunEnd: prefs.notifyOnRunEnd, notifyEmail: prefs.notifyEmail ?? "", notifyWebhook: prefs.notifyWebhook ?? "" }}
        />
      </div>
      {limits ? (
        <>
          <h2>Task limits</h2>
          <div className="panel">
            <p className="muted">
              The most tasks one skeleton of each account may expand to (default {DEFAULT_TASK_LIMIT.toLocaleString("en")}, at most {MAX_TASKS.toLocaleString("en")}). Large skeletons are expanded and planned on the server&apos;s worker threads; leave a field empty for the default.
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

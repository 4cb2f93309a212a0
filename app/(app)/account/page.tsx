import { requireUser } from "@/app/_lib/session";

export default async function AccountPage() {
  const user = await requireUser();
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
    </>
  );
}

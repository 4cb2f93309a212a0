import type { ReactNode } from "react";
import { requireUser } from "@/app/_lib/session";
import { NavLinks } from "@/components/nav-links";
import { SignOutButton } from "@/components/sign-out-button";
import { ThemeToggle } from "@/components/theme-toggle";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <div className="brand">EManager</div>
        <NavLinks />
        <div className="spacer" />
        <div className="who" data-testid="signed-in-as">
          {user.email}
          {user.role === "admin" ? " (admin)" : ""}
        </div>
        <div className="row">
          <ThemeToggle />
          <SignOutButton />
        </div>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}

import Link from "next/link";
import { Suspense } from "react";
import { SignInForm } from "./signin-form";

export default function SignInPage() {
  return (
    <div className="auth-card panel">
      <h1>Sign in to EManager</h1>
      <Suspense>
        <SignInForm />
      </Suspense>
      <p className="muted" style={{ textAlign: "center" }}>
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}

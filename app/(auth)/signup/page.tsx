import Link from "next/link";
import { SignUpForm } from "./signup-form";

export default function SignUpPage() {
  return (
    <div className="auth-card panel">
      <h1>Create an account</h1>
      <SignUpForm />
      <p className="muted" style={{ textAlign: "center" }}>
        Already have one? <Link href="/signin">Sign in</Link>
      </p>
    </div>
  );
}

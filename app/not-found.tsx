import Link from "next/link";

export default function NotFound() {
  return (
    <div className="auth-card panel">
      <h1>Not found</h1>
      <p>There is nothing here, or it belongs to another account.</p>
      <Link href="/runs">Back to runs</Link>
    </div>
  );
}

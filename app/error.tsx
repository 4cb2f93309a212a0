"use client";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="auth-card panel" role="alert">
      <h1>Something went wrong</h1>
      <p>
        The page could not be shown. The server log has the details
        {error.digest ? ` (reference ${error.digest})` : ""}.
      </p>
      <button className="btn" onClick={reset}>
        Try again
      </button>
    </div>
  );
}

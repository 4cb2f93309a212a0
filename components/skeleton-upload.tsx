"use client";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent, type FormEvent } from "react";

interface LineError {
  line: number;
  column: number;
  message: string;
  expected?: string;
}

/** Upload or paste a skeleton; errors are shown at their lines, next to the text. */
export function SkeletonUpload() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const [errors, setErrors] = useState<LineError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const f = e.target.files?.[0];
    if (!f) return;
    setName(f.name);
    setText(await f.text());
    setErrors([]);
    setMessage(null);
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch("/api/skeletons", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: name || "skeleton", text }) });
      const body = (await res.json()) as { id?: string; error?: { message: string; errors?: LineError[] } };
      if (res.ok && body.id) {
        router.push(`/skeletons/${body.id}`);
        return;
      }
      setErrors(body.error?.errors ?? []);
      setMessage(body.error?.message ?? `The server answered ${res.status}.`);
    } catch {
      setMessage("The server could not be reached.");
    } finally {
      setBusy(false);
    }
  }

  const bad = new Map(errors.map((x) => [x.line, x]));
  return (
    <form className="stack panel" onSubmit={onSubmit} aria-label="Upload a skeleton">
      <div className="row">
        <label style={{ flex: 1 }}>
          Skeleton file
          <input type="file" accept=".conf,.input,.txt,.json,.yaml,.yml" onChange={(e) => void onFile(e)} data-testid="skeleton-file" />
        </label>
        <label style={{ flex: 1 }}>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder="e.g. skeleton_demo_SC2014.conf" />
        </label>
      </div>
      <label>
        Or paste / edit the text
        <textarea rows={12} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} data-testid="skeleton-text" />
      </label>
      {message ? (
        <div className="notice error" role="alert" data-testid="skeleton-errors">
          <strong>{message}</strong>
          <ul>
            {errors.map((x, i) => (
              <li key={i}>
                line {x.line}, column {x.column}: {x.message}
                {x.expected ? <span className="muted"> (expected {x.expected})</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {errors.length > 0 ? (
        <pre className="panel" style={{ maxHeight: 300, overflow: "auto" }} aria-label="The skeleton with its errors marked">
          {text.split("\n").map((l, i) => (
            <div key={i} style={bad.has(i + 1) ? { background: "color-mix(in srgb, var(--danger) 18%, transparent)" } : undefined} title={bad.get(i + 1)?.message}>
              <span className="muted">{String(i + 1).padStart(4)} </span>
              {l}
            </div>
          ))}
        </pre>
      ) : null}
      <div>
        <button className="btn primary" type="submit" disabled={busy || text.trim() === ""}>
          {busy ? "Checking…" : "Check and save"}
        </button>
      </div>
    </form>
  );
}

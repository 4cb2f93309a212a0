"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import type { BundleImportReport } from "@/lib/resources/edit";
import { importBundleAction } from "../actions";

export function BundleImport() {
  const [report, setReport] = useState<BundleImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    const r = await importBundleAction(String(f.get("text") ?? ""), String(f.get("username") ?? ""));
    setBusy(false);
    if (r.ok) {
      setReport(r.value);
      setError(null);
    } else setError(r.error.message);
  }
  return (
    <>
      <form className="stack panel" onSubmit={onSubmit} style={{ maxWidth: 760 }}>
        <label>
          Bundle configuration
          <textarea
            name="text"
            rows={10}
            required
            placeholder="cluster_type=slurm hostname=stampede.tacc.xsede.org username=alice"
          />
        </label>
        <label>
          Your user name, for lines that carry a placeholder such as &lt;INSERT_STAMPEDE_USERNAME&gt;
          (optional)
          <input name="username" autoComplete="off" />
        </label>
        {error ? (
          <p className="notice error" role="alert">
            {error}
          </p>
        ) : null}
        <button className="btn primary" type="submit" disabled={busy}>
          {busy ? "Importing…" : "Import"}
        </button>
      </form>
      {report ? (
        <section className="panel" data-testid="import-report" role="status">
          <h2>{report.created.length} resource(s) imported</h2>
          <ul>
            {report.created.map((c) => (
              <li key={c.label}>
                line {c.line}: <strong>{c.label}</strong> ({c.kind}) {c.username}@{c.host}
              </li>
            ))}
          </ul>
          {report.skipped.length ? (
            <>
              <h3>Skipped or not carried over</h3>
              <ul>
                {report.skipped.map((s, i) => (
                  <li key={i}>
                    line {s.line}: <code>{s.text.slice(0, 120)}</code>: {s.why}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <Link className="btn" href="/resources">
            Back to resources
          </Link>
        </section>
      ) : null}
    </>
  );
}

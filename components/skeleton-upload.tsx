"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { embedExternal } from "@/lib/skeleton/embedded-external";
import { ExternalUpload } from "./skeleton/external-upload";
import { SkeletonEditor } from "./skeleton/skeleton-editor";
import { SkeletonProblems } from "./skeleton/skeleton-problems";
import { useSkeletonCheck } from "./skeleton/use-skeleton-check";

interface LineError {
  line: number;
  column: number;
  message: string;
}

/**
 * Upload or paste a skeleton into an editor that checks it as you type (on a Web Worker, once
 * typing pauses): every error and warning listed with its line and column, a click jumps there.
 * Saving checks it once more on the server, which also expands it in full.
 */
export function SkeletonUpload() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const [errors, setErrors] = useState<LineError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const jump = useRef<((line: number, column: number) => void) | null>(null);
  const check = useSkeletonCheck(text, name);

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
      const res = await fetch("/api/skeletons", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: name || "skeleton", text }),
      });
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

  return (
    <form className="stack panel" onSubmit={onSubmit} aria-label="Upload a skeleton">
      <div className="row">
        <label style={{ flex: "1 1 14rem", minWidth: 0 }}>
          Skeleton file
          <input
            type="file"
            accept=".conf,.input,.txt,.json,.yaml,.yml"
            onChange={(e) => void onFile(e)}
            data-testid="skeleton-file"
            style={{ width: "100%" }}
          />
        </label>
        <label style={{ flex: "1 1 14rem", minWidth: 0 }}>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={120}
            placeholder="e.g. skeleton_demo_SC2014.conf"
          />
        </label>
      </div>
      <div>
        <div style={{ fontWeight: 500, marginBottom: "0.25rem" }} id="skeleton-text-label">
          Or paste / edit the text
        </div>
        <SkeletonEditor
          value={text}
          onChange={setText}
          problems={check.status === "done" ? check.problems : []}
          jumpRef={jump}
        />
      </div>
      <SkeletonProblems check={check} onJump={(line, column) => jump.current?.(line, column)} />
      <ExternalUpload
        needs={check.status === "done" ? check.needs : []}
        json={/^\s*[[{]/.test(text)}
        onOutput={(stage, output) => setText((t) => embedExternal(t, stage, output))}
      />
      {message ? (
        <div className="notice error" role="alert" data-testid="skeleton-errors">
          <strong>{message}</strong>
          <ul>
            {errors.map((x, i) => (
              <li key={i}>
                <button type="button" className="linkish" onClick={() => jump.current?.(x.line, x.column)}>
                  line {x.line}, column {x.column}
                </button>
                : {x.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <button className="btn primary" type="submit" disabled={busy || text.trim() === ""}>
          {busy ? "Checking…" : "Check and save"}
        </button>
      </div>
    </form>
  );
}

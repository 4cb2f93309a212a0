"use client";
import type { ExternalNeed } from "@/lib/skeleton/problems";

/**
 * For each stage whose inputs an external mapping script names: upload what the script printed
 * (run on your own machine or cluster; EManager never runs it). The output is kept in the
 * skeleton as comment lines (lib/skeleton/embedded-external.ts), so it is saved, planned and run
 * with it. JSON has no comments: there the command line's --external is the way.
 */
export function ExternalUpload({
  needs,
  json,
  onOutput,
}: {
  needs: ExternalNeed[];
  json: boolean;
  onOutput: (stage: string, output: string) => void;
}) {
  if (needs.length === 0) return null;
  return (
    <div className="notice" data-testid="external-upload">
      {needs.map((n) => (
        <label key={n.stage} style={{ fontWeight: 400 }}>
          <span className="wrap-any">
            <strong>{n.stage}</strong> reads the files that <code>{n.script}</code> names: run it yourself and
            upload what it prints, one line per task with that task&apos;s input files separated by spaces.
          </span>
          {json ? (
            <span className="muted">
              A JSON skeleton cannot keep it; give it to the command line:{" "}
              <code>emanager skeleton expand FILE --external {n.stage}=OUTPUT.txt</code>.
            </span>
          ) : (
            <input
              type="file"
              aria-label={`output of ${n.script} for ${n.stage}`}
              data-testid={`external-file-${n.stage}`}
              onChange={async (e) => {
                const f = e.target.files?.[0];
                if (f) onOutput(n.stage, await f.text());
              }}
            />
          )}
        </label>
      ))}
    </div>
  );
}

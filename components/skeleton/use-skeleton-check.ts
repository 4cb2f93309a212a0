"use client";
import { useEffect, useRef, useState } from "react";
import type { ExternalNeed, Problem } from "@/lib/skeleton/problems";
import type { CheckReply } from "./check.worker";

/** How long typing must pause before the text is checked. */
export const CHECK_DELAY_MS = 300;

export type CheckState =
  | { status: "idle" | "checking" }
  | { status: "done"; problems: Problem[]; needs: ExternalNeed[] }
  | { status: "failed"; message: string };

/**
 * Checks the text on a Web Worker once typing pauses. A newer text while the worker is still on an
 * older one (a large skeleton) terminates it and starts a fresh one: only the latest text matters.
 */
export function useSkeletonCheck(text: string, fileName: string): CheckState {
  const [state, setState] = useState<CheckState>({ status: "idle" });
  const worker = useRef<{ w: Worker; busy: boolean } | null>(null);
  const seq = useRef(0);

  useEffect(() => () => worker.current?.w.terminate(), []);

  useEffect(() => {
    if (text.trim() === "") return;
    const t = setTimeout(() => {
      seq.current += 1;
      const id = seq.current;
      if (worker.current?.busy) {
        worker.current.w.terminate();
        worker.current = null;
      }
      if (!worker.current) {
        const w = new Worker(new URL("./check.worker.ts", import.meta.url), { type: "module" });
        const slot = { w, busy: false };
        w.onmessage = (e: MessageEvent<CheckReply>) => {
          slot.busy = false;
          if (e.data.id !== seq.current) return;
          setState(
            "problems" in e.data
              ? { status: "done", problems: e.data.problems, needs: e.data.needs }
              : { status: "failed", message: e.data.failed },
          );
        };
        w.onerror = (e) => {
          slot.busy = false;
          setState({ status: "failed", message: e.message || "the checker stopped" });
        };
        worker.current = slot;
      }
      worker.current.busy = true;
      setState({ status: "checking" });
      worker.current.w.postMessage({ id, text, fileName });
    }, CHECK_DELAY_MS);
    return () => clearTimeout(t);
  }, [text, fileName]);

  // an empty editor has nothing to check (whatever an earlier text gave)
  return text.trim() === "" ? { status: "idle" } : state;
}

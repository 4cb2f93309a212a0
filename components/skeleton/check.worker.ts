import { z } from "zod";
import { skeletonCheck, type ExternalNeed, type Problem } from "@/lib/skeleton/problems";

/**
 * The skeleton editor's checker, on its own thread: parsing and expanding a large skeleton takes
 * long enough to make typing stutter on the page's main thread. One request at a time; the
 * editor replaces (terminates) the worker when a newer text arrives while one is being checked.
 */
const ZRequest = z.object({ id: z.number().int(), text: z.string(), fileName: z.string() });

export type CheckReply =
  { id: number; problems: Problem[]; needs: ExternalNeed[] } | { id: number; failed: string };

interface WorkerScope {
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
  postMessage(m: CheckReply): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const req = ZRequest.safeParse(e.data);
  if (!req.success) return;
  try {
    scope.postMessage({ id: req.data.id, ...skeletonCheck(req.data.text, req.data.fileName) });
  } catch (err: unknown) {
    scope.postMessage({ id: req.data.id, failed: err instanceof Error ? err.message : String(err) });
  }
};

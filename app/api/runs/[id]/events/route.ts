import { apiUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { readEvents } from "@/lib/db/events";
import { waitForRun } from "@/lib/engine/bus";
import { isRunFinal, isRunState } from "@/lib/states/run";
import { BATCH, backlog } from "./backlog";
import { openingSnapshot } from "./snapshot";

export const dynamic = "force-dynamic";

const POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;

// GET /api/runs/:id/events - server-sent events. On first connect, the run folded so far as one
// `event: snapshot` (lib/stats/snapshot.ts, lib/archive/run-snapshot.ts, ./snapshot.ts: the view
// and the newest events, not the whole log). On a reconnect (Last-Event-ID), the backlog instead: every event after it, as
// `event: backlog` messages in the compact columnar form of lib/stats/wire.ts, BATCH events each,
// the last one with `done: true`.
// Batches, not one message: the page parses and folds batch k while we read batch k+1 (reading
// is most of the server's time; full batches are cached, see ./backlog.ts), and draws once, at
// `done`. Then new events as they are committed (`event: events`, data = JSON array of RunEvents). Every message with events has
// id = its last seq, so a reconnect resumes exactly there. `event: end` once the run is final.
// ?once=1 answers with the backlog as plain JSON (the polling fallback).
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const run = await db().run.findFirst({ where: { id, userId: user.id }, select: { id: true } });
  if (!run)
    return Response.json(
      { error: { code: "NOT_FOUND", message: "No such run in your account." } },
      { status: 404 },
    );

  const url = new URL(req.url);
  const fromHeader = Number(req.headers.get("last-event-id") ?? url.searchParams.get("after") ?? 0);
  let after = Number.isFinite(fromHeader) && fromHeader > 0 ? fromHeader : 0;
  if (url.searchParams.get("once") === "1") {
    const events = await readEvents(db(), id, after, BATCH * 10);
    const state = (await db().run.findUnique({ where: { id }, select: { state: true } }))?.state ?? "NEW";
    return Response.json({ events, state, lastSeq: events.at(-1)?.seq ?? after });
  }

  const enc = new TextEncoder();
  const abort = req.signal;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (s: string) => controller.enqueue(enc.encode(s));
      send(`retry: 2000\n\n`);
      let lastBeat = Date.now();
      try {
        if (after === 0) {
          const snap = await openingSnapshot(user.id, id);
          if (abort.aborted) return;
          after = snap.lastSeq;
          send(`${after > 0 ? `id: ${after}\n` : ""}event: snapshot\ndata: ${snap.text}\n\n`);
        } else
          for await (const b of backlog(db(), id, after)) {
            if (abort.aborted) return;
            if (b.lastSeq !== null) after = b.lastSeq;
            send(`${b.lastSeq !== null ? `id: ${b.lastSeq}\n` : ""}event: backlog\ndata: ${b.text}\n\n`);
          }
        while (!abort.aborted) {
          const events = await readEvents(db(), id, after, BATCH);
          if (events.length > 0) {
            after = events[events.length - 1]!.seq;
            send(`id: ${after}\nevent: events\ndata: ${JSON.stringify(events)}\n\n`);
            if (events.length === BATCH) continue;
          }
          const st = (await db().run.findUnique({ where: { id }, select: { state: true } }))?.state ?? "";
          if (isRunState(st) && isRunFinal(st) && events.length === 0) {
            send(`event: end\ndata: ${JSON.stringify({ state: st })}\n\n`);
            break;
          }
          if (Date.now() - lastBeat > KEEPALIVE_MS) {
            send(`: keepalive\n\n`);
            lastBeat = Date.now();
          }
          await waitForRun(id, POLL_MS, abort);
        }
      } catch (e: unknown) {
        send(
          `event: error\ndata: ${JSON.stringify({ message: e instanceof Error ? e.message : String(e) })}\n\n`,
        );
      } finally {
        try {
          controller.close();
        } catch {
          // the client already went away
        }
      }
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}

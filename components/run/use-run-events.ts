"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { RunEvent } from "@/lib/model/event";
import { emptyView, foldEvents, type RunView } from "@/lib/stats/fold";
import { decodeSnapshot } from "@/lib/stats/snapshot";
import { decodeEvents, ZEventList } from "@/lib/stats/wire";
import { z } from "zod";

/**
 * The run in react-query's cache, kept live by one server-sent-events stream: first the run as
 * the server folded it (a snapshot: the view and its newest events; on a reconnect the backlog of
 * events since the last one seen, in compact batches), then deltas. EventSource resends the
 * last `id:` as Last-Event-ID when it reconnects, so nothing is missed or repeated (we also
 * dedupe by seq). After repeated stream errors it falls back to polling `?once=1&after=`.
 *
 * Events are folded as they arrive, into one working view (incrementally: never from scratch),
 * and React sees them at most once a frame: the backlog once, when its last batch is in (a
 * render per batch would fold nothing more but redraw everything 12 times for 60,000 events),
 * deltas coalesced per animation frame.
 */
export interface RunEventsState {
  /** the events received: the snapshot's newest ones (up to 5,000) and every one since */
  events: RunEvent[];
  lastSeq: number;
  /** "live": stream open; "reconnecting": stream dropped; "polling": fallback; "ended": run final */
  status: "connecting" | "live" | "reconnecting" | "polling" | "ended";
  runState: string | null;
  /** the backlog is in (all of it): the page can draw the whole picture */
  loaded: boolean;
  /** the events folded into pilots and tasks (folded once per event, as they arrive) */
  view: RunView;
}

const initial = (): RunEventsState => ({
  events: [],
  lastSeq: 0,
  status: "connecting",
  runState: null,
  loaded: false,
  view: emptyView(),
});
const FINAL = ["DONE", "FAILED", "CANCELED"];
const ZPolled = z.object({ events: ZEventList, state: z.string() });
const ZEnd = z.object({ state: z.string() });
/** a frame may never come in a background tab: publish after this long anyway */
const MAX_HOLD_MS = 100;

export function runEventsKey(runId: string) {
  return ["run-events", runId] as const;
}

/** Parses an SSE message's JSON without trusting its shape (decodeEvents checks it). */
function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function useRunEvents(runId: string): RunEventsState {
  const qc = useQueryClient();
  const key = runEventsKey(runId);
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => qc.getQueryData<RunEventsState>(key) ?? initial(),
    staleTime: Infinity,
    initialData: initial,
    structuralSharing: false,
  });

  useEffect(() => {
    let closed = false;
    let errors = 0;
    let poll: ReturnType<typeof setInterval> | null = null;
    const set = (f: (s: RunEventsState) => RunEventsState) =>
      qc.setQueryData<RunEventsState>(key, (s) => f(s ?? initial()));
    // the working copy (a page that comes back to a run starts from what the cache has)
    const start = qc.getQueryData<RunEventsState>(key) ?? initial();
    let events = start.events.slice();
    let view = start.view;
    let lastSeq = start.lastSeq;
    let dirty = false;

    /** Folds what is new (seq above the last one seen) into the working copy. */
    const take = (incoming: readonly RunEvent[]) => {
      const fresh: RunEvent[] = [];
      for (const e of incoming) {
        if (e.seq <= lastSeq) continue;
        fresh.push(e);
        lastSeq = e.seq;
      }
      if (fresh.length === 0) return;
      for (const e of fresh) events.push(e);
      foldEvents(view, fresh);
      dirty = true;
    };
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    /** Hands the working copy to React: new identities, so memoised panels recompute once. */
    const publish = (patch: Partial<RunEventsState> = {}) => {
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      frame = timer = null;
      const fresh = dirty;
      dirty = false;
      set((s) => ({
        ...s,
        ...(fresh ? { events: events.slice(), lastSeq, view: { ...view } } : {}),
        ...patch,
      }));
    };
    const schedule = () => {
      if (frame !== null || !dirty) return;
      frame = requestAnimationFrame(() => publish());
      timer = setTimeout(() => publish(), MAX_HOLD_MS);
    };

    const es = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    const t0 = performance.now();
    const startPolling = () => {
      if (poll) return;
      es.close();
      publish({ status: "polling" });
      poll = setInterval(async () => {
        try {
          const r = await fetch(`/api/runs/${encodeURIComponent(runId)}/events?once=1&after=${lastSeq}`);
          if (!r.ok) return;
          const body = ZPolled.safeParse(await r.json());
          if (!body.success) return;
          take(body.data.events);
          publish({
            loaded: true,
            runState: body.data.state,
            status: FINAL.includes(body.data.state) ? "ended" : "polling",
          });
        } catch {
          // still offline; the banner says so
        }
      }, 2000);
    };

    es.addEventListener("snapshot", (m: MessageEvent<string>) => {
      const snap = decodeSnapshot(parse(m.data));
      if (!snap.ok) {
        // without it the page has nothing to show: polling reads the log from where we are
        console.error(`run events: bad snapshot (${snap.error})`);
        startPolling();
        return;
      }
      // the server's fold supersedes whatever this page had (it folded the same log, to a later point)
      if (snap.lastSeq >= lastSeq) {
        view = snap.view;
        events = snap.tail.slice();
        lastSeq = snap.lastSeq;
        dirty = true;
      }
      publish({ status: "live", loaded: true });
      performance.mark("run-events-backlog", {
        detail: { events: snap.tail.length, tasks: snap.view.tasks.size, ms: performance.now() - t0 },
      });
    });
    let backlogEvents = 0;
    es.onopen = () => {
      errors = 0;
      set((s) => ({ ...s, status: "live" }));
    };
    es.addEventListener("backlog", (m: MessageEvent<string>) => {
      const chunk = decodeEvents(parse(m.data));
      if (!chunk.ok) {
        // a batch we cannot read would leave a hole in the log: polling refetches from lastSeq
        console.error(`run events: bad backlog batch (${chunk.error})`);
        startPolling();
        return;
      }
      take(chunk.events);
      backlogEvents += chunk.events.length;
      if (!chunk.done) return;
      publish({ status: "live", loaded: true });
      // for the dashboard benchmark: how long the snapshot took to arrive and fold
      performance.mark("run-events-backlog", {
        detail: { events: backlogEvents, ms: performance.now() - t0 },
      });
    });
    es.addEventListener("events", (m: MessageEvent<string>) => {
      const body = ZEventList.safeParse(parse(m.data));
      if (!body.success) return console.error(`run events: bad batch (${body.error.message})`);
      take(body.data);
      schedule();
    });
    es.addEventListener("end", (m: MessageEvent<string>) => {
      const body = ZEnd.safeParse(parse(m.data));
      publish({ status: "ended", runState: body.success ? body.data.state : "DONE" });
      es.close();
    });
    es.onerror = () => {
      if (closed || es.readyState === EventSource.CLOSED) return;
      errors += 1;
      set((s) => (s.status === "ended" ? s : { ...s, status: "reconnecting" }));
      if (errors >= 3) startPolling();
    };
    return () => {
      closed = true;
      es.close();
      if (poll) clearInterval(poll);
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one stream per run id
  }, [runId, qc]);

  return data;
}

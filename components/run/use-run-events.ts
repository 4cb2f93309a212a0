"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { RunEvent } from "@/lib/model/event";
import { emptyView, foldEvents, type RunView } from "@/lib/stats/fold";

/**
 * The run's event log in react-query's cache, kept live by one server-sent-events stream:
 * the first message is the backlog (the snapshot), then deltas. EventSource resends the last
 * `id:` as Last-Event-ID when it reconnects, so nothing is missed or repeated (we also
 * dedupe by seq). After repeated stream errors it falls back to polling `?once=1&after=`.
 */
export interface RunEventsState {
  events: RunEvent[];
  lastSeq: number;
  /** "live": stream open; "reconnecting": stream dropped; "polling": fallback; "ended": run final */
  status: "connecting" | "live" | "reconnecting" | "polling" | "ended";
  runState: string | null;
  /** the events folded into pilots and tasks (folded once per event, as they arrive) */
  view: RunView;
}

const initial = (): RunEventsState => ({ events: [], lastSeq: 0, status: "connecting", runState: null, view: emptyView() });

export function runEventsKey(runId: string) {
  return ["run-events", runId] as const;
}

function merge(old: RunEventsState, incoming: RunEvent[]): RunEventsState {
  const fresh = incoming.filter((e) => e.seq > old.lastSeq);
  if (fresh.length === 0) return old;
  return { ...old, events: old.events.concat(fresh), lastSeq: fresh[fresh.length - 1]!.seq, view: { ...foldEvents(old.view, fresh) } };
}

export function useRunEvents(runId: string): RunEventsState {
  const qc = useQueryClient();
  const key = runEventsKey(runId);
  const { data } = useQuery({ queryKey: key, queryFn: () => qc.getQueryData<RunEventsState>(key) ?? initial(), staleTime: Infinity, initialData: initial, structuralSharing: false });

  useEffect(() => {
    let closed = false;
    let errors = 0;
    let poll: ReturnType<typeof setInterval> | null = null;
    const set = (f: (s: RunEventsState) => RunEventsState) => qc.setQueryData<RunEventsState>(key, (s) => f(s ?? initial()));
    const es = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    es.onopen = () => {
      errors = 0;
      set((s) => ({ ...s, status: "live" }));
    };
    es.addEventListener("events", (m: MessageEvent<string>) => set((s) => ({ ...merge(s, JSON.parse(m.data) as RunEvent[]), status: "live" })));
    es.addEventListener("end", (m: MessageEvent<string>) => {
      const { state } = JSON.parse(m.data) as { state: string };
      set((s) => ({ ...s, status: "ended", runState: state }));
      es.close();
    });
    es.onerror = () => {
      if (closed || es.readyState === EventSource.CLOSED) return;
      errors += 1;
      set((s) => (s.status === "ended" ? s : { ...s, status: "reconnecting" }));
      if (errors >= 3 && !poll) {
        es.close();
        set((s) => ({ ...s, status: "polling" }));
        poll = setInterval(async () => {
          const after = qc.getQueryData<RunEventsState>(key)?.lastSeq ?? 0;
          try {
            const r = await fetch(`/api/runs/${encodeURIComponent(runId)}/events?once=1&after=${after}`);
            if (!r.ok) return;
            const body = (await r.json()) as { events: RunEvent[]; state: string };
            set((s) => ({ ...merge(s, body.events), runState: body.state, status: ["DONE", "FAILED", "CANCELED"].includes(body.state) ? "ended" : "polling" }));
          } catch {
            // still offline; the banner says so
          }
        }, 2000);
      }
    };
    return () => {
      closed = true;
      es.close();
      if (poll) clearInterval(poll);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one stream per run id
  }, [runId, qc]);

  return data;
}

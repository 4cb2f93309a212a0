import type { RunEventsState } from "./use-run-events";

/** Says so, visibly, when the live stream is down (reconnecting) or replaced by polling. */
export function LiveBanner({ status }: { status: RunEventsState["status"] }) {
  if (status !== "reconnecting" && status !== "polling") return null;
  return (
    <div className="notice warn live" role="status" data-testid="live-banner" data-status={status}>
      <span>
        <strong>Live updates stopped.</strong>{" "}
        {status === "polling"
          ? "The page now checks for changes every 2 s instead; what you see may be up to 2 s old."
          : "Reconnecting to the server…"}
      </span>
      <button type="button" className="btn" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}

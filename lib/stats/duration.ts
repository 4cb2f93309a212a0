/**
 * The one way EManager writes a duration (run header, statistics panel, report, notifications),
 * so two places never show the same time differently ("3 min" beside "152 s"). Seconds up to
 * 10 minutes, where people compare them to the second; minutes and seconds up to 10 hours; then
 * hours and minutes. Not finite or negative: "–".
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  const t = Math.round(seconds);
  if (t < 600) return `${t} s`;
  if (t < 36_000) {
    const m = Math.floor(t / 60);
    const r = t % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

"use client";
import { useState } from "react";

/** The timeline as files (rendered on the server from the same model): SVG for papers, PNG for slides. */
export function TimelineDownloads({ runId }: { runId: string }) {
  const [theme, setTheme] = useState<"light" | "dark">("light");
  const href = (f: string) => `/api/runs/${runId}/download/${f}${theme === "dark" ? "?theme=dark" : ""}`;
  return (
    <div className="row" data-testid="timeline-downloads">
      <a className="btn" href={href("timeline.svg")} download>
        timeline.svg
      </a>
      <a className="btn" href={href("timeline.png")} download>
        timeline.png
      </a>
      <label style={{ flexDirection: "row", alignItems: "center", gap: 6, fontWeight: 400 }}>
        in
        <select
          value={theme}
          onChange={(e) => setTheme(e.target.value === "dark" ? "dark" : "light")}
          aria-label="colours of the downloaded timeline"
        >
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
        colours
      </label>
    </div>
  );
}

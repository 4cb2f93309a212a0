"use client";
import { useEffect, useState } from "react";

/**
 * A number that changes whenever the colour theme may have: the toggle's `data-theme` on <html>,
 * or the system's light/dark preference. The canvas reads its colours from CSS variables when it
 * draws, so it has to draw again then (CSS alone repaints everything else).
 */
export function useThemeVersion(): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const bump = () => setN((x) => x + 1);
    const mo = new MutationObserver(bump);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    mq.addEventListener("change", bump);
    return () => {
      mo.disconnect();
      mq.removeEventListener("change", bump);
    };
  }, []);
  return n;
}

"use client";

/** Cycles system → dark → light; the choice is kept in localStorage. */
export function ThemeToggle() {
  const cycle = () => {
    const el = document.documentElement;
    const next = el.dataset.theme === "dark" ? "light" : el.dataset.theme === "light" ? "" : "dark";
    if (next) {
      el.dataset.theme = next;
      localStorage.setItem("em-theme", next);
    } else {
      delete el.dataset.theme;
      localStorage.removeItem("em-theme");
    }
  };
  return (
    <button
      type="button"
      className="btn"
      onClick={cycle}
      aria-label="Switch colour theme (system, dark, light)"
    >
      Theme
    </button>
  );
}

// Shared with the SVG export: one layout for every rendering of the timeline.
export * from "@/lib/timeline/geometry";

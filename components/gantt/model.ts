// The model lives in lib/timeline so the server's SVG export draws exactly what the canvas draws.
export type { GanttModel, GanttPilot, GanttSegment, GanttTask } from "@/lib/timeline/model";

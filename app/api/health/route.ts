import { engineStatus } from "@/lib/engine/home";

// GET /api/health - public liveness probe: the web server answers and the engine loop ticks
export function GET(): Response {
  return Response.json({ ok: true, engine: engineStatus() });
}

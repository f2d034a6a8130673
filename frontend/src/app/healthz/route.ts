// Liveness of the Next.js process alone (Django has its own /healthz). Used by Playwright's webServer
// to know `next start` is up, and by anyone probing the frontend.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" });
}

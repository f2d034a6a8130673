// Every /api/* request is forwarded to Django; see lib/server/proxy.ts for why this is not a rewrite.
import { proxyToBackend } from "@/lib/server/proxy";

export const dynamic = "force-dynamic";

export const GET = proxyToBackend;
export const HEAD = proxyToBackend;
export const POST = proxyToBackend;
export const PUT = proxyToBackend;
export const PATCH = proxyToBackend;
export const DELETE = proxyToBackend;
export const OPTIONS = proxyToBackend;

// Uploaded files are served by Django too (tenant-scoped), through the same proxy as /api.
import { proxyToBackend } from "@/lib/server/proxy";

export const dynamic = "force-dynamic";

export const GET = proxyToBackend;
export const HEAD = proxyToBackend;

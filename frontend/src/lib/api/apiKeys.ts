/** API keys for the public API (apps/developer): owners and admins manage them; the secret comes back only once. */
import { api, cursorOf, unwrap } from "@/lib/apiClient";
import type { CursorPage } from "./pages";
import type { ApiKey, ApiKeyCreate, ApiKeyCreated } from "./types";

export async function listApiKeys(nextUrl?: string | null): Promise<CursorPage<ApiKey>> {
  return unwrap(api.GET("/api/developer/api-keys/", { params: { query: { cursor: cursorOf(nextUrl) } } }));
}

export async function createApiKey(body: ApiKeyCreate): Promise<ApiKeyCreated> {
  return unwrap(api.POST("/api/developer/api-keys/", { body }));
}

/** A new secret for the key; the previous one keeps working for `graceHours` (0: it stops at once; default 24). */
export async function rotateApiKey(id: number, graceHours = 24): Promise<ApiKeyCreated> {
  return unwrap(api.POST("/api/developer/api-keys/{key_id}/rotate/", { params: { path: { key_id: id } }, body: { grace_hours: graceHours } }));
}

export async function revokeApiKey(id: number): Promise<void> {
  await unwrap(api.DELETE("/api/developer/api-keys/{key_id}/", { params: { path: { key_id: id } } }));
}

/** The business as a whole (apps/portability, docs/data-export-and-deletion.md): exports and the deletion. */
import { api, unwrap } from "@/lib/apiClient";
import type { BusinessDeletion, BusinessDeletionConfirm, BusinessExport } from "./types";

/** The latest exports, newest first (owners only). */
export async function listExports(): Promise<BusinessExport[]> {
  return unwrap(api.GET("/api/business/exports/"));
}

/** Ask for a new export: a worker prepares it (409 `export_in_progress` while another one is). */
export async function requestExport(): Promise<BusinessExport> {
  return unwrap(api.POST("/api/business/exports/"));
}

/** Whether the business is scheduled for deletion, and when (every member). */
export async function getDeletion(): Promise<BusinessDeletion> {
  return unwrap(api.GET("/api/business/deletion/"));
}

/** Schedule the deletion: the business's slug and the owner's own password confirm it. */
export async function scheduleDeletion(body: BusinessDeletionConfirm): Promise<BusinessDeletion> {
  return unwrap(api.POST("/api/business/deletion/", { body }));
}

export async function cancelDeletion(): Promise<BusinessDeletion> {
  return unwrap(api.POST("/api/business/deletion/cancel/"));
}

import { api, cursorOf, unwrap } from "@/lib/apiClient";
import type {
  AudiencePreview,
  AudienceQuery,
  CampaignAudience,
  CampaignCounts,
  CampaignDetail,
  CampaignFailure,
  CampaignRecipient,
  CampaignRetargetStage,
  CampaignStatus,
  CampaignSummary,
  CampaignVariant,
  CampaignWrite,
  CostEstimate,
  PaginatedCampaignRecipientList,
  PaginatedCampaignSummaryList,
} from "./types";

/*
 * Campaigns (issue 12): the list, one campaign with its funnel, the wizard's audience preview, drafts,
 * start / pause / resume / cancel, retarget, the recipients and the CSV report.
 */

export type {
  AudiencePreview,
  CampaignAudience,
  CampaignCounts,
  CampaignDetail,
  CampaignFailure,
  CampaignRecipient,
  CampaignRetargetStage,
  CampaignStatus,
  CampaignSummary,
  CampaignVariant,
  CampaignWrite,
  CostEstimate,
};

export interface RecipientQuery {
  state?: "delivered" | "failed" | "held" | "pending" | "queued" | "read" | "replied" | "sending" | "sent" | "skipped" | "unknown";
  error_code?: number;
}

const campaign = (id: number) => ({ params: { path: { campaign_id: id } } });

export async function listCampaigns(status?: CampaignStatus | "", nextUrl?: string | null): Promise<PaginatedCampaignSummaryList> {
  return unwrap(api.GET("/api/campaigns/", { params: { query: { status: status || undefined, cursor: cursorOf(nextUrl) } } }));
}

export async function getCampaign(id: number): Promise<CampaignDetail> {
  return unwrap(api.GET("/api/campaigns/{campaign_id}/", campaign(id)));
}

export async function createCampaign(body: CampaignWrite): Promise<CampaignDetail> {
  return unwrap(api.POST("/api/campaigns/", { body }));
}

/** Edits a draft (the same fields as the creation; 409 once it has started). */
export async function updateCampaign(id: number, body: Partial<CampaignWrite>): Promise<CampaignDetail> {
  return unwrap(api.PATCH("/api/campaigns/{campaign_id}/", { ...campaign(id), body }));
}

export async function deleteCampaign(id: number): Promise<void> {
  await unwrap(api.DELETE("/api/campaigns/{campaign_id}/", campaign(id)));
}

export async function startCampaign(id: number, splitAcrossDays = false): Promise<CampaignDetail> {
  return unwrap(api.POST("/api/campaigns/{campaign_id}/start/", { ...campaign(id), body: { split_across_days: splitAcrossDays } }));
}

export async function pauseCampaign(id: number): Promise<CampaignDetail> {
  return unwrap(api.POST("/api/campaigns/{campaign_id}/pause/", campaign(id)));
}

export async function resumeCampaign(id: number): Promise<CampaignDetail> {
  return unwrap(api.POST("/api/campaigns/{campaign_id}/resume/", campaign(id)));
}

export async function cancelCampaign(id: number): Promise<CampaignDetail> {
  return unwrap(api.POST("/api/campaigns/{campaign_id}/cancel/", campaign(id)));
}

export async function retargetCampaign(id: number, stage: CampaignRetargetStage, name?: string): Promise<CampaignDetail> {
  return unwrap(api.POST("/api/campaigns/{campaign_id}/retarget/", { ...campaign(id), body: { stage, name } }));
}

export async function previewAudience(body: AudienceQuery, signal?: AbortSignal): Promise<AudiencePreview> {
  return unwrap(api.POST("/api/campaigns/audience/", { body, signal }));
}

export async function listRecipients(id: number, query: RecipientQuery = {}, nextUrl?: string | null): Promise<PaginatedCampaignRecipientList> {
  return unwrap(
    api.GET("/api/campaigns/{campaign_id}/recipients/", {
      params: { path: { campaign_id: id }, query: { state: query.state || undefined, error_code: query.error_code, cursor: cursorOf(nextUrl) } },
    }),
  );
}

/** The CSV report: a plain link (the browser downloads it with the session cookie). */
export function reportUrl(id: number): string {
  return `/api/campaigns/${id}/report.csv`;
}

/** Statuses in which the campaign still changes by itself: the page polls while it is in one. */
export function isLive(status: CampaignStatus): boolean {
  return status === "running" || status === "scheduled";
}

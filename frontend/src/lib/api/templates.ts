import { api, cursorOf, unwrap, upload, type UploadProgress } from "@/lib/apiClient";
import { collectPages } from "./pages";
import type {
  Message,
  PaginatedTemplateList,
  PaginatedTemplateSyncList,
  Template,
  TemplateCategory,
  TemplateCreate,
  TemplateDetail,
  TemplateDraft,
  TemplateDraftPreview,
  TemplateEdit,
  TemplateEvent,
  TemplateMapping,
  TemplateParameters,
  TemplatePreview,
  TemplatePreviewInput,
  TemplateProblem,
  TemplateRendered,
  TemplateRenderedButton,
  TemplateSend,
  TemplateSync,
  TemplateUploadResult,
} from "./types";

/*
 * Message templates (issue 11): the list, one template with its history, the builder's draft preview,
 * create / edit / delete, sync, header sample uploads, the variable mapping, the preview with a contact,
 * and sending one (composer and inbox).
 */

export type {
  Template,
  TemplateCategory,
  TemplateCreate,
  TemplateDetail,
  TemplateEdit,
  TemplateEvent,
  TemplateMapping,
  TemplateParameters,
  TemplatePreview,
  TemplateSync,
};
export type Problem = TemplateProblem;
export type Rendered = TemplateRendered;
export type RenderedButton = TemplateRenderedButton;
export type DraftPreview = TemplateDraftPreview;
export type UploadedSample = TemplateUploadResult;
export type TemplateSendBody = TemplateSend;
/** Meta's component objects, as Meta has them (a template's definition). */
export type TemplateComponent = TemplateCreate["components"][number];

/** Where one variable's value comes from when a template is sent to a contact (a source of the mapping). */
export interface MappingSource {
  /** "first_name" | "last_name" | "name" | "phone" | "email" | "attributes.<key>" | "" (fixed text). */
  field: string;
  value: string;
  fallback: string;
}

export interface TemplateQuery {
  status?: string;
  category?: string;
  language?: string;
  q?: string;
  attention?: boolean;
}

const PAGE_SIZE = 50;
const template = (id: number) => ({ params: { path: { template_id: id } } });

/** Newest first; filters as the list takes them; the page behind a `next` link keeps the query. */
export async function listTemplates(query: TemplateQuery = {}, nextUrl?: string | null, pageSize = PAGE_SIZE): Promise<PaginatedTemplateList> {
  return unwrap(
    api.GET("/api/templates/", {
      params: {
        query: {
          status: query.status || undefined,
          category: query.category || undefined,
          language: query.language || undefined,
          q: query.q?.trim() || undefined,
          attention: query.attention || undefined,
          page_size: pageSize,
          cursor: cursorOf(nextUrl),
        },
      },
    }),
  );
}

/** Every approved template (the send pickers). */
export async function listApproved(): Promise<Template[]> {
  const all = await collectPages((next) => listTemplates({ status: "APPROVED" }, next, 200));
  return all.filter((t) => t.status.toUpperCase() === "APPROVED");
}

export async function getTemplate(id: number): Promise<TemplateDetail> {
  return unwrap(api.GET("/api/templates/{template_id}/", template(id)));
}

export async function createTemplate(body: TemplateCreate): Promise<Template> {
  return unwrap(api.POST("/api/templates/", { body }));
}

export async function editTemplate(id: number, body: TemplateEdit): Promise<Template> {
  return unwrap(api.PATCH("/api/templates/{template_id}/", { ...template(id), body }));
}

/** This language only, or every language of the name. */
export async function deleteTemplate(id: number, allLanguages = false): Promise<void> {
  await unwrap(
    api.DELETE("/api/templates/{template_id}/", { params: { path: { template_id: id }, query: { all_languages: allLanguages || undefined } } }),
  );
}

export async function acknowledgeTemplate(id: number): Promise<Template> {
  return unwrap(api.POST("/api/templates/{template_id}/acknowledge/", template(id)));
}

export async function saveMapping(id: number, mapping: TemplateMapping): Promise<Template> {
  return unwrap(api.PUT("/api/templates/{template_id}/mapping/", { ...template(id), body: mapping }));
}

/** A saved template filled with typed parameters, or by its mapping for a contact. */
export async function previewTemplate(id: number, body: TemplatePreviewInput): Promise<TemplatePreview> {
  return unwrap(api.POST("/api/templates/{template_id}/preview/", { ...template(id), body }));
}

/** The builder's live check: the draft's local validation plus the rendered message. */
export async function previewDraft(body: TemplateDraft, signal?: AbortSignal): Promise<DraftPreview> {
  return unwrap(api.POST("/api/templates/preview/", { body, signal }));
}

export async function startSync(wabaId?: string): Promise<TemplateSync> {
  return unwrap(api.POST("/api/templates/sync/", { body: wabaId ? { waba_id: wabaId } : {} }));
}

/** The latest syncs, newest first (the sync button's progress). */
export async function listSyncs(): Promise<PaginatedTemplateSyncList> {
  return unwrap(api.GET("/api/templates/syncs/", { params: { query: { page_size: 5 } } }));
}

/** A media header's sample, through Meta's Resumable Upload: the handle goes in `example.header_handle`. */
export async function uploadSample(file: File, onProgress?: (progress: UploadProgress) => void): Promise<UploadedSample> {
  const form = new FormData();
  form.append("file", file);
  return upload<UploadedSample>("/api/templates/uploads/", form, onProgress);
}

/** Sends an approved template from the composer (no `parameters`: the saved mapping fills them from the contact). */
export async function sendTemplate(body: TemplateSendBody): Promise<Message> {
  return unwrap(api.POST("/api/messages/template/", { body }));
}

/** Replies in an inbox conversation with an approved template (the way outside the 24-hour window). */
export async function replyWithTemplate(conversationId: number, templateId: number, parameters?: TemplateParameters): Promise<Message> {
  const body = { template_id: templateId, ...(parameters ? { parameters } : {}) };
  return unwrap(api.POST("/api/conversations/{conversation_id}/messages/", { params: { path: { conversation_id: conversationId } }, body }));
}

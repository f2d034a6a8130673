import { api, cursorOf, unwrap, upload, type UploadProgress } from "@/lib/apiClient";
import { collectPages } from "./pages";
import type {
  AttributeDefinition,
  AttributeDefinitionCreate,
  AttributeDefinitionUpdate,
  ConsentRecord,
  ConsentRecorded,
  Contact,
  ContactBulk,
  ContactBulkResult,
  ContactErased,
  ContactImport,
  ContactImportLayout,
  ContactMerge,
  ContactMerged,
  ContactPatch,
  ContactSettings,
  ContactSettingsPatch,
  ContactWrite,
  FilterDocument,
  ImportEncoding,
  ImportOnExisting,
  PaginatedConsentEventList,
  PaginatedContactImportList,
  PaginatedContactList,
  Segment,
  SegmentCount,
  SegmentWrite,
} from "./types";

/** A filter document of the backend's filter language (docs/contacts.md §3): `{"all"|"any": [...]}` or `{}`.
 * The generated schema types every condition, so a document built here is the one the API validates. */
export type { FilterDocument } from "./types";

/** What a list, count, export or "whole selection" bulk action is about. */
export interface ContactQuery {
  q?: string;
  segment?: number | null;
  filter?: FilterDocument | null;
}

function isEmptyFilter(filter: FilterDocument | null | undefined): boolean {
  return !filter || Object.keys(filter).length === 0;
}

/** A ContactQuery as the typed query of the list, count and export operations. */
export function contactQuery(query: ContactQuery): { q?: string; segment?: number; filter?: string } {
  const q = query.q?.trim();
  return {
    q: q || undefined,
    segment: query.segment ?? undefined,
    filter: isEmptyFilter(query.filter) ? undefined : JSON.stringify(query.filter),
  };
}

/** The query string parameters of a ContactQuery (the filter as JSON, as the API wants it). */
export function contactQueryParams(query: ContactQuery): Record<string, string> {
  const params: Record<string, string> = {};
  const q = query.q?.trim();
  if (q) params.q = q;
  if (query.segment != null) params.segment = String(query.segment);
  if (!isEmptyFilter(query.filter)) params.filter = JSON.stringify(query.filter);
  return params;
}

const PAGE_SIZE = 50;

// --- Contacts -------------------------------------------------------------------------------------

const contact = (id: Contact["id"]) => ({ params: { path: { contact_id: id } } });

/** First page of a query, or the page behind a `next` link (its cursor, with the same query). */
export async function listContacts(query: ContactQuery, nextUrl?: string | null, pageSize = PAGE_SIZE): Promise<PaginatedContactList> {
  return unwrap(
    api.GET("/api/contacts/", { params: { query: { ...contactQuery(query), page_size: pageSize, cursor: cursorOf(nextUrl) } } }),
  );
}

export async function countContacts(query: ContactQuery): Promise<number> {
  const data = await unwrap(api.GET("/api/contacts/count/", { params: { query: contactQuery(query) } }));
  return data.count;
}

export async function getContact(id: Contact["id"]): Promise<Contact> {
  return unwrap(api.GET("/api/contacts/{contact_id}/", contact(id)));
}

export async function createContact(body: ContactWrite): Promise<Contact> {
  return unwrap(api.POST("/api/contacts/", { body }));
}

/** `tags` replaces the contact's tags; `attributes` merges (null removes a key). */
export async function updateContact(id: Contact["id"], body: ContactPatch): Promise<Contact> {
  return unwrap(api.PATCH("/api/contacts/{contact_id}/", { ...contact(id), body }));
}

export async function deleteContact(id: Contact["id"]): Promise<void> {
  await unwrap(api.DELETE("/api/contacts/{contact_id}/", contact(id)));
}

export async function listConsentEvents(id: Contact["id"], nextUrl?: string | null): Promise<PaginatedConsentEventList> {
  return unwrap(api.GET("/api/contacts/{contact_id}/consent/", { params: { path: { contact_id: id }, query: { cursor: cursorOf(nextUrl) } } }));
}

export async function recordConsent(id: Contact["id"], body: ConsentRecord): Promise<ConsentRecorded> {
  return unwrap(api.POST("/api/contacts/{contact_id}/consent/", { ...contact(id), body }));
}

/** Folds `body.merge_id` into `id`; the other contact is deleted. */
export async function mergeContacts(id: Contact["id"], body: ContactMerge): Promise<ContactMerged> {
  return unwrap(api.POST("/api/contacts/{contact_id}/merge/", { ...contact(id), body }));
}

/** Everything held about one person (a data access request). */
export async function exportContactData(id: Contact["id"]): Promise<Record<string, unknown>> {
  return unwrap(api.GET("/api/contacts/{contact_id}/export/", contact(id))) as Promise<Record<string, unknown>>;
}

export async function eraseContact(id: Contact["id"]): Promise<ContactErased> {
  return unwrap(api.POST("/api/contacts/{contact_id}/erase/", contact(id)));
}

/** Tag, untag or delete a selection: `ids`, or a whole `filter` (with the list's `q` and `segment`). */
export async function bulkContacts(body: ContactBulk): Promise<ContactBulkResult> {
  return unwrap(api.POST("/api/contacts/bulk/", { body }));
}

/** The streamed CSV export of a query; a plain URL so the browser downloads it without buffering. */
export function contactsExportUrl(query: ContactQuery): string {
  const search = new URLSearchParams(contactQueryParams(query)).toString();
  return `/api/contacts/export.csv${search ? `?${search}` : ""}`;
}

// --- Settings, attribute definitions, segments ----------------------------------------------------

export async function getContactSettings(): Promise<ContactSettings> {
  return unwrap(api.GET("/api/contacts/settings/"));
}

export async function updateContactSettings(body: ContactSettingsPatch): Promise<ContactSettings> {
  return unwrap(api.PATCH("/api/contacts/settings/", { body }));
}

/** Every definition (a business has a few dozen at most; the list is paginated all the same). */
export async function listAllAttributes(): Promise<AttributeDefinition[]> {
  return collectPages((nextUrl) => unwrap(api.GET("/api/contacts/attributes/", { params: { query: { cursor: cursorOf(nextUrl) } } })));
}

export async function createAttribute(body: AttributeDefinitionCreate): Promise<AttributeDefinition> {
  return unwrap(api.POST("/api/contacts/attributes/", { body }));
}

const attribute = (id: AttributeDefinition["id"]) => ({ params: { path: { attribute_id: id } } });

/** Label and choices change; key and type never do. */
export async function updateAttribute(id: AttributeDefinition["id"], body: AttributeDefinitionUpdate): Promise<AttributeDefinition> {
  return unwrap(api.PATCH("/api/contacts/attributes/{attribute_id}/", { ...attribute(id), body }));
}

export async function deleteAttribute(id: AttributeDefinition["id"]): Promise<void> {
  await unwrap(api.DELETE("/api/contacts/attributes/{attribute_id}/", attribute(id)));
}

export async function listAllSegments(): Promise<Segment[]> {
  return collectPages((nextUrl) => unwrap(api.GET("/api/contacts/segments/", { params: { query: { cursor: cursorOf(nextUrl) } } })));
}

export async function createSegment(body: SegmentWrite): Promise<Segment> {
  return unwrap(api.POST("/api/contacts/segments/", { body }));
}

const segment = (id: Segment["id"]) => ({ params: { path: { segment_id: id } } });

export async function deleteSegment(id: Segment["id"]): Promise<void> {
  await unwrap(api.DELETE("/api/contacts/segments/{segment_id}/", segment(id)));
}

export async function countSegment(id: Segment["id"]): Promise<SegmentCount> {
  return unwrap(api.GET("/api/contacts/segments/{segment_id}/count/", segment(id)));
}

/** Validates a filter and counts it without saving. */
export async function previewSegment(filter: FilterDocument): Promise<SegmentCount> {
  return unwrap(api.POST("/api/contacts/segments/preview/", { body: { filter } }));
}

// --- Imports --------------------------------------------------------------------------------------

/** The server reads at most the first megabyte to inspect a file, so only that much is sent. */
export const INSPECT_BYTES = 1 << 20;

export async function inspectImport(file: File, encoding?: ImportEncoding): Promise<ContactImportLayout> {
  const form = new FormData();
  form.append("file", file.size > INSPECT_BYTES ? new File([file.slice(0, INSPECT_BYTES)], file.name, { type: file.type }) : file);
  if (encoding) form.append("encoding", encoding);
  return upload<ContactImportLayout>("/api/contacts/imports/inspect/", form);
}

export interface ImportStart {
  file: File;
  /** CSV column -> field, attribute key or "ignore"; every column, so what was shown is what is used. */
  mapping: Record<string, string>;
  onExisting: ImportOnExisting;
  tags: string[];
  encoding?: ImportEncoding;
}

/** Uploads the file and queues the job (202). `onUploadProgress` reports the upload itself. */
export async function startImport(start: ImportStart, onUploadProgress?: (progress: UploadProgress) => void): Promise<ContactImport> {
  const form = new FormData();
  form.append("file", start.file);
  form.append("mapping", JSON.stringify(start.mapping));
  form.append("on_existing", start.onExisting);
  for (const tag of start.tags) form.append("tags", tag);
  if (start.encoding) form.append("encoding", start.encoding);
  return upload<ContactImport>("/api/contacts/imports/", form, onUploadProgress);
}

const contactImport = (id: ContactImport["id"]) => ({ params: { path: { import_id: id } } });

export async function getImport(id: ContactImport["id"]): Promise<ContactImport> {
  return unwrap(api.GET("/api/contacts/imports/{import_id}/", contactImport(id)));
}

export async function listImports(nextUrl?: string | null): Promise<PaginatedContactImportList> {
  return unwrap(api.GET("/api/contacts/imports/", { params: { query: { page_size: 10, cursor: cursorOf(nextUrl) } } }));
}

export async function deleteImport(id: ContactImport["id"]): Promise<void> {
  await unwrap(api.DELETE("/api/contacts/imports/{import_id}/", contactImport(id)));
}

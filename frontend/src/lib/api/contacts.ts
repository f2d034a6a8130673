import type { AxiosProgressEvent } from "axios";

import { apiClient, toRelativeUrl } from "@/lib/apiClient";
import type {
  AttributeDefinition,
  AttributeDefinitionCreate,
  AttributeDefinitionUpdate,
  ConsentRecord,
  ConsentRecorded,
  Contact,
  ContactBulk,
  ContactBulkResult,
  ContactCount,
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
  PaginatedAttributeDefinitionList,
  PaginatedConsentEventList,
  PaginatedContactImportList,
  PaginatedContactList,
  PaginatedSegmentList,
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

/** First page of a query, or the page behind a `next` link (which already carries the query). */
export async function listContacts(query: ContactQuery, nextUrl?: string | null, pageSize = PAGE_SIZE): Promise<PaginatedContactList> {
  if (nextUrl) {
    const { data } = await apiClient.get<PaginatedContactList>(toRelativeUrl(nextUrl));
    return data;
  }
  const { data } = await apiClient.get<PaginatedContactList>("/api/contacts/", {
    params: { ...contactQueryParams(query), page_size: pageSize },
  });
  return data;
}

export async function countContacts(query: ContactQuery): Promise<number> {
  const { data } = await apiClient.get<ContactCount>("/api/contacts/count/", { params: contactQueryParams(query) });
  return data.count;
}

export async function getContact(id: Contact["id"]): Promise<Contact> {
  const { data } = await apiClient.get<Contact>(`/api/contacts/${id}/`);
  return data;
}

export async function createContact(body: ContactWrite): Promise<Contact> {
  const { data } = await apiClient.post<Contact>("/api/contacts/", body);
  return data;
}

/** `tags` replaces the contact's tags; `attributes` merges (null removes a key). */
export async function updateContact(id: Contact["id"], body: ContactPatch): Promise<Contact> {
  const { data } = await apiClient.patch<Contact>(`/api/contacts/${id}/`, body);
  return data;
}

export async function deleteContact(id: Contact["id"]): Promise<void> {
  await apiClient.delete(`/api/contacts/${id}/`);
}

export async function listConsentEvents(id: Contact["id"], nextUrl?: string | null): Promise<PaginatedConsentEventList> {
  const { data } = await apiClient.get<PaginatedConsentEventList>(nextUrl ? toRelativeUrl(nextUrl) : `/api/contacts/${id}/consent/`);
  return data;
}

export async function recordConsent(id: Contact["id"], body: ConsentRecord): Promise<ConsentRecorded> {
  const { data } = await apiClient.post<ConsentRecorded>(`/api/contacts/${id}/consent/`, body);
  return data;
}

/** Folds `body.merge_id` into `id`; the other contact is deleted. */
export async function mergeContacts(id: Contact["id"], body: ContactMerge): Promise<ContactMerged> {
  const { data } = await apiClient.post<ContactMerged>(`/api/contacts/${id}/merge/`, body);
  return data;
}

/** Everything held about one person (a data access request). */
export async function exportContactData(id: Contact["id"]): Promise<Record<string, unknown>> {
  const { data } = await apiClient.get<Record<string, unknown>>(`/api/contacts/${id}/export/`);
  return data;
}

export async function eraseContact(id: Contact["id"]): Promise<ContactErased> {
  const { data } = await apiClient.post<ContactErased>(`/api/contacts/${id}/erase/`);
  return data;
}

/** Tag, untag or delete a selection: `ids`, or a whole `filter` (with the list's `q` and `segment`). */
export async function bulkContacts(body: ContactBulk): Promise<ContactBulkResult> {
  const { data } = await apiClient.post<ContactBulkResult>("/api/contacts/bulk/", body);
  return data;
}

/** The streamed CSV export of a query; a plain URL so the browser downloads it without buffering. */
export function contactsExportUrl(query: ContactQuery): string {
  const search = new URLSearchParams(contactQueryParams(query)).toString();
  return `/api/contacts/export.csv${search ? `?${search}` : ""}`;
}

// --- Settings, attribute definitions, segments ----------------------------------------------------

export async function getContactSettings(): Promise<ContactSettings> {
  const { data } = await apiClient.get<ContactSettings>("/api/contacts/settings/");
  return data;
}

export async function updateContactSettings(body: ContactSettingsPatch): Promise<ContactSettings> {
  const { data } = await apiClient.patch<ContactSettings>("/api/contacts/settings/", body);
  return data;
}

/** Every definition (a business has a few dozen at most; the list is paginated all the same). */
export async function listAllAttributes(): Promise<AttributeDefinition[]> {
  const definitions: AttributeDefinition[] = [];
  let next: string | null | undefined = null;
  do {
    const response: { data: PaginatedAttributeDefinitionList } = await apiClient.get<PaginatedAttributeDefinitionList>(
      next ? toRelativeUrl(next) : "/api/contacts/attributes/",
    );
    definitions.push(...response.data.results);
    next = response.data.next;
  } while (next);
  return definitions;
}

export async function createAttribute(body: AttributeDefinitionCreate): Promise<AttributeDefinition> {
  const { data } = await apiClient.post<AttributeDefinition>("/api/contacts/attributes/", body);
  return data;
}

/** Label and choices change; key and type never do. */
export async function updateAttribute(id: AttributeDefinition["id"], body: AttributeDefinitionUpdate): Promise<AttributeDefinition> {
  const { data } = await apiClient.patch<AttributeDefinition>(`/api/contacts/attributes/${id}/`, body);
  return data;
}

export async function deleteAttribute(id: AttributeDefinition["id"]): Promise<void> {
  await apiClient.delete(`/api/contacts/attributes/${id}/`);
}

export async function listAllSegments(): Promise<Segment[]> {
  const segments: Segment[] = [];
  let next: string | null | undefined = null;
  do {
    const response: { data: PaginatedSegmentList } = await apiClient.get<PaginatedSegmentList>(
      next ? toRelativeUrl(next) : "/api/contacts/segments/",
    );
    segments.push(...response.data.results);
    next = response.data.next;
  } while (next);
  return segments;
}

export async function createSegment(body: SegmentWrite): Promise<Segment> {
  const { data } = await apiClient.post<Segment>("/api/contacts/segments/", body);
  return data;
}

export async function deleteSegment(id: Segment["id"]): Promise<void> {
  await apiClient.delete(`/api/contacts/segments/${id}/`);
}

export async function countSegment(id: Segment["id"]): Promise<SegmentCount> {
  const { data } = await apiClient.get<SegmentCount>(`/api/contacts/segments/${id}/count/`);
  return data;
}

/** Validates a filter and counts it without saving. */
export async function previewSegment(filter: FilterDocument): Promise<SegmentCount> {
  const { data } = await apiClient.post<SegmentCount>("/api/contacts/segments/preview/", { filter });
  return data;
}

// --- Imports --------------------------------------------------------------------------------------

/** The server reads at most the first megabyte to inspect a file, so only that much is sent. */
export const INSPECT_BYTES = 1 << 20;

export async function inspectImport(file: File, encoding?: ImportEncoding): Promise<ContactImportLayout> {
  const form = new FormData();
  form.append("file", file.size > INSPECT_BYTES ? new File([file.slice(0, INSPECT_BYTES)], file.name, { type: file.type }) : file);
  if (encoding) form.append("encoding", encoding);
  const { data } = await apiClient.post<ContactImportLayout>("/api/contacts/imports/inspect/", form);
  return data;
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
export async function startImport(start: ImportStart, onUploadProgress?: (event: AxiosProgressEvent) => void): Promise<ContactImport> {
  const form = new FormData();
  form.append("file", start.file);
  form.append("mapping", JSON.stringify(start.mapping));
  form.append("on_existing", start.onExisting);
  for (const tag of start.tags) form.append("tags", tag);
  if (start.encoding) form.append("encoding", start.encoding);
  const { data } = await apiClient.post<ContactImport>("/api/contacts/imports/", form, { onUploadProgress });
  return data;
}

export async function getImport(id: ContactImport["id"]): Promise<ContactImport> {
  const { data } = await apiClient.get<ContactImport>(`/api/contacts/imports/${id}/`);
  return data;
}

export async function listImports(nextUrl?: string | null): Promise<PaginatedContactImportList> {
  const { data } = await apiClient.get<PaginatedContactImportList>(nextUrl ? toRelativeUrl(nextUrl) : "/api/contacts/imports/", {
    params: nextUrl ? undefined : { page_size: 10 },
  });
  return data;
}

export async function deleteImport(id: ContactImport["id"]): Promise<void> {
  await apiClient.delete(`/api/contacts/imports/${id}/`);
}

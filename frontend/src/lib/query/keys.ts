/**
 * Every query key, one group per feature, so a change knows what to invalidate. Keys are arrays
 * from general to specific: invalidating a prefix (e.g. `inboxKeys.conversationLists()`) refetches
 * every list under it.
 */
import type { AuditQuery } from "@/lib/api/audit";
import type { CallQuery } from "@/lib/api/calls";
import type { RecipientQuery } from "@/lib/api/campaigns";
import type { ContactQuery } from "@/lib/api/contacts";
import type { DomainScope } from "@/lib/api/domains";
import type { ConversationQuery } from "@/lib/api/inbox";
import type { BusinessQuery } from "@/lib/api/partners";
import type { FailedJobQuery, PlatformBusinessQuery, WebhookChangeStatus } from "@/lib/api/platform";
import type { TemplateQuery } from "@/lib/api/templates";

export const sessionKeys = {
  user: () => ["session", "user"] as const,
};

export const inboxKeys = {
  all: () => ["inbox"] as const,
  conversationLists: () => ["inbox", "conversations"] as const,
  conversations: (query: ConversationQuery) => ["inbox", "conversations", query] as const,
  conversation: (id: number) => ["inbox", "conversation", id] as const,
  messages: (id: number) => ["inbox", "conversation", id, "messages"] as const,
  notes: (id: number) => ["inbox", "conversation", id, "notes"] as const,
  cannedReplyLists: () => ["inbox", "canned-replies"] as const,
  /** Settings → Inbox: every reply, page by page. */
  cannedReplies: () => ["inbox", "canned-replies", "all"] as const,
  /** The reply box's "/shortcut" menu: the first page matching what was typed. */
  cannedReplySearch: (q: string) => ["inbox", "canned-replies", "search", q] as const,
  settings: () => ["inbox", "settings"] as const,
};

/** Templates: a live `template` event invalidates `all()` (lists, details, the approved pickers, the banner). */
export const templateKeys = {
  all: () => ["templates"] as const,
  lists: () => ["templates", "list"] as const,
  list: (query: TemplateQuery) => ["templates", "list", query] as const,
  detail: (id: number) => ["templates", "detail", id] as const,
  /** The send pickers (composer, inbox). */
  approved: () => ["templates", "approved"] as const,
  /** Templates needing someone's attention (the inbox banner). */
  attention: () => ["templates", "attention"] as const,
  syncs: () => ["templates", "syncs"] as const,
  /** The builder's live check of a draft (its creation body, as JSON). */
  draftPreview: (draft: string) => ["templates", "draft-preview", draft] as const,
  /** The contact a send goes to, found by phone (the composer's mapping dialog). */
  recipient: (to: string) => ["templates", "recipient", to] as const,
  /** Contacts to preview a template for (the detail page). */
  previewContacts: (q: string) => ["templates", "preview-contacts", q] as const,
  /** A saved template previewed with a contact or parameters. */
  preview: (id: number, input: unknown) => ["templates", "detail", id, "preview", input] as const,
};

export const contactKeys = {
  all: () => ["contacts"] as const,
  lists: () => ["contacts", "list"] as const,
  list: (query: ContactQuery) => ["contacts", "list", query] as const,
  counts: () => ["contacts", "count"] as const,
  count: (query: ContactQuery) => ["contacts", "count", query] as const,
  detail: (id: number) => ["contacts", "detail", id] as const,
  consent: (id: number) => ["contacts", "detail", id, "consent"] as const,
  search: (q: string) => ["contacts", "search", q] as const,
  settings: () => ["contacts", "settings"] as const,
  attributes: () => ["contacts", "attributes"] as const,
  segments: () => ["contacts", "segments"] as const,
  segmentCount: (id: number) => ["contacts", "segments", id, "count"] as const,
  segmentPreview: (filter: unknown) => ["contacts", "segments", "preview", filter] as const,
  imports: () => ["contacts", "imports"] as const,
  import: (id: number) => ["contacts", "imports", id] as const,
};

export const teamKeys = {
  members: () => ["team", "members"] as const,
  allMembers: () => ["team", "members", "all"] as const,
  invites: () => ["team", "invites"] as const,
  resellerAccess: () => ["team", "reseller-access"] as const,
  resellerAccessSettings: () => ["team", "reseller-access", "settings"] as const,
};

export const whatsappKeys = {
  numbers: () => ["whatsapp", "numbers"] as const,
  allNumbers: () => ["whatsapp", "numbers", "all"] as const,
  embeddedSignup: () => ["whatsapp", "embedded-signup"] as const,
};

export const messageKeys = {
  list: () => ["messages", "list"] as const,
  detail: (id: string) => ["messages", "detail", id] as const,
};

/** The dashboard: its figures for a range of the business's days. */
export const analyticsKeys = {
  overview: (from: string, to: string) => ["analytics", "overview", from, to] as const,
};

/** Billing: the overview (the billing page and the app-wide banners share it). */
export const billingKeys = {
  overview: () => ["billing", "overview"] as const,
  wallet: () => ["billing", "wallet"] as const,
};

/** Campaigns: the list, one campaign (polled while it runs), its recipients, the wizard's audience preview. */
export const campaignKeys = {
  all: () => ["campaigns"] as const,
  lists: () => ["campaigns", "list"] as const,
  list: (status: string) => ["campaigns", "list", status] as const,
  detail: (id: number) => ["campaigns", "detail", id] as const,
  recipients: (id: number, query: RecipientQuery) => ["campaigns", "detail", id, "recipients", query] as const,
  audience: (query: unknown) => ["campaigns", "audience", query] as const,
};

/** The partner console: its session, client businesses (lists by filter, one business), activity and team. */
export const partnerKeys = {
  session: () => ["partners", "session"] as const,
  businessLists: () => ["partners", "businesses", "list"] as const,
  businesses: (query: BusinessQuery) => ["partners", "businesses", "list", query] as const,
  business: (id: number) => ["partners", "businesses", "detail", id] as const,
  /** The whole log, or one business's (`business`). */
  activity: (business?: number) => ["partners", "activity", business ?? "all"] as const,
  members: () => ["partners", "team", "members"] as const,
  invites: () => ["partners", "team", "invites"] as const,
  wallet: (business: number) => ["partners", "wallet", business] as const,
  walletEntries: (business: number) => ["partners", "wallet", business, "entries"] as const,
};

/** The platform staff console (public host): the staff session and its lists. A replay invalidates `webhooks()`. */
export const staffKeys = {
  session: () => ["staff", "session"] as const,
  businesses: (query: PlatformBusinessQuery) => ["staff", "businesses", query] as const,
  resellers: (q: string) => ["staff", "resellers", "list", q] as const,
  /** Every reseller for the business list's filter (the first 200). */
  resellerChoices: () => ["staff", "resellers", "choices"] as const,
  webhooks: () => ["staff", "webhooks"] as const,
  webhookChanges: (status: WebhookChangeStatus | "") => ["staff", "webhooks", "changes", status] as const,
  failedJobs: (query: FailedJobQuery) => ["staff", "webhooks", "failed-jobs", query] as const,
};

/** White label: custom domains (a business's on its host, the reseller's console domains) and the console's brand. */
export const brandingKeys = {
  domains: (scope: DomainScope) => ["branding", "domains", scope] as const,
  brand: () => ["branding", "brand"] as const,
};

/** The developer platform: the public API's keys. */
export const apiKeyKeys = {
  list: () => ["developer", "api-keys"] as const,
};

/** Outbound webhooks: the endpoints, each one's delivery log, one delivery with its attempts. */
export const webhookKeys = {
  list: () => ["developer", "webhooks"] as const,
  eventTypes: () => ["developer", "webhooks", "event-types"] as const,
  deliveries: (endpointId: number, status: string) => ["developer", "webhooks", endpointId, "deliveries", status] as const,
  delivery: (id: string) => ["developer", "webhooks", "delivery", id] as const,
};

/** The audit log: one list per filter, and the catalogue of actions (the filter's choices). */
export const auditKeys = {
  actions: () => ["audit", "actions"] as const,
  events: (query: AuditQuery) => ["audit", "events", query] as const,
};

/** The business as a whole: its exports, and whether it is scheduled for deletion (the app-wide banner reads it). */
export const businessDataKeys = {
  exports: () => ["business", "exports"] as const,
  deletion: () => ["business", "deletion"] as const,
};

/** Calls: a live `call` event invalidates `all()` (the log, the thread's calls, a contact's permission). */
export const callKeys = {
  all: () => ["calls"] as const,
  lists: () => ["calls", "list"] as const,
  list: (query: CallQuery) => ["calls", "list", query] as const,
  detail: (id: number) => ["calls", "detail", id] as const,
  settings: (numberId: number) => ["calls", "settings", numberId] as const,
  permissions: () => ["calls", "permission"] as const,
  permission: (contactId: number, phoneNumberId: string) => ["calls", "permission", contactId, phoneNumberId] as const,
};

/**
 * The only place that names components of the generated schema (schema.gen.ts, from
 * docs/api/openapi.yaml by `npm run gen:api`). When the backend renames a serializer, the fix is here.
 *
 * drf-spectacular runs with COMPONENT_SPLIT_REQUEST, so request bodies are the `…Request` components.
 */
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type User = Schemas["CurrentUser"];
/** What the logged-in person may do in this business: read these flags, never compare roles (tenants.members). */
export type Capabilities = User["capabilities"];
export type Capability = keyof Capabilities;
export type Role = Schemas["RoleEnum"];
export type TenantSummary = Schemas["TenantSummary"];
export type Site = Schemas["Site"];

export type Signup = Schemas["SignupRequest"];
export type SignupResult = Schemas["SignupResult"];
export type SlugCheck = Schemas["SlugCheck"];

export type Login = Schemas["LoginRequest"];
/** Login, handoff, password change and invite-accept all answer `{"user": User}` and set the auth cookies. */
export type PasswordChange = Schemas["PasswordChangeRequest"];
export type PasswordReset = Schemas["PasswordResetRequest"];
export type PasswordResetConfirm = Schemas["PasswordResetConfirmRequest"];

export type Member = Schemas["Member"];
/** Someone acting in this business through its reseller (managed by the reseller, not a member). */
export type ResellerAccess = Schemas["ResellerAccess"];
export type MemberUpdate = Schemas["PatchedMemberUpdateRequest"];
export type Invite = Schemas["Invite"];
export type InviteCreate = Schemas["InviteCreateRequest"];
export type InviteAcceptInfo = Schemas["InviteAcceptInfo"];
export type InviteAccept = Schemas["InviteAcceptRequest"];

export type ErrorEnvelope = Schemas["ErrorEnvelope"];
/** Codes the API's error envelope carries (backend registry apps/core/error_codes.py, an enum in the schema). */
export type ServerErrorCode = Schemas["ErrorCode"];
/** Codes made up on this side: no answer at all (network, an exception), or the Next.js proxy's own (lib/server/proxy.ts). */
export type ClientErrorCode = "network_error" | "unknown_error" | "backend_timeout" | "backend_unavailable";
/** What `ApiError.code` may be: compare against these, never free strings. */
export type ErrorCode = ServerErrorCode | ClientErrorCode;

export type PaginatedMemberList = Schemas["PaginatedMemberList"];
export type PaginatedInviteList = Schemas["PaginatedInviteList"];

// WhatsApp numbers (Settings → WhatsApp) and Embedded Signup.
export type PhoneNumber = Schemas["PhoneNumber"];
export type PaginatedPhoneNumberList = Schemas["PaginatedPhoneNumberList"];
export type NumberConnect = Schemas["NumberConnectRequest"];
export type EmbeddedSignupStart = Schemas["EmbeddedSignupStart"];
export type EmbeddedSignupMode = Schemas["ModeEnum"];
export type EmbeddedSignupFinish = Schemas["EmbeddedSignupFinishRequest"];

// Messages. The schema can only describe the fixed fields of a send; the object named by `type`
// (and `context`) is Meta's message object, passed through as is.
export type Message = Schemas["Message"];
export type MessageDetail = Schemas["MessageDetail"];
export type MessageEvent = Schemas["MessageEvent"];
export type MessageStatus = Schemas["MessageStatusEnum"];
export type PaginatedMessageList = Schemas["PaginatedMessageList"];
export type MessageSend = Schemas["MessageSendRequest"] & { [messageObject: string]: unknown };

// Contacts (issue 3): the contacts page, drawer, segments, imports and Settings → Contacts.
export type Contact = Schemas["Contact"];
export type ContactWrite = Schemas["ContactWriteRequest"];
export type ContactPatch = Schemas["PatchedContactWriteRequest"];
export type PaginatedContactList = Schemas["PaginatedContactList"];
export type ConsentState = Schemas["ConsentStateEnum"];
// Read off a field, not the enum's name: drf-spectacular names colliding enums by hash (Category38fEnum).
export type ConsentCategory = Schemas["ConsentEvent"]["category"];
export type ConsentAction = Schemas["ConsentActionEnum"];
export type ConsentSource = Schemas["ConsentEventSourceEnum"];
export type ConsentRecordSource = Schemas["ConsentRecordSourceEnum"];
export type ConsentEvent = Schemas["ConsentEvent"];
export type ConsentRecord = Schemas["ConsentRecordRequest"];
export type ConsentRecorded = Schemas["ConsentRecorded"];
export type PaginatedConsentEventList = Schemas["PaginatedConsentEventList"];
export type ContactBulk = Schemas["ContactBulkRequest"];
export type ContactBulkAction = Schemas["ContactBulkActionEnum"];
export type ContactBulkResult = Schemas["ContactBulkResult"];
export type ContactErased = Schemas["ContactErased"];
export type ContactMerge = Schemas["ContactMergeRequest"];
export type ContactMerged = Schemas["ContactMerged"];
export type ContactCount = Schemas["Count"];
export type ContactSettings = Schemas["ContactSettings"];
export type ContactSettingsPatch = Schemas["PatchedContactSettingsRequest"];
export type AttributeDefinition = Schemas["AttributeDefinition"];
export type AttributeType = Schemas["TypeEnum"];
export type AttributeDefinitionCreate = Schemas["AttributeDefinitionCreateRequest"];
export type AttributeDefinitionUpdate = Schemas["PatchedAttributeDefinitionUpdateRequest"];
export type PaginatedAttributeDefinitionList = Schemas["PaginatedAttributeDefinitionList"];
export type Segment = Schemas["Segment"];
export type SegmentWrite = Schemas["SegmentWriteRequest"];
export type FilterDocument = Schemas["FilterDocument"];
export type FilterCondition = Schemas["FilterCondition"];
export type SegmentCount = Schemas["SegmentCount"];
export type PaginatedSegmentList = Schemas["PaginatedSegmentList"];
export type ContactImport = Schemas["ContactImport"];
export type ContactImportStatus = Schemas["ContactImportStatusEnum"];
export type ContactImportLayout = Schemas["ContactImportLayout"];
export type ImportTarget = Schemas["ImportTarget"];
export type ImportOnExisting = Schemas["OnExistingEnum"];
export type ImportEncoding = Schemas["EncodingEnum"];
export type PaginatedContactImportList = Schemas["PaginatedContactImportList"];

// The team inbox (issue 5): conversations, their notes, canned replies and the inbox's automations.
export type Conversation = Schemas["Conversation"];
export type ConversationStatus = Schemas["ConversationStatusEnum"];
export type ConversationUpdate = Schemas["PatchedConversationUpdateRequest"];
export type PaginatedConversationList = Schemas["PaginatedConversationList"];
export type Person = Schemas["Person"];
export type Note = Schemas["Note"];
export type PaginatedNoteList = Schemas["PaginatedNoteList"];
export type CannedReply = Schemas["CannedReply"];
export type CannedReplyWrite = Schemas["CannedReplyRequest"];
export type PaginatedCannedReplyList = Schemas["PaginatedCannedReplyList"];
/** business_hours is free JSON in the schema; its shape is {"mon": [["09:00", "18:00"]], ...}. */
export type BusinessHours = Partial<Record<string, [string, string][]>>;
export type InboxSettings = Omit<Schemas["InboxSettings"], "business_hours"> & { business_hours?: BusinessHours };
/** The schema lists the accepted time zones (an enum of IANA names); the form sends what was typed, and the
 * server's 400 names an unknown zone under the field, so the patch keeps `timezone` a string. */
export type TimeZone = NonNullable<Schemas["PatchedInboxSettingsRequest"]["timezone"]>;
export type InboxSettingsPatch = Omit<Schemas["PatchedInboxSettingsRequest"], "business_hours" | "timezone"> & {
  business_hours?: BusinessHours;
  timezone?: TimeZone | string;
};
// Message templates (issue 11): the list, the builder, the detail page, the mapping and sends.
export type Template = Schemas["Template"];
export type TemplateDetail = Schemas["TemplateDetail"];
export type TemplateEvent = Schemas["TemplateEvent"];
export type TemplateVariables = Schemas["TemplateVariables"];
export type PaginatedTemplateList = Schemas["PaginatedTemplateList"];
export type TemplateSync = Schemas["TemplateSync"];
export type PaginatedTemplateSyncList = Schemas["PaginatedTemplateSyncList"];
export type TemplateCreate = Schemas["TemplateCreateRequest"];
export type TemplateCategory = TemplateCreate["category"];
export type TemplateEdit = Schemas["PatchedTemplateEditRequest"];
export type TemplateDraft = Schemas["TemplateDraftRequest"];
export type TemplateDraftPreview = Schemas["TemplateDraftPreview"];
export type TemplatePreview = Schemas["TemplatePreview"];
export type TemplatePreviewInput = Schemas["TemplatePreviewInputRequest"];
export type TemplateProblem = Schemas["TemplateProblem"];
export type TemplateRendered = Schemas["TemplateRendered"];
export type TemplateRenderedButton = Schemas["TemplateRenderedButton"];
export type TemplateRenderedHeader = Schemas["TemplateRenderedHeader"];
export type TemplateParameters = Schemas["TemplateParametersRequest"];
export type TemplateMapping = Schemas["TemplateMappingRequest"];
export type TemplateUploadResult = Schemas["TemplateUploadResult"];
/** A template send: `to` or `contact_id`, exactly one (the schema's one-of rule). */
export type TemplateSend = Schemas["TemplateSendRequest"];

// Billing (issue 13): the plan, its limits and usage, invoices, Checkout and the portal.
export type Billing = Schemas["Billing"];
export type BillingStatus = Schemas["BillingStatusEnum"];
export type BillingPlan = Schemas["BillingPlan"];
export type BillingUsage = Schemas["BillingUsage"];
export type BillingLimit = Schemas["LimitEnum"];
export type BillingInvoice = Schemas["BillingInvoice"];
export type BillingRedirect = Schemas["BillingRedirect"];
/** A business billed through its reseller's prepaid wallet (issue 14): balance, spend, prices, latest entries. */
export type BusinessWallet = Schemas["Wallet"];
export type BusinessWalletEntry = Schemas["WalletEntry"];

// Campaigns (issue 12): drafts, the audience preview, start / pause / resume / cancel, the funnel and recipients.
export type CampaignSummary = Schemas["CampaignSummary"];
export type CampaignDetail = Schemas["CampaignDetail"];
export type CampaignStatus = CampaignSummary["status"];
export type CampaignCounts = Schemas["CampaignCounts"];
export type CampaignFailure = Schemas["CampaignFailure"];
export type CampaignVariant = Schemas["CampaignVariant"];
export type CampaignRecipient = Schemas["CampaignRecipient"];
export type CampaignWrite = Schemas["CampaignWriteRequest"];
export type CampaignAudience = Schemas["CampaignAudienceRequest"];
export type CampaignRetargetStage = Schemas["CampaignRetargetRequest"]["stage"];
export type CostEstimate = Schemas["CostEstimate"];
export type AudiencePreview = Schemas["AudiencePreview"];
export type AudienceQuery = Schemas["CampaignAudienceQueryRequest"];
export type PaginatedCampaignSummaryList = Schemas["PaginatedCampaignSummaryList"];
export type PaginatedCampaignRecipientList = Schemas["PaginatedCampaignRecipientList"];

// The partner console (resellers, issue 14): its session, client businesses, activity and team; reseller signup on
// the public host; and, on a business's host, whether the business lets its reseller's people in.
export type PartnerSession = Schemas["PartnerSession"];
/** What the signed-in reseller person may do on the console: read these flags, never compare roles. */
export type PartnerCapabilities = PartnerSession["capabilities"];
export type PartnerCapability = keyof PartnerCapabilities;
export type PartnerRole = Schemas["ResellerRoleEnum"];
export type Reseller = Schemas["Reseller"];
export type PartnerLogin = Schemas["PartnerLoginRequest"];
export type PartnerSignup = Schemas["PartnerSignupRequest"];
export type PartnerSignupResult = Schemas["PartnerSignupResult"];
export type PartnerBusiness = Schemas["PartnerBusiness"];
// Read off the business, not by component name: "NumberHealth" and "Usage" are generic names that may be renamed.
export type PartnerNumberHealth = PartnerBusiness["numbers"][number];
export type PartnerUsage = PartnerBusiness["usage"];
export type PartnerPlan = PartnerBusiness["plan"];
export type PartnerBusinessCreate = Schemas["PartnerBusinessCreateRequest"];
export type PartnerBusinessEnter = Schemas["PartnerBusinessEnter"];
/** The business list's answer: a cursor page (the schema documents a bare array, since the view paginates by hand). */
export type PaginatedPartnerBusinessList = Schemas["PaginatedPartnerBusinessList"];
export type PartnerEvent = Schemas["PartnerEvent"];
/** Wholesale billing of one business: its prepaid wallet, the terms, a top-up, the ledger. */
export type PartnerWallet = Schemas["PartnerWallet"];
export type PartnerWalletOpen = Schemas["PartnerWalletOpenRequest"];
export type PartnerWalletTerms = Schemas["PatchedPartnerWalletTermsRequest"];
export type PartnerWalletFund = Schemas["PartnerWalletFundRequest"];
export type PartnerWalletEntry = Schemas["PartnerWalletEntry"];
export type PaginatedPartnerWalletEntryList = Schemas["PaginatedPartnerWalletEntryList"];
export type PaginatedPartnerEventList = Schemas["PaginatedPartnerEventList"];
export type PartnerMember = Schemas["PartnerMember"];
export type PartnerInvite = Schemas["PartnerInvite"];
export type PartnerInviteCreate = Schemas["PartnerInviteCreateRequest"];
export type PartnerInviteInfo = Schemas["PartnerInviteInfo"];
export type PartnerInviteAccept = Schemas["PartnerInviteAcceptRequest"];
export type PaginatedPartnerMemberList = Schemas["PaginatedPartnerMemberList"];
export type PaginatedPartnerInviteList = Schemas["PaginatedPartnerInviteList"];
export type ResellerAccessSettings = Schemas["ResellerAccessSettings"];

// The platform staff console (issue 14 §5, public host only): staff sign-in, every business and reseller, the webhook
// inbox with replays, and failed background jobs.
export type StaffUser = Schemas["StaffUser"];
export type StaffLogin = Schemas["StaffLoginRequest"];
export type PlatformBusiness = Schemas["PlatformBusiness"];
export type PaginatedPlatformBusinessList = Schemas["PaginatedPlatformBusinessList"];
export type PlatformReseller = Schemas["PlatformReseller"];
export type PaginatedPlatformResellerList = Schemas["PaginatedPlatformResellerList"];
export type WebhookChange = Schemas["WebhookChange"];
export type PaginatedWebhookChangeList = Schemas["PaginatedWebhookChangeList"];
export type WebhookChangeReplay = Schemas["WebhookChangeReplay"];
export type WebhookEventReplay = Schemas["WebhookEventReplay"];
export type FailedJob = Schemas["FailedJob"];
export type FailedJobPage = Schemas["FailedJobPage"];
// Read off fields, not enum names: drf-spectacular renames colliding enums.
export type FailedJobKind = FailedJob["kind"];
export type FailedJobState = FailedJob["state"];
export type SubscriptionStatus = NonNullable<PlatformBusiness["subscription_status"]>;

// White label (resellers' brands): what a host wears (Site.brand), custom domains proved by a DNS TXT record (a
// business's on its host, a reseller's console domain on the console) and the console's brand settings.
/** The brand a host wears: a reseller's name, colour and logo; `Site.brand` is null for ConvoNest's own. */
export type SiteBrand = Schemas["Brand"];
export type CustomDomain = Schemas["CustomDomain"];
/** The API answers these two (`status` is computed, so the schema only says string): compare against them. */
export type CustomDomainStatus = "pending" | "verified";
export type CustomDomainCreate = Schemas["CustomDomainCreateRequest"];
export type PartnerBrand = Schemas["PartnerBrand"];
export type PartnerBrandPatch = Schemas["PatchedPartnerBrandRequest"];
export type PartnerLogoUpload = Schemas["PartnerLogoUploadRequest"];

/** The public API's keys (Settings → Developers): listed without their secret; `key` only on create and rotate. */
export type ApiKey = Schemas["ApiKey"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type ApiKeyCreate = Schemas["ApiKeyCreateRequest"];
export type ApiKeyScope = Schemas["ApiKeyScopeEnum"];

/** The dashboard (GET /api/analytics/overview/). */
export type AnalyticsOverview = Schemas["AnalyticsOverview"];

// Outbound webhooks (apps/developer, docs/webhooks-outbound.md).
export type WebhookEndpoint = Schemas["WebhookEndpoint"];
export type WebhookEndpointWithSecret = Schemas["WebhookEndpointWithSecret"];
export type WebhookEndpointCreate = Schemas["WebhookEndpointCreateRequest"];
export type WebhookEventType = Schemas["WebhookEventTypeEnum"];
export type WebhookEventTypeInfo = Schemas["WebhookEventType"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type WebhookDeliveryDetail = Schemas["WebhookDeliveryDetail"];
export type WebhookDeliveryStatus = Schemas["WebhookDeliveryStatusEnum"];

// The business as a whole (apps/portability): its export and its deletion after a grace period.
export type BusinessExport = Schemas["BusinessExport"];
export type BusinessExportStatus = Schemas["BusinessExportStatusEnum"];
export type BusinessDeletion = Schemas["BusinessDeletion"];
export type BusinessDeletionConfirm = Schemas["BusinessDeletionConfirmRequest"];

export type AuditEvent = Schemas["AuditEvent"];
export type AuditAction = Schemas["AuditAction"];
export type AuditActorType = Schemas["ActorTypeEnum"];
// WhatsApp calls (issue 17): the log, one call with its SDPs, permission to call a contact.
export type Call = Schemas["Call"];
export type CallDetail = Schemas["CallDetail"];
export type CallStatus = Schemas["CallStatusEnum"];
export type PaginatedCallList = Schemas["PaginatedCallList"];
export type CallPermission = Schemas["Permission"];
export type CallSettingsRow = Schemas["CallSettings"];

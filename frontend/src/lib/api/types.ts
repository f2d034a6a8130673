/**
 * The only place that names components of the generated schema (schema.gen.ts, from
 * docs/api/openapi.yaml by `npm run gen:api`). When the backend renames a serializer, the fix is here.
 *
 * drf-spectacular runs with COMPONENT_SPLIT_REQUEST, so request bodies are the `…Request` components.
 */
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type User = Schemas["CurrentUser"];
export type Role = Schemas["RoleEnum"];
export type TenantSummary = Schemas["TenantSummary"];
export type Site = Schemas["Site"];

export type Signup = Schemas["SignupRequest"];
export type SignupResult = Schemas["SignupResult"];
export type SlugCheck = Schemas["SlugCheck"];

export type Login = Schemas["LoginRequest"];
/** Login, handoff, password change and invite-accept all answer `{"user": User}` and set the auth cookies. */
export type AuthResult = Schemas["LoginResult"];
export type PasswordChange = Schemas["PasswordChangeRequest"];
export type PasswordReset = Schemas["PasswordResetRequest"];
export type PasswordResetConfirm = Schemas["PasswordResetConfirmRequest"];

export type Member = Schemas["Member"];
export type MemberUpdate = Schemas["PatchedMemberUpdateRequest"];
export type Invite = Schemas["Invite"];
export type InviteCreate = Schemas["InviteCreateRequest"];
export type InviteAcceptInfo = Schemas["InviteAcceptInfo"];
export type InviteAccept = Schemas["InviteAcceptRequest"];

export type ErrorEnvelope = Schemas["ErrorEnvelope"];

export type PaginatedMemberList = Schemas["PaginatedMemberList"];
export type PaginatedInviteList = Schemas["PaginatedInviteList"];
export type TeamEvent = Schemas["TeamEvent"];
export type PaginatedTeamEventList = Schemas["PaginatedTeamEventList"];

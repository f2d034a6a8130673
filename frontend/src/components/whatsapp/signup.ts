"use client";

import { useQuery } from "@tanstack/react-query";

import { startEmbeddedSignup } from "@/lib/api/whatsapp";
import type { EmbeddedSignupStart } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { whatsappKeys } from "@/lib/query/keys";

/** The page the signup dialog sends its code back to, on this business's own host. */
export const CALLBACK_PATH = "/settings/whatsapp/callback";

export function callbackUrl(): string {
  return `${window.location.origin}${CALLBACK_PATH}`;
}

/** Messages the callback page (in the popup) posts to the settings page that opened it. */
export const CONNECTED_EVENT = "convonest:whatsapp-connected";
export const FAILED_EVENT = "convonest:whatsapp-signup-failed";

/** The sandbox's address (e.g. http://127.0.0.1:8010) when Embedded Signup runs against it. */
export function sandboxOrigin(info: EmbeddedSignupStart | null | undefined): string | null {
  if (!info || info.mode !== "sandbox" || !info.signup_url) return null;
  try {
    return new URL(info.signup_url).origin;
  } catch {
    return null;
  }
}

/** The sandbox's phone page for one chat: the customer's side of the conversation. */
export function sandboxPhoneUrl(origin: string, phoneNumberId: string, to: string): string {
  return `${origin}/_sandbox/phone/${encodeURIComponent(phoneNumberId)}/${to.replace(/\D/g, "")}`;
}

export type SignupInfoState =
  | { status: "idle" | "loading" }
  | { status: "ready"; info: EmbeddedSignupStart }
  | { status: "failed"; message: string };

/**
 * Embedded Signup's mode (sandbox or Facebook) and a fresh `state`. Only owners and admins may ask
 * (the API answers 403 to agents), so `enabled` is false for them and the state stays idle.
 */
export function useSignupInfo(enabled: boolean): SignupInfoState {
  // Never from the cache: each answer carries a fresh `state` for one signup.
  const { data, error } = useQuery({
    queryKey: whatsappKeys.embeddedSignup(),
    queryFn: () => startEmbeddedSignup(callbackUrl()),
    enabled,
    gcTime: 0,
  });
  if (!enabled) return { status: "idle" };
  if (error) return { status: "failed", message: toApiError(error).message };
  return data ? { status: "ready", info: data } : { status: "loading" };
}

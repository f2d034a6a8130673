import { api, cursorOf, unwrap } from "@/lib/apiClient";
import { collectPages } from "./pages";
import type { EmbeddedSignupFinish, EmbeddedSignupStart, NumberConnect, PaginatedPhoneNumberList, PhoneNumber } from "./types";

/** First page, or the page behind a `next` link from a previous answer. */
export async function listNumbers(nextUrl?: string | null): Promise<PaginatedPhoneNumberList> {
  return unwrap(api.GET("/api/whatsapp/numbers/", { params: { query: { cursor: cursorOf(nextUrl) } } }));
}

/** Every connected number (a business has a handful; the list is paginated all the same). */
export async function listAllNumbers(): Promise<PhoneNumber[]> {
  return collectPages(listNumbers);
}

/** Connect by hand; the backend checks the token against the Graph API before saving. */
export async function connectNumber(body: NumberConnect): Promise<PhoneNumber> {
  return unwrap(api.POST("/api/whatsapp/numbers/", { body }));
}

export async function disconnectNumber(id: PhoneNumber["id"]): Promise<void> {
  await unwrap(api.DELETE("/api/whatsapp/numbers/{number_id}/", { params: { path: { number_id: id } } }));
}

/** Re-reads quality, tier and throughput from the Graph API. */
export async function refreshNumber(id: PhoneNumber["id"]): Promise<PhoneNumber> {
  return unwrap(api.POST("/api/whatsapp/numbers/{number_id}/refresh/", { params: { path: { number_id: id } } }));
}

/** Where to start Embedded Signup; `redirectUri` is where the signup dialog sends the code back. */
export async function startEmbeddedSignup(redirectUri: string): Promise<EmbeddedSignupStart> {
  return unwrap(api.GET("/api/whatsapp/embedded-signup/", { params: { query: { redirect_uri: redirectUri } } }));
}

/** Trades the dialog's code for the business's new numbers. */
export async function finishEmbeddedSignup(body: EmbeddedSignupFinish): Promise<PhoneNumber[]> {
  return unwrap(api.POST("/api/whatsapp/embedded-signup/", { body }));
}

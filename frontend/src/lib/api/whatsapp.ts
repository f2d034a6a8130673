import { apiClient, toRelativeUrl } from "@/lib/apiClient";
import type {
  EmbeddedSignupFinish,
  EmbeddedSignupStart,
  NumberConnect,
  PaginatedPhoneNumberList,
  PhoneNumber,
} from "./types";

/** First page, or the page behind a `next` link from a previous answer. */
export async function listNumbers(nextUrl?: string | null): Promise<PaginatedPhoneNumberList> {
  const { data } = await apiClient.get<PaginatedPhoneNumberList>(nextUrl ? toRelativeUrl(nextUrl) : "/api/whatsapp/numbers/");
  return data;
}

/** Every connected number (a business has a handful; the list is paginated all the same). */
export async function listAllNumbers(): Promise<PhoneNumber[]> {
  const numbers: PhoneNumber[] = [];
  let next: string | null | undefined = null;
  do {
    const page: PaginatedPhoneNumberList = await listNumbers(next);
    numbers.push(...page.results);
    next = page.next;
  } while (next);
  return numbers;
}

/** Connect by hand; the backend checks the token against the Graph API before saving. */
export async function connectNumber(body: NumberConnect): Promise<PhoneNumber> {
  const { data } = await apiClient.post<PhoneNumber>("/api/whatsapp/numbers/", body);
  return data;
}

export async function disconnectNumber(id: PhoneNumber["id"]): Promise<void> {
  await apiClient.delete(`/api/whatsapp/numbers/${id}/`);
}

/** Re-reads quality, tier and throughput from the Graph API. */
export async function refreshNumber(id: PhoneNumber["id"]): Promise<PhoneNumber> {
  const { data } = await apiClient.post<PhoneNumber>(`/api/whatsapp/numbers/${id}/refresh/`);
  return data;
}

/** Where to start Embedded Signup; `redirectUri` is where the signup dialog sends the code back. */
export async function startEmbeddedSignup(redirectUri: string): Promise<EmbeddedSignupStart> {
  const { data } = await apiClient.get<EmbeddedSignupStart>("/api/whatsapp/embedded-signup/", {
    params: { redirect_uri: redirectUri },
  });
  return data;
}

/** Trades the dialog's code for the business's new numbers. */
export async function finishEmbeddedSignup(body: EmbeddedSignupFinish): Promise<PhoneNumber[]> {
  const { data } = await apiClient.post<PhoneNumber[]>("/api/whatsapp/embedded-signup/", body);
  return data;
}

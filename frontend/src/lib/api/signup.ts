import { apiClient } from "@/lib/apiClient";
import type { Signup, SignupResult, SlugCheck } from "./types";

export async function signup(body: Signup): Promise<SignupResult> {
  const { data } = await apiClient.post<SignupResult>("/api/signup/", body);
  return data;
}

export async function checkSlug(slug: string, signal?: AbortSignal): Promise<SlugCheck> {
  const { data } = await apiClient.get<SlugCheck>("/api/signup/check-slug/", { params: { slug }, signal });
  return data;
}

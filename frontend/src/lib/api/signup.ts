import { api, unwrap } from "@/lib/apiClient";
import type { Signup, SignupResult, SlugCheck } from "./types";

export async function signup(body: Signup): Promise<SignupResult> {
  return unwrap(api.POST("/api/signup/", { body }));
}

export async function checkSlug(slug: string, signal?: AbortSignal): Promise<SlugCheck> {
  return unwrap(api.GET("/api/signup/check-slug/", { params: { query: { slug } }, signal }));
}

import { api, unwrap } from "@/lib/apiClient";
import type { Site } from "./types";

/** Which host the browser is on: the public site or a business (and its name). No login needed. */
export async function getSite(): Promise<Site> {
  return unwrap(api.GET("/api/site/"));
}

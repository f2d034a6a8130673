import { api, unwrap } from "@/lib/apiClient";
import type { AnalyticsOverview } from "./types";

/*
 * The dashboard's figures (issue 15 §4): GET /api/analytics/overview/?from=&to= (the business's dates).
 */

export type { AnalyticsOverview };

export interface DateRange {
  from: string;
  to: string;
}

export async function getOverview(range: DateRange): Promise<AnalyticsOverview> {
  return unwrap(api.GET("/api/analytics/overview/", { params: { query: { from: range.from, to: range.to } } }));
}

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { isLive, listRecipients, reportUrl, startCampaign, updateCampaign } from "./campaigns";

let mock: MockApi;
beforeEach(() => {
  mock = mockApi();
});
afterEach(() => mock.restore());

describe("campaigns API", () => {
  it("starts with or without splitting across days", async () => {
    mock.onPost("/api/campaigns/3/start/").reply((request) => [200, { id: 3, body: JSON.parse(request.data as string) }]);
    expect(((await startCampaign(3)) as unknown as { body: unknown }).body).toEqual({ split_across_days: false });
    expect(((await startCampaign(3, true)) as unknown as { body: unknown }).body).toEqual({ split_across_days: true });
  });

  it("filters recipients by state and error code and follows the cursor", async () => {
    mock.onGet("/api/campaigns/3/recipients/").reply((request) => [200, { next: "http://x/api/campaigns/3/recipients/?cursor=abc", results: [], params: request.params }]);
    const first = (await listRecipients(3, { state: "failed", error_code: 131049 })) as unknown as { next: string; params: unknown };
    expect(first.params).toEqual({ state: "failed", error_code: "131049" });
    const second = (await listRecipients(3, { state: "failed" }, first.next)) as unknown as { params: unknown };
    expect(second.params).toEqual({ state: "failed", cursor: "abc" });
  });

  it("edits a draft with only the fields given", async () => {
    mock.onPatch("/api/campaigns/3/").reply((request) => [200, { id: 3, body: JSON.parse(request.data as string) }]);
    const answer = (await updateCampaign(3, { template_id: 5, mapping: null })) as unknown as { body: unknown };
    expect(answer.body).toEqual({ template_id: 5, mapping: null });
  });

  it("names the report and what keeps changing", () => {
    expect(reportUrl(3)).toBe("/api/campaigns/3/report.csv");
    expect(isLive("running") && isLive("scheduled") && !isLive("paused") && !isLive("completed")).toBe(true);
  });
});

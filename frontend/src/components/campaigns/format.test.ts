import { describe, expect, it } from "vitest";

import { audienceText, clock, inZone } from "./format";
import { funnelValue } from "./Funnel";
import { counts } from "./testData";

describe("campaign wording", () => {
  it("names every kind of audience", () => {
    const segments = [{ id: 5, name: "Demo audience" }];
    expect(audienceText({ segment_id: 5 }, { segments })).toBe('The segment "Demo audience"');
    expect(audienceText({ segment_id: 6 }, { segments })).toBe("Segment #6");
    expect(audienceText({ tags: ["vip", "lead"] })).toBe("Contacts tagged vip, lead");
    expect(audienceText({ import_id: 2 }, { imports: [{ id: 2, file_name: "march.csv" }] })).toBe("The contacts of the import march.csv");
    expect(audienceText({ contact_ids: [1, 2, 3] })).toBe("3 chosen contacts");
    expect(audienceText({ all_opted_in: true })).toBe("Everyone opted in to the template's kind of message");
    expect(audienceText({ retarget: { campaign_id: 7, stage: "read_not_replied" } })).toBe("Recipients of the earlier campaign: read but not replied");
  });

  it("shows times in the business's zone, named", () => {
    expect(inZone("2026-12-24T08:00:00Z", "Asia/Kolkata")).toMatch(/(1:30.*PM|13:30) \(Asia\/Kolkata\)$/);
    expect(inZone(null, "UTC")).toBe("");
    expect(clock("21:00:00")).toBe("21:00");
  });

  it("counts the funnel cumulatively: queued is everything handed to the outbox", () => {
    const c = counts({ recipients: 10, pending: 3, queued: 2, sent: 4, delivered: 3, failed: 1 });
    expect(funnelValue(c, "queued")).toBe(7);
    expect(funnelValue(c, "sent")).toBe(4);
  });
});

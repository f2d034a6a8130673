import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { template } from "@/components/templates/testData";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { audienceOf, bodyOf, CampaignWizard, type WizardState } from "./CampaignWizard";
import { audiencePreview } from "./testData";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn() }) }));

const NUMBER = { id: 1, phone_number_id: "100000000000001", display_phone_number: "+1 555-010-0001", verified_name: "Demo", waba_id: "200000000000001", throughput_level: "STANDARD" };
const SALE = template({ id: 3, name: "spring_sale", category: "MARKETING" });
const page = (results: unknown[]) => ({ next: null, previous: null, results });

let api: MockApi;
beforeEach(() => {
  api = mockApi();
  api.onGet("/api/whatsapp/numbers/").reply(200, page([NUMBER]));
  api.onGet("/api/templates/").reply(200, page([SALE]));
  api.onGet("/api/contacts/segments/").reply(200, page([{ id: 5, name: "Demo audience", description: "", filter: {} }]));
  api.onGet("/api/contacts/imports/").reply(200, page([]));
  api.onGet("/api/contacts/attributes/").reply(200, page([]));
});
afterEach(() => api.restore());

describe("the campaign wizard", () => {
  it("shows the audience's size, exclusions, estimate and a daily-limit warning as soon as it is chosen", async () => {
    api.onPost("/api/campaigns/audience/").reply(200, audiencePreview());
    render(<CampaignWizard />);

    await screen.findByRole("option", { name: /spring_sale/ });
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Template" }), "3");
    await screen.findByRole("option", { name: "Demo audience" });
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Segment" }), "5");

    expect((await screen.findByTestId("audience-size", {}, { timeout: 3000 })).textContent).toBe("9,897");
    expect(screen.getByTestId("audience-excluded").textContent).toContain("103 opted out");
    expect(screen.getByTestId("audience-estimate").textContent).toContain("272.17");
    expect(screen.getByText(/more than the 1,850 people the daily limit has left/)).toBeTruthy();
    const sent = JSON.parse(api.history.post.at(-1)!.data as string);
    expect(sent).toMatchObject({ template_id: 3, audience: { segment_id: 5 } });
  });

  it("turns the choices into the API's body: tags, schedule, quiet hours and an A/B test", () => {
    const state = {
      name: " Spring ",
      numberId: "100000000000001",
      templateId: "3",
      kind: "tags",
      segmentId: "",
      tags: "vip, , lead",
      importId: "",
      sources: {},
      abTemplateId: "4",
      abPercent: "20",
      abMetric: "replied",
      abMinutes: "60",
      when: "later",
      scheduleAt: "2026-12-24T09:00",
      cap: "40",
      quiet: true,
      quietStart: "21:00",
      quietEnd: "08:00",
      localTime: "",
      replyHours: "48",
    } satisfies WizardState;
    expect(audienceOf(state)).toEqual({ tags: ["vip", "lead"] });
    const body = bodyOf(state, undefined, template({ id: 4 }));
    expect(body).toMatchObject({
      name: "Spring",
      audience: { tags: ["vip", "lead"] },
      schedule_at: "2026-12-24T09:00",
      throughput_cap: 40,
      quiet_hours: { start: "21:00", end: "08:00" },
      reply_window_hours: 48,
      ab_test: { variants: [{ template_id: 4 }], test_percent: 20, metric: "replied", decide_after_minutes: 60 },
    });
  });
});

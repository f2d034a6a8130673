import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { draftPreview, template } from "@/components/templates/testData";
import { ApiError } from "@/lib/apiClient";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { audienceOf, bodyOf, CampaignWizard, slotError, type WizardState } from "./CampaignWizard";
import { audiencePreview, campaign } from "./testData";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));

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
  api.onGet("/api/inbox/settings/").reply(200, { timezone: "America/Sao_Paulo" });
});
afterEach(() => {
  api.restore();
  push.mockReset();
});

/** Picks the template and the segment on the audience step, and waits for the audience's size. */
async function chooseAudience() {
  await screen.findByRole("option", { name: /spring_sale/ });
  await userEvent.selectOptions(screen.getByRole("combobox", { name: "Template" }), "3");
  await screen.findByRole("option", { name: "Demo audience" });
  await userEvent.selectOptions(screen.getByRole("combobox", { name: "Segment" }), "5");
  await screen.findByTestId("audience-size", {}, { timeout: 3000 });
}

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
    expect(screen.getByTestId("daily-limit").textContent).toBe("Daily messaging limit (2K tier): 150 of 2,000 people used in the last 24 hours, 1,850 left.");
    expect(screen.getByText(/more than the 1,850 people the daily limit has left/)).toBeTruthy();
    expect(screen.getByRole("list", { name: "Estimate by country and category" }).textContent).toContain("9,897 × marketing to US");
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

  it("says nothing about splitting when the daily limit has room", async () => {
    api.onPost("/api/campaigns/audience/").reply(200, audiencePreview({ recipients: 40, daily_limit: { tier: "TIER_UNLIMITED", limit: null, used: 12, remaining: null } }));
    render(<CampaignWizard />);
    await chooseAudience();

    expect(screen.getByTestId("daily-limit").textContent).toContain("unlimited");
    expect(screen.queryByText(/daily limit has left/)).toBeNull();
  });

  it("previews the mapping for real recipients, shows the business's time zone, then creates, and splits a start the daily limit refuses", async () => {
    const sample = { contact_id: 11, name: "Ana Lima", to: "5511999990001", preview: draftPreview({ body: "Hi Ana, your order A-1 has shipped." }) };
    api.onPost("/api/campaigns/audience/").reply(200, audiencePreview({ sample: [sample] }));
    api.onPost("/api/campaigns/").reply(201, campaign({ id: 9, status: "draft", started_at: null }));
    api.onPatch("/api/campaigns/9/").reply(200, campaign({ id: 9, status: "draft", started_at: null }));
    api.onPost("/api/campaigns/9/start/").replyOnce(409, { code: "daily_limit", message: "9,897 recipients, but the daily messaging limit has 1,850 left today.", errors: {} });
    api.onPost("/api/campaigns/9/start/").reply(200, campaign({ id: 9 }));
    render(<CampaignWizard />);
    await chooseAudience();

    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("Hi Ana, your order A-1 has shipped.")).toBeTruthy();
    expect(screen.getByText("Ana Lima")).toBeTruthy();
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Body {{2}} comes from" }), "");
    await userEvent.type(screen.getByRole("textbox", { name: "Body {{2}} text" }), "A-1");
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(screen.getByTestId("business-zone").textContent).toContain("America/Sao_Paulo");
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    await userEvent.type(screen.getByRole("textbox", { name: "Campaign name" }), "Spring sale");
    expect(within(screen.getByLabelText("Review")).getByText('The segment "Demo audience"')).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Start campaign" }));

    await userEvent.click(await screen.findByRole("button", { name: "Split across days" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/campaigns/9"));
    const created = JSON.parse(api.history.post.find((r) => r.url === "/api/campaigns/")!.data as string);
    expect(created).toMatchObject({ name: "Spring sale", template_id: 3, audience: { segment_id: 5 } });
    expect(created.mapping.body[1]).toMatchObject({ value: "A-1" });
    expect(api.history.post.filter((r) => r.url === "/api/campaigns/")).toHaveLength(1); // the retry starts the same draft
    expect(api.history.patch).toHaveLength(1); // with the choices as they are now
    const starts = api.history.post.filter((r) => r.url === "/api/campaigns/9/start/").map((r) => JSON.parse(r.data as string));
    expect(starts).toEqual([{ split_across_days: false }, { split_across_days: true }]);
  });

  it("finds the server's error for each variable of the mapping", () => {
    const error = new ApiError(400, "validation_error", "The mapping doesn't fit the template.", { "mapping.body[1]": ["Give a value or a field."] });
    expect(slotError(error, { id: "body.2", part: "body", name: "2", position: 1 })).toBe("Give a value or a field.");
    expect(slotError(error, { id: "body.1", part: "body", name: "1", position: 0 })).toBeUndefined();
    expect(slotError(null, { id: "body.2", part: "body", name: "2", position: 1 })).toBeUndefined();
  });
});

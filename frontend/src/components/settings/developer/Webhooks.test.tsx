import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookEndpointWithSecret } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { Webhooks } from "./Webhooks";

const ENDPOINT: WebhookEndpoint = {
  id: 1,
  url: "https://crm.example.com/hooks",
  description: "CRM",
  events: ["message.received", "message.status_changed"],
  is_active: true,
  disabled_reason: "",
  disabled_at: null,
  failure_streak: 0,
  failing_since: null,
  last_success_at: "2026-12-01T10:00:00Z",
  last_failure_at: null,
  created_by_email: "owner@acme.example",
  created_at: "2026-12-01T09:00:00Z",
  updated_at: "2026-12-01T09:00:00Z",
};
const DISABLED: WebhookEndpoint = {
  ...ENDPOINT,
  id: 2,
  url: "https://old.example.com/hooks",
  is_active: false,
  disabled_reason: "Disabled automatically after 8 failed attempts in a row since 2026-12-01 10:00 UTC.",
};
const SECRET = "whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const DELIVERY: WebhookDelivery = {
  id: "5b0f7a34-0f6e-4c3a-9d1c-2a8d1f9b7e10",
  endpoint_id: 1,
  event_type: "message.status_changed",
  event_id: "0b8e4f3a-8f2d-4d8e-a3b1-6c2d9e7f1a20",
  status: "dead",
  attempts: 8,
  next_attempt_at: null,
  replay_of_id: null,
  last_response_status: 500,
  last_response_body: "oops",
  last_error: "The endpoint answered 500.",
  completed_at: "2026-12-02T10:00:00Z",
  created_at: "2026-12-01T10:00:00Z",
};
const DETAIL: WebhookDeliveryDetail = {
  ...DELIVERY,
  payload: { id: DELIVERY.event_id, type: "message.status_changed", data: { status: "delivered" } },
  attempt_rows: [
    {
      number: 1,
      url: ENDPOINT.url,
      request_headers: {},
      response_status: 500,
      response_headers: {},
      response_body: "oops",
      error: "The endpoint answered 500.",
      duration_ms: 12,
      created_at: "2026-12-01T10:00:00Z",
    },
  ],
};

let api: MockApi;

beforeEach(() => {
  api = mockApi();
  api.onGet("/api/developer/webhooks/").reply(200, { next: null, previous: null, results: [ENDPOINT, DISABLED] });
  api.onGet("/api/developer/webhooks/event-types/").reply(200, [
    { type: "contact.created", description: "A contact was added." },
    { type: "message.received", description: "A customer's message arrived." },
  ]);
});

afterEach(() => api.restore());

describe("Webhooks", { timeout: 20_000 }, () => {
  it("lists endpoints with their status and events, never a secret", async () => {
    render(<Webhooks />);
    const list = await screen.findByRole("list", { name: "Webhook endpoints" });
    expect(within(list).getByText("https://crm.example.com/hooks")).toBeTruthy();
    expect(within(list).getByText("Active")).toBeTruthy();
    expect(within(list).getByText("Disabled")).toBeTruthy();
    expect(within(list).getByText(/8 failed attempts/)).toBeTruthy();
    expect(within(list).getAllByText("message.received")).toHaveLength(2);
    expect(screen.queryByTestId("webhook-secret")).toBeNull();
  });

  it("creates an endpoint with the chosen events and shows its secret once", async () => {
    const created: WebhookEndpointWithSecret = { ...ENDPOINT, id: 3, url: "https://new.example.com/in", events: ["contact.created"], secret: SECRET };
    api.onPost("/api/developer/webhooks/").reply(201, created);
    const user = userEvent.setup();
    render(<Webhooks />);
    await screen.findByRole("list", { name: "Webhook endpoints" });

    await user.type(screen.getByLabelText("Endpoint URL"), "https://new.example.com/in");
    await user.click(await screen.findByLabelText("contact.created"));
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));

    expect((await screen.findByTestId("webhook-secret")).textContent).toBe(SECRET);
    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ url: "https://new.example.com/in", description: "", events: ["contact.created"] });
    await user.click(screen.getByRole("button", { name: "I've stored it" }));
    expect(screen.queryByText(SECRET)).toBeNull();
    expect(within(screen.getByRole("list", { name: "Webhook endpoints" })).getByText("https://new.example.com/in")).toBeTruthy();
  });

  it("shows a field error from the server (a private address)", async () => {
    api.onPost("/api/developer/webhooks/").reply(400, {
      code: "validation_error",
      message: "Some fields are invalid.",
      errors: { url: ["Webhooks go to public addresses only: 10.0.0.1 is a private address."] },
    });
    const user = userEvent.setup();
    render(<Webhooks />);
    await screen.findByRole("list", { name: "Webhook endpoints" });
    await user.type(screen.getByLabelText("Endpoint URL"), "http://10.0.0.1/");
    await user.click(await screen.findByLabelText("message.received"));
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    expect(await screen.findByText(/public addresses only/)).toBeTruthy();
  });

  it("sends a test ping and re-enables a disabled endpoint", async () => {
    api.onPost("/api/developer/webhooks/1/test/").reply(200, { ...DETAIL, event_type: "ping", status: "succeeded", last_response_status: 200 });
    api.onPost("/api/developer/webhooks/2/enable/").reply(200, { ...DISABLED, is_active: true, disabled_reason: "" });
    const user = userEvent.setup();
    render(<Webhooks />);
    await screen.findByRole("list", { name: "Webhook endpoints" });

    await user.click(screen.getByRole("button", { name: `Send test to ${ENDPOINT.url}` }));
    expect(await screen.findByText(/Ping delivered to https:\/\/crm\.example\.com\/hooks \(200\)/)).toBeTruthy();

    await user.click(screen.getByRole("button", { name: `Re-enable ${DISABLED.url}` }));
    expect(await screen.findAllByText("Active")).toHaveLength(2);
  });

  it("shows the delivery log with attempts and replays a delivery", async () => {
    api.onGet("/api/developer/webhooks/1/deliveries/").reply(200, { next: null, previous: null, results: [DELIVERY] });
    api.onGet(`/api/developer/webhooks/deliveries/${DELIVERY.id}/`).reply(200, DETAIL);
    api.onPost(`/api/developer/webhooks/deliveries/${DELIVERY.id}/replay/`).reply(202, { ...DELIVERY, id: "new", status: "pending" });
    const user = userEvent.setup();
    render(<Webhooks />);
    await screen.findByRole("list", { name: "Webhook endpoints" });

    await user.click(screen.getByRole("button", { name: `Deliveries to ${ENDPOINT.url}` }));
    const log = await screen.findByRole("list", { name: `Deliveries to ${ENDPOINT.url}` });
    expect(within(log).getByText("dead")).toBeTruthy();
    await user.click(within(log).getByRole("button", { name: "Details" }));
    const attempts = await screen.findByRole("list", { name: "Attempts" });
    expect(within(attempts).getByText(/Attempt 1: 500/)).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Replay" }));
    await screen.findByRole("list", { name: `Deliveries to ${ENDPOINT.url}` });
    expect(api.history.post.map((r) => r.url)).toContain(`/api/developer/webhooks/deliveries/${DELIVERY.id}/replay/`);
  });
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { ApiKey, ApiKeyCreated } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { ApiKeys } from "./ApiKeys";

const KEY: ApiKey = {
  id: 1,
  name: "Shop",
  prefix: "cn_live_AbCd1234",
  scopes: ["contacts", "messages"],
  rate_limit: 600,
  created_by: "owner@acme.example",
  created_at: "2026-12-01T10:00:00Z",
  rotated_at: null,
  last_used_at: "2026-12-02T10:00:00Z",
  last_used_ip: "203.0.113.7",
  expires_at: null,
  previous_key_expires_at: null,
};
const SECRET = "cn_live_AbCd1234efghijklmnopqrstuvwxyz0123456789ABC";

let api: MockApi;

beforeEach(() => {
  api = mockApi();
  api.onGet("/api/developer/api-keys/").reply(200, { next: null, previous: null, results: [KEY] });
});

afterEach(() => api.restore());

describe("API keys", { timeout: 20_000 }, () => {
  it("lists keys by prefix, scopes and last use, never a secret", async () => {
    render(<ApiKeys />);
    const list = await screen.findByRole("list", { name: "API keys" });
    expect(within(list).getByText("cn_live_AbCd1234…")).toBeTruthy();
    expect(within(list).getByText("contacts")).toBeTruthy();
    expect(within(list).getByText(/203\.0\.113\.7/)).toBeTruthy();
    expect(screen.queryByTestId("api-key-secret")).toBeNull();
  });

  it("shows a new key once, with its scopes sent", async () => {
    const created: ApiKeyCreated = { ...KEY, id: 2, name: "CRM", scopes: ["messages", "templates"], last_used_at: null, last_used_ip: null, key: SECRET };
    api.onPost("/api/developer/api-keys/").reply(201, created);
    const user = userEvent.setup();
    render(<ApiKeys />);
    await screen.findByRole("list", { name: "API keys" });

    await user.type(screen.getByLabelText("Name"), "CRM");
    await user.click(screen.getByLabelText("Templates"));
    await user.click(screen.getByRole("button", { name: "Create API key" }));

    expect((await screen.findByTestId("api-key-secret")).textContent).toBe(SECRET);
    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ name: "CRM", scopes: ["messages", "templates"] });
    await user.click(screen.getByRole("button", { name: "I've stored it" }));
    expect(screen.queryByTestId("api-key-secret")).toBeNull();
    expect(screen.queryByText(SECRET)).toBeNull();
    expect(within(screen.getByRole("list", { name: "API keys" })).getByText("CRM")).toBeTruthy();
  });

  it("rotates (showing the new secret) and revokes", async () => {
    api.onPost("/api/developer/api-keys/1/rotate/").reply(200, { ...KEY, rotated_at: "2026-12-03T10:00:00Z", key: SECRET });
    api.onDelete("/api/developer/api-keys/1/").reply(204);
    const user = userEvent.setup();
    render(<ApiKeys />);
    await screen.findByRole("list", { name: "API keys" });

    await user.click(screen.getByRole("button", { name: "Rotate Shop" }));
    expect((await screen.findByTestId("api-key-secret")).textContent).toBe(SECRET);

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ grace_hours: 24 });

    await user.click(screen.getByRole("button", { name: "Revoke Shop" }));
    expect(await screen.findByText("No API keys yet.")).toBeTruthy();
    expect(api.history.delete).toHaveLength(1);
  });

  it("rotates with the chosen grace period and shows until when the previous key works", async () => {
    api.onPost("/api/developer/api-keys/1/rotate/").reply(200, { ...KEY, rotated_at: "2026-12-03T10:00:00Z", previous_key_expires_at: "2026-12-10T10:00:00Z", key: SECRET });
    const user = userEvent.setup();
    render(<ApiKeys />);
    await screen.findByRole("list", { name: "API keys" });

    await user.selectOptions(screen.getByLabelText(/previous key keeps working/), "168");
    await user.click(screen.getByRole("button", { name: "Rotate Shop" }));

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ grace_hours: 168 });
    expect(await screen.findByText(/Previous key valid until/)).toBeTruthy();
  });
});

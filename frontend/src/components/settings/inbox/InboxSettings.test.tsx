import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import type { InboxSettings } from "@/lib/api/types";
import { capabilitiesOf } from "@/lib/testing/users";
import { InboxSettingsView } from "./InboxSettingsContent";
import { renderWithQuery as render } from "@/lib/query/testing";

const SETTINGS: InboxSettings = {
  opt_out_enabled: true,
  opt_out_keywords: ["stop"],
  opt_out_reply: "Unsubscribed.",
  opt_in_reply: "Welcome back.",
  welcome_enabled: false,
  welcome_text: "Hi!",
  away_enabled: false,
  away_text: "We're away.",
  timezone: "UTC",
  business_hours: { mon: [["09:00", "18:00"]] },
  agents_see_all: false,
  updated_at: "2026-11-27T10:00:00Z",
};

let api: MockApi;

beforeEach(() => {
  api = mockApi();
  api.onGet("/api/inbox/settings/").reply(200, SETTINGS);
  api.onGet("/api/canned-replies/").reply(200, { next: null, previous: null, results: [{ id: 1, shortcut: "hours", title: "Opening hours", body: "9 to 6." }] });
});

afterEach(() => api.restore());

// Typing through a long form is slow on a busy machine.
describe("Inbox settings", { timeout: 20_000 }, () => {
  it("shows the server's field errors from the envelope next to the fields", async () => {
    api.onPatch("/api/inbox/settings/").reply(400, {
      code: "validation_error",
      message: "Set business hours before switching on the away message.",
      errors: { business_hours: ["The away message is sent outside these hours."], timezone: ["Use an IANA name, e.g. Asia/Kolkata."] },
    });
    const user = userEvent.setup();
    render(<InboxSettingsView canManage={capabilitiesOf("owner").manage_settings} />);

    await user.click(await screen.findByRole("switch", { name: /Away message/ }));
    await user.clear(screen.getByLabelText("Time zone"));
    await user.type(screen.getByLabelText("Time zone"), "Mars/Olympus");
    await user.click(screen.getByRole("button", { name: "Remove Monday hours 1" }));
    await user.click(screen.getByRole("button", { name: "Save inbox settings" }));

    expect((await screen.findByRole("alert")).textContent).toContain("Set business hours before switching on the away message.");
    expect(screen.getByText("The away message is sent outside these hours.")).toBeTruthy();
    const zone = screen.getByLabelText("Time zone");
    expect(zone.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Use an IANA name, e.g. Asia/Kolkata.")).toBeTruthy();
    // Closed days are left out of what is sent.
    const sent = JSON.parse(api.history.patch[0]!.data as string) as InboxSettings;
    expect(sent.business_hours).toEqual({});
    expect(sent.away_enabled).toBe(true);
    expect(sent.timezone).toBe("Mars/Olympus");
  });

  it("adds keywords as chips and saves", async () => {
    api.onPatch("/api/inbox/settings/").reply((request) => [200, { ...SETTINGS, ...JSON.parse(request.data as string) }]);
    const user = userEvent.setup();
    render(<InboxSettingsView canManage={capabilitiesOf("admin").manage_settings} />);
    await user.type(await screen.findByLabelText("Opt-out keywords"), "Unsubscribe{Enter}");
    expect(within(screen.getByRole("list", { name: "Keywords" })).getAllByRole("listitem")).toHaveLength(2);
    await user.click(screen.getByRole("button", { name: "Save inbox settings" }));
    expect(await screen.findByText("Saved.")).toBeTruthy();
    expect((JSON.parse(api.history.patch[0]!.data as string) as InboxSettings).opt_out_keywords).toEqual(["stop", "unsubscribe"]);
  });

  it("is read-only for agents", async () => {
    render(<InboxSettingsView canManage={capabilitiesOf("agent").manage_settings} />);
    expect(await screen.findByText("Only owners and admins can change the inbox settings.")).toBeTruthy();
    // The whole form sits in a disabled fieldset.
    expect(screen.getByRole("switch", { name: /Welcome message/ }).matches(":disabled")).toBe(true);
    expect(screen.queryByRole("button", { name: "Save inbox settings" })).toBeNull();
    expect(await screen.findByText("/hours")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Edit /hours" })).toBeNull();
    expect(screen.queryByRole("form", { name: "Add canned reply" })).toBeNull();
  });
});

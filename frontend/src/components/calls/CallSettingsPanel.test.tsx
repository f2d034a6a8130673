import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as callsApi from "@/lib/api/calls";
import { ApiError } from "@/lib/apiClient";
import { renderWithQuery as render } from "@/lib/query/testing";
import { CallSettingsPanel } from "./CallSettingsPanel";

vi.mock("@/lib/api/calls", () => ({ getCallSettings: vi.fn(), updateCallSettings: vi.fn() }));

const SETTINGS: callsApi.CallSettings = {
  phone_number_id: "100000000000001",
  calling: {
    status: "ENABLED",
    call_icon_visibility: "DEFAULT",
    callback_permission_status: "DISABLED",
    call_hours: {
      status: "ENABLED",
      timezone_id: "Europe/Lisbon",
      weekly_operating_hours: [
        { day_of_week: "MONDAY", open_time: "0900", close_time: "1700" },
        { day_of_week: "TUESDAY", open_time: "0900", close_time: "1200" },
        { day_of_week: "TUESDAY", open_time: "1400", close_time: "1800" },
      ],
      holiday_schedule: [{ date: "2026-12-25", start_time: "0000", end_time: "2359" }],
    },
    sip: { status: "DISABLED" },
  },
  synced_at: "2026-12-07T10:00:00Z",
  missed_call_reply_enabled: false,
  missed_call_reply_text: "",
};

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(callsApi.getCallSettings).mockResolvedValue(SETTINGS);
  vi.mocked(callsApi.updateCallSettings).mockImplementation(async (_id, patch) => ({ ...SETTINGS, ...patch, calling: { ...SETTINGS.calling, ...patch.calling } }));
});

describe("CallSettingsPanel", () => {
  it("sends only what changed, so Meta's hours (two ranges on Tuesday, the holidays) are kept", async () => {
    const user = userEvent.setup();
    render(<CallSettingsPanel numberId={4} canManage />);
    const callback = await screen.findByRole("checkbox", { name: /Ask callers for permission/ });
    expect((screen.getByRole("checkbox", { name: /Customers can call/ }) as HTMLInputElement).checked).toBe(true);
    await user.click(callback);
    await user.click(screen.getByRole("checkbox", { name: /Reply to missed calls/ }));
    await user.type(screen.getByLabelText("Missed-call reply"), "Sorry!");
    await user.click(screen.getByRole("button", { name: "Save calling settings" }));
    await waitFor(() =>
      expect(callsApi.updateCallSettings).toHaveBeenCalledWith(4, {
        calling: { callback_permission_status: "ENABLED" },
        missed_call_reply_enabled: true,
        missed_call_reply_text: "Sorry!",
      }),
    );
    expect(await screen.findByText("Saved at WhatsApp.")).toBeTruthy();
  });

  it("replaces the hours as a whole when they are edited, keeping the holidays", async () => {
    const user = userEvent.setup();
    render(<CallSettingsPanel numberId={4} canManage />);
    await user.click(await screen.findByRole("checkbox", { name: "Saturday" }));
    await user.click(screen.getByRole("button", { name: "Save calling settings" }));
    await waitFor(() => expect(callsApi.updateCallSettings).toHaveBeenCalled());
    const hours = vi.mocked(callsApi.updateCallSettings).mock.calls[0]![1].calling!.call_hours!;
    expect(hours.timezone_id).toBe("Europe/Lisbon");
    expect(hours.weekly_operating_hours!.map((r) => r.day_of_week)).toEqual(["MONDAY", "TUESDAY", "SATURDAY"]);
    expect(hours.weekly_operating_hours![2]).toEqual({ day_of_week: "SATURDAY", open_time: "0900", close_time: "1700" });
    expect(hours.holiday_schedule).toEqual(SETTINGS.calling.call_hours!.holiday_schedule);
  });

  it("shows Meta's refusal with the field it names", async () => {
    const user = userEvent.setup();
    vi.mocked(callsApi.updateCallSettings).mockRejectedValue(
      new ApiError(400, "validation_error", "Some fields are invalid.", { "calling.call_hours.timezone_id": ["Not an IANA time zone."] }),
    );
    render(<CallSettingsPanel numberId={4} canManage />);
    const zone = await screen.findByLabelText("Call hours' time zone");
    await user.clear(zone);
    await user.type(zone, "Mars/Olympus");
    await user.click(screen.getByRole("button", { name: "Save calling settings" }));
    expect((await screen.findByRole("alert")).textContent).toContain("calling.call_hours.timezone_id: Not an IANA time zone.");
  });

  it("is read-only for agents", async () => {
    render(<CallSettingsPanel numberId={4} canManage={false} />);
    expect(((await screen.findByRole("checkbox", { name: /Customers can call/ })) as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole("button", { name: "Save calling settings" })).toBeNull();
    expect(screen.getByText("Owners and admins change these.")).toBeTruthy();
  });
});

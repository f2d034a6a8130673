import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { BusinessDeletion } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { DeletionBanner, deletionBannerText } from "./DeletionBanner";

const DAY = 86_400_000;
const scheduled = (canManage: boolean): BusinessDeletion => ({
  scheduled: true, due_at: new Date(Date.now() + 3 * DAY - 60_000).toISOString(), requested_at: new Date().toISOString(),
  requested_by_email: "owner@acme.test", grace_days: 14, can_manage: canManage,
});

let api: MockApi;
beforeEach(() => {
  api = mockApi();
});
afterEach(() => api.restore());

describe("Deletion banner", () => {
  it("says nothing while no deletion is scheduled", async () => {
    api.onGet("/api/business/deletion/").reply(200, { ...scheduled(true), scheduled: false, due_at: null });
    render(<DeletionBanner />);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId("deletion-banner")).toBeNull();
  });

  it("tells the owner when the business goes and links to where they can cancel", async () => {
    api.onGet("/api/business/deletion/").reply(200, scheduled(true));
    render(<DeletionBanner />);

    const banner = await screen.findByTestId("deletion-banner");
    expect(banner.textContent).toContain("will be deleted in 3 days");
    expect(screen.getByRole("link", { name: "Settings → Data & deletion" }).getAttribute("href")).toBe("/settings#data");
  });

  it("tells every other member too, without a link they could not use", async () => {
    api.onGet("/api/business/deletion/").reply(200, scheduled(false));
    render(<DeletionBanner />);

    expect((await screen.findByTestId("deletion-banner")).textContent).toContain("An owner can cancel it.");
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("has no text without a due date", () => {
    expect(deletionBannerText({ ...scheduled(true), due_at: null })).toBeNull();
  });
});

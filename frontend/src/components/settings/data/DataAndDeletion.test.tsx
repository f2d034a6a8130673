import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { BusinessDeletion, BusinessExport } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { DeletionCard, ExportsCard, exportSummary } from "./DataAndDeletion";

const DAY = 86_400_000;

function anExport(overrides: Partial<BusinessExport> = {}): BusinessExport {
  return {
    id: "0b9e7c4e-6f0e-4a44-9d3c-2f1f8d5a0a11", status: "ready", requested_by_email: "owner@acme.test",
    created_at: new Date(Date.now() - 60_000).toISOString(), started_at: null, finished_at: null,
    expires_at: new Date(Date.now() + 3 * DAY).toISOString(), size: 2_500_000, failure: "",
    counts: { "contacts/contacts.jsonl": 1204, "inbox/messages.jsonl": 5310, media: 12 },
    download_url: "/api/business/exports/0b9e7c4e-6f0e-4a44-9d3c-2f1f8d5a0a11/download/", ...overrides,
  };
}

const NOT_SCHEDULED: BusinessDeletion = {
  scheduled: false, due_at: null, requested_at: null, requested_by_email: null, grace_days: 14, can_manage: true,
};

let api: MockApi;
beforeEach(() => {
  api = mockApi();
});
afterEach(() => api.restore());

describe("Export the business", () => {
  it("lists exports with their status and row counts, and a download link only for a ready one", async () => {
    api.onGet("/api/business/exports/").reply(200, [
      anExport(),
      anExport({ id: "1b9e7c4e-6f0e-4a44-9d3c-2f1f8d5a0a11", status: "expired", download_url: null, expires_at: null }),
    ]);
    render(<ExportsCard />);

    const [ready, expired, ...rest] = await screen.findAllByTestId("business-export");
    expect(rest).toHaveLength(0);
    expect(ready?.textContent).toContain("Ready");
    expect(ready?.textContent).toContain("1,204 contacts · 5,310 messages · 12 media files");
    const [link, ...otherLinks] = screen.getAllByRole("link", { name: "Download" });
    expect(otherLinks).toHaveLength(0);
    expect(link?.getAttribute("href")).toBe("/api/business/exports/0b9e7c4e-6f0e-4a44-9d3c-2f1f8d5a0a11/download/");
    expect(expired?.textContent).toContain("Expired");
  });

  it("requests an export, shows it being prepared and refuses a second one meanwhile", async () => {
    api.onGet("/api/business/exports/").reply(200, []);
    api.onPost("/api/business/exports/").reply(202, anExport({ status: "pending", download_url: null, counts: {} }));
    const user = userEvent.setup();
    render(<ExportsCard />);

    await screen.findByText(/No exports yet/);
    await user.click(screen.getByRole("button", { name: "Request an export" }));

    expect((await screen.findByTestId("business-export")).textContent).toContain("Waiting");
    expect(api.history.post).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Request an export" }).hasAttribute("disabled")).toBe(true);
    expect(screen.queryByRole("link", { name: "Download" })).toBeNull();
  });

  it("says why an export failed", async () => {
    api.onGet("/api/business/exports/").reply(200, [anExport({ status: "failed", failure: "No space left on device", download_url: null })]);
    render(<ExportsCard />);

    expect((await screen.findByTestId("business-export")).textContent).toContain("No space left on device");
  });

  it("summarises the rows people recognise", () => {
    expect(exportSummary({ "contacts/contacts.jsonl": 3 })).toBe("3 contacts");
    expect(exportSummary({})).toBe("");
  });
});

describe("Delete the business", () => {
  it("schedules the deletion with the slug and the owner's password, then offers to cancel it", async () => {
    const due = new Date(Date.now() + 14 * DAY).toISOString();
    api.onGet("/api/business/deletion/").reply(200, NOT_SCHEDULED);
    api.onPost("/api/business/deletion/").reply(201, {
      ...NOT_SCHEDULED, scheduled: true, due_at: due, requested_at: new Date().toISOString(), requested_by_email: "owner@acme.test",
    });
    api.onPost("/api/business/deletion/cancel/").reply(200, NOT_SCHEDULED);
    const user = userEvent.setup();
    render(<DeletionCard slug="acme" />);

    expect(await screen.findByText(/deleted 14 days after you ask/)).toBeDefined();
    await user.type(screen.getByLabelText("Type acme to confirm"), "acme");
    await user.type(screen.getByLabelText("Your password"), "correct-horse");
    await user.click(screen.getByRole("button", { name: "Delete this business" }));

    expect(JSON.parse(api.history.post[0]?.data as string)).toEqual({ slug: "acme", password: "correct-horse" });
    expect((await screen.findByText(/will be deleted on/)).textContent).toContain("asked by owner@acme.test");
    await user.click(screen.getByRole("button", { name: "Cancel the deletion" }));

    await waitFor(() => expect(screen.getByRole("button", { name: "Delete this business" })).toBeDefined());
    expect(api.history.post.map((r) => r.url)).toEqual(["/api/business/deletion/", "/api/business/deletion/cancel/"]);
  });

  it("shows the API's field errors under the fields and schedules nothing", async () => {
    api.onGet("/api/business/deletion/").reply(200, NOT_SCHEDULED);
    api.onPost("/api/business/deletion/").reply(400, {
      code: "validation_error", message: "The deletion was not confirmed.", errors: { password: ["The password is not right."] },
    });
    const user = userEvent.setup();
    render(<DeletionCard slug="acme" />);

    await user.type(await screen.findByLabelText("Type acme to confirm"), "acme");
    await user.type(screen.getByLabelText("Your password"), "wrong");
    await user.click(screen.getByRole("button", { name: "Delete this business" }));

    expect(await screen.findByText("The password is not right.")).toBeDefined();
    expect(screen.queryByText(/will be deleted on/)).toBeNull();
  });
});

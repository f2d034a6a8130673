import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { User } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { testUser } from "@/lib/testing/users";
import { draftPreview, templateDetail } from "./testData";
import { TemplateDetailView } from "./TemplateDetailView";

const push = vi.fn();
let user: User = testUser("owner");
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));
vi.mock("@/components/app/SessionProvider", () => ({ useSession: () => ({ user }) }));

const DETAIL = templateDetail({
  id: 3,
  name: "order_shipped",
  status: "REJECTED",
  rejected_reason: "INVALID_FORMAT",
  reason_detail: "Fix the variables.",
  quality_score: "",
  category: "UTILITY",
  pending_category: "MARKETING",
  attention: "Rejected: INVALID_FORMAT",
  events: [
    { id: 2, kind: "status", value: "REJECTED", source: "webhook", actor_email: "", detail: {}, created_at: "2026-12-01T10:05:00Z" },
    { id: 1, kind: "created", value: "PENDING", source: "member", actor_email: "owner@acme.test", detail: {}, created_at: "2026-12-01T10:00:00Z" },
  ],
});

let api: MockApi;

beforeEach(() => {
  push.mockReset();
  user = testUser("owner");
  api = mockApi();
  api.onGet("/api/templates/3/").reply(200, DETAIL);
  api.onPost("/api/templates/preview/").reply(200, draftPreview({ body: "Hi Ana, your order A-1 has shipped." }));
  api.onGet("/api/contacts/attributes/").reply(200, { next: null, previous: null, results: [{ id: 1, key: "order_id", label: "Order id", type: "text", choices: [] }] });
  api.onGet("/api/contacts/").reply(200, { next: null, previous: null, results: [] });
});

afterEach(() => api.restore());

describe("TemplateDetailView", { timeout: 20_000 }, () => {
  it("shows status, rejection reason, categories, the examples' preview and the history", async () => {
    render(<TemplateDetailView id={3} />);
    expect(await screen.findByRole("heading", { name: "order_shipped" })).toBeTruthy();
    expect(screen.getByTestId("template-status").textContent).toBe("Rejected");
    expect(screen.getByText("Invalid format: Fix the variables.")).toBeTruthy();
    expect(screen.getByText("Meta will change it to Marketing")).toBeTruthy();
    expect(screen.getByText(/Needs attention:/).parentElement!.textContent).toContain("Rejected: INVALID_FORMAT");
    const history = screen.getByTestId("template-history");
    expect(history.textContent).toContain("Status · Rejected");
    expect(history.textContent).toContain("Meta (webhook)");
    expect(history.textContent).toContain("Submitted");
    expect(history.textContent).toContain("owner@acme.test");
    expect(await screen.findByText("Hi Ana, your order A-1 has shipped.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Edit" }).getAttribute("href")).toBe("/templates/3/edit");
  });

  it("saves the variable mapping: a contact field with a fallback, an attribute", async () => {
    const u = userEvent.setup();
    api.onPut("/api/templates/3/mapping/").reply((request) => [200, { ...DETAIL, mapping: JSON.parse(request.data as string) as object }]);
    render(<TemplateDetailView id={3} />);
    const mapping = await screen.findByRole("form", { name: "Variable mapping" });
    await u.selectOptions(within(mapping).getByLabelText("Body {{1}} comes from"), "first_name");
    await u.type(within(mapping).getByLabelText("Body {{1}} fallback"), "there");
    await waitFor(() => expect(within(mapping).getAllByRole("option", { name: "Attribute: Order id" })).toHaveLength(2));
    await u.selectOptions(within(mapping).getByLabelText("Body {{2}} comes from"), "attributes.order_id");
    await u.click(within(mapping).getByRole("button", { name: "Save mapping" }));
    await waitFor(() => expect(api.history.put).toHaveLength(1));
    expect(JSON.parse(api.history.put[0]!.data as string)).toEqual({
      body: [
        { field: "first_name", value: "", fallback: "there" },
        { field: "attributes.order_id", value: "", fallback: "" },
      ],
    });
  });

  it("deletes every language of the name after asking which", async () => {
    const u = userEvent.setup();
    api.onDelete("/api/templates/3/").reply(204);
    render(<TemplateDetailView id={3} />);
    await u.click(await screen.findByRole("button", { name: "Delete…" }));
    const dialog = screen.getByRole("dialog");
    await u.click(within(dialog).getByRole("radio", { name: "All languages" }));
    await u.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/templates"));
    expect(api.history.delete[0]!.url).toBe("/api/templates/3/?all_languages=true");
  });

  it("shows agents the template without edit, delete or mapping controls", async () => {
    user = testUser("agent");
    render(<TemplateDetailView id={3} />);
    expect(await screen.findByRole("heading", { name: "order_shipped" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Edit" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Delete…" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Acknowledge" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Save mapping" })).toBeNull();
  });
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as api from "@/lib/api/contacts";
import type { AttributeDefinition, Contact, Role } from "@/lib/api/types";
import { capabilitiesOf } from "@/lib/testing/users";
import { ContactDrawer } from "./ContactDrawer";
import { renderWithQuery as render } from "@/lib/query/testing";

vi.mock("@/lib/api/contacts", () => ({
  getContact: vi.fn(),
  listConsentEvents: vi.fn(),
  updateContact: vi.fn(),
  recordConsent: vi.fn(),
  eraseContact: vi.fn(),
  deleteContact: vi.fn(),
  exportContactData: vi.fn(),
  mergeContacts: vi.fn(),
  listContacts: vi.fn(),
}));

const CONTACT: Contact = {
  id: 42,
  phone: "+919876543210",
  wa_user_id: null,
  wa_id: "",
  name: "Ravi Kumar",
  email: "ravi@example.com",
  language: "en",
  tags: ["vip"],
  attributes: { city: "Pune", spend: 1200, vip_since: "2024-01-31", newsletter: true, tier: "Gold" },
  consent: { marketing: "opted_in", utility: "unknown" },
  first_seen_at: "2026-01-05T10:00:00Z",
  last_seen_at: null,
  last_inbound_at: null,
  last_outbound_at: null,
  created_at: "2026-01-05T10:00:00Z",
  updated_at: "2026-01-05T10:00:00Z",
};

const def = (key: string, label: string, type: AttributeDefinition["type"], choices: string[] = []): AttributeDefinition => ({
  id: key.length,
  key,
  label,
  type,
  choices,
  created_at: "",
  updated_at: "",
});

const DEFINITIONS = [
  def("city", "City", "text"),
  def("spend", "Spend", "number"),
  def("vip_since", "VIP since", "date"),
  def("newsletter", "Newsletter", "boolean"),
  def("tier", "Tier", "choice", ["Gold", "Silver"]),
];

const ADMIN_ONLY = ["Export data (JSON)", "Merge with another contact", "Delete", "Erase personal data"];

function renderDrawer(role: Role) {
  return render(
    <ContactDrawer
      contact={CONTACT}
      canManage={capabilitiesOf(role).manage_contacts}
      definitions={DEFINITIONS}
      region="IN"
      onUpdated={vi.fn()}
      onRemoved={vi.fn()}
      onMerged={vi.fn()}
      onClose={vi.fn()}
    />,
  );
}

describe("ContactDrawer", () => {
  beforeEach(() => {
    vi.mocked(api.getContact).mockResolvedValue(CONTACT);
    vi.mocked(api.listConsentEvents).mockResolvedValue({
      next: null,
      results: [
        {
          id: 2,
          category: "marketing",
          action: "opt_in",
          source: "checkout",
          proof: "Ticked the WhatsApp box",
          keyword: "",
          actor_email: "owner@acme.test",
          occurred_at: "2026-02-01T10:00:00Z",
          created_at: "2026-02-01T10:00:00Z",
        },
      ],
    });
  });

  it("hides the owner/admin actions from agents but lets them edit and record consent", async () => {
    renderDrawer("agent");
    expect(await screen.findByText("Ticked the WhatsApp box")).toBeDefined();

    for (const name of ADMIN_ONLY) expect(screen.queryByRole("button", { name })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Data and privacy" })).toBeNull();
    // What agents may do is there.
    expect(screen.getByRole("button", { name: "Save profile" })).toBeDefined();
    expect(screen.getByRole("button", { name: "Record opt-in or opt-out" })).toBeDefined();
    expect(screen.getByRole("link", { name: "Open conversation" }).getAttribute("href")).toBe("/inbox?contact=42");
  });

  it.each<Role>(["owner", "admin"])("shows export, merge, delete and erase to an %s", async (role) => {
    renderDrawer(role);
    expect(await screen.findByText("Ticked the WhatsApp box")).toBeDefined();
    for (const name of ADMIN_ONLY) expect(screen.getByRole("button", { name })).toBeDefined();
  });

  it("asks to type ERASE before erasing", { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    vi.mocked(api.eraseContact).mockResolvedValue({ id: 42, erased_at: "2026-05-01T00:00:00Z" });
    renderDrawer("owner");
    await user.click(await screen.findByRole("button", { name: "Erase personal data" }));
    const erase = screen.getByRole("button", { name: "Erase for good" }) as HTMLButtonElement;
    expect(erase.disabled).toBe(true);
    await user.type(screen.getByLabelText(/Type ERASE to confirm/), "ERASE");
    expect(erase.disabled).toBe(false);
    await user.click(erase);
    expect(api.eraseContact).toHaveBeenCalledWith(42);
  });

  it("renders each attribute with the input its type needs", async () => {
    renderDrawer("agent");
    const form = await screen.findByRole("form", { name: "Attributes" });
    const city = within(form).getByLabelText("City") as HTMLInputElement;
    expect([city.tagName, city.type, city.value]).toEqual(["INPUT", "text", "Pune"]);
    const spend = within(form).getByLabelText("Spend") as HTMLInputElement;
    expect([spend.inputMode, spend.value]).toEqual(["decimal", "1200"]);
    const since = within(form).getByLabelText("VIP since") as HTMLInputElement;
    expect([since.type, since.value]).toEqual(["date", "2024-01-31"]);
    const newsletter = within(form).getByLabelText("Newsletter") as HTMLSelectElement;
    expect([newsletter.tagName, newsletter.value]).toEqual(["SELECT", "true"]);
    const tier = within(form).getByLabelText("Tier") as HTMLSelectElement;
    expect(Array.from(tier.options).map((o) => o.value)).toEqual(["", "Gold", "Silver"]);
  });

  it("saves only the changed attributes, typed", { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    vi.mocked(api.updateContact).mockResolvedValue({ ...CONTACT, attributes: { ...CONTACT.attributes, spend: 99.5, newsletter: false } });
    renderDrawer("agent");
    const form = await screen.findByRole("form", { name: "Attributes" });
    await user.clear(within(form).getByLabelText("Spend"));
    await user.type(within(form).getByLabelText("Spend"), "99.5");
    await user.selectOptions(within(form).getByLabelText("Newsletter"), "false");
    await user.selectOptions(within(form).getByLabelText("Tier"), "");
    await user.click(within(form).getByRole("button", { name: "Save attributes" }));
    expect(api.updateContact).toHaveBeenCalledWith(42, { attributes: { spend: 99.5, newsletter: false, tier: null } });
  });
});

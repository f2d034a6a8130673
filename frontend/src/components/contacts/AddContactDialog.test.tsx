import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as api from "@/lib/api/contacts";
import { ApiError } from "@/lib/apiClient";
import { AddContactDialog } from "./AddContactDialog";

vi.mock("@/lib/api/contacts", () => ({ createContact: vi.fn() }));

describe("AddContactDialog", () => {
  beforeEach(() => {
    vi.mocked(api.createContact).mockReset();
  });

  it("says how a national number is read (the business's default country)", () => {
    render(<AddContactDialog region="IN" manager onCreated={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByText(/or a national number of India \(\+91\), the default country/)).toBeDefined();
  });

  it("asks for + and the country code when no default country is set", () => {
    render(<AddContactDialog region="" manager={false} onCreated={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByText(/Start with \+ and the country code: no default country is set/)).toBeDefined();
  });

  it("puts the envelope's field errors under their inputs", async () => {
    const user = userEvent.setup();
    vi.mocked(api.createContact).mockImplementation(async () => {
      throw new ApiError(400, "validation_error", "Invalid input.", { phone: ["Not a valid number for IN."], email: ["Not an email address."] });
    });
    const onCreated = vi.fn();
    render(<AddContactDialog region="IN" manager onCreated={onCreated} onClose={vi.fn()} />);
    await user.type(screen.getByLabelText("Phone"), "12345");
    await user.type(screen.getByLabelText("Email"), "nope");
    await user.click(screen.getByRole("button", { name: "Add contact" }));

    expect(await screen.findByText("Not a valid number for IN.")).toBeDefined();
    expect(screen.getByText("Not an email address.")).toBeDefined();
    expect(screen.getByLabelText("Phone").getAttribute("aria-invalid")).toBe("true");
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("sends the typed contact with clean tags and hands back the created one", async () => {
    const user = userEvent.setup();
    const created = { id: 9, name: "Ann" } as Awaited<ReturnType<typeof api.createContact>>;
    vi.mocked(api.createContact).mockResolvedValue(created);
    const onCreated = vi.fn();
    render(<AddContactDialog region="IN" manager onCreated={onCreated} onClose={vi.fn()} />);
    await user.type(screen.getByLabelText("Phone"), "098765 43210");
    await user.type(screen.getByLabelText("Name"), "Ann");
    await user.type(screen.getByLabelText("Tags"), "VIP, walk-in");
    await user.click(screen.getByRole("button", { name: "Add contact" }));
    expect(api.createContact).toHaveBeenCalledWith({ phone: "098765 43210", name: "Ann", email: "", language: "", tags: ["vip", "walk-in"] });
    expect(onCreated).toHaveBeenCalledWith(created);
  });
});

import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { PartnerRole } from "@/lib/api/types";
import { partnerKeys } from "@/lib/query/keys";
import { renderWithQuery } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { NewBusinessForm } from "./NewBusinessForm";
import { PartnerSessionContextProvider } from "./PartnerSessionProvider";
import { business, envelope, partnerSession } from "./testData";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));

let api: MockApi;
beforeEach(() => {
  api = mockApi();
  push.mockReset();
});
afterEach(() => api.restore());

function render(role: PartnerRole = "admin") {
  return renderWithQuery(
    <PartnerSessionContextProvider session={partnerSession(role)}>
      <NewBusinessForm domain="localhost:3000" />
    </PartnerSessionContextProvider>,
  );
}

describe("NewBusinessForm", () => {
  it("suggests the address from the name, creates the business and opens its page", async () => {
    api.onPost("/api/partners/businesses/").reply(201, business({ id: 12, name: "Café Ñandú" }));
    const user = userEvent.setup();
    const { client } = render();

    await user.type(screen.getByLabelText("Business name"), "Café Ñandú");
    expect((screen.getByLabelText("Address") as HTMLInputElement).value).toBe("cafe-nandu");
    expect(screen.getByText("cafe-nandu")).toBeDefined(); // the hint: cafe-nandu.localhost:3000
    await user.type(screen.getByLabelText("Owner's email"), "owner@cafe.test");
    await user.click(screen.getByRole("button", { name: "Create business" }));

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ business_name: "Café Ñandú", slug: "cafe-nandu", owner_email: "owner@cafe.test" });
    expect(push).toHaveBeenCalledWith("/partners/businesses/12");
    expect(client.getQueryData(partnerKeys.business(12))).toMatchObject({ id: 12 });
  });

  it("shows the server's refusals under the fields they are about", async () => {
    api.onPost("/api/partners/businesses/").reply(
      400,
      envelope("validation_error", "Some input is invalid.", { slug: ["This address is already taken."], owner_email: ["Enter a valid email address."] }),
    );
    const user = userEvent.setup();
    render();

    await user.type(screen.getByLabelText("Business name"), "Bakery");
    await user.type(screen.getByLabelText("Owner's email"), "nope");
    await user.click(screen.getByRole("button", { name: "Create business" }));

    const slug = screen.getByLabelText("Address");
    expect(await screen.findByText("This address is already taken.")).toBeDefined();
    expect(slug.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(slug.getAttribute("aria-describedby")!)?.textContent).toBe("This address is already taken.");
    expect(screen.getByText("Enter a valid email address.")).toBeDefined();
    // Explained at the fields: nothing on top.
    expect(screen.queryByText("Some input is invalid.")).toBeNull();
    expect(push).not.toHaveBeenCalled();

    // Editing the address clears its error.
    await user.type(slug, "-two");
    expect(screen.queryByText("This address is already taken.")).toBeNull();
  });

  it("is not offered to support", () => {
    render("support");
    expect(screen.getByRole("heading", { name: "Only reseller admins create businesses" })).toBeDefined();
    expect(screen.queryByRole("button", { name: "Create business" })).toBeNull();
  });
});

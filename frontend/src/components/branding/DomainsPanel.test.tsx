import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { DomainsApi } from "@/lib/api/domains";
import type { CustomDomain } from "@/lib/api/types";
import { ApiError } from "@/lib/apiClient";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { DomainsPanel } from "./DomainsPanel";

const domain = (overrides: Partial<CustomDomain>): CustomDomain => ({
  id: 1,
  domain: "chat.acme.test",
  status: "pending",
  txt_name: "_convonest.chat.acme.test",
  txt_value: "convonest-verify=0123abcd",
  created_at: "2026-12-01T10:00:00Z",
  verified_at: null,
  last_checked_at: null,
  last_error: "",
  ...overrides,
});

const PENDING = domain({});
const VERIFIED = domain({ id: 2, domain: "www.acme.test", status: "verified", txt_name: "_convonest.www.acme.test", verified_at: "2026-12-02T09:00:00Z" });

function fakeApi(initial: CustomDomain[]) {
  return {
    list: vi.fn<DomainsApi["list"]>().mockResolvedValue(initial),
    create: vi.fn<DomainsApi["create"]>(),
    verify: vi.fn<DomainsApi["verify"]>(),
    remove: vi.fn<DomainsApi["remove"]>().mockResolvedValue(undefined),
  } satisfies DomainsApi;
}

describe("DomainsPanel", () => {
  it("lists domains with their status, the TXT record to add and where to point the domain, with copy buttons", async () => {
    const user = userEvent.setup();
    render(<DomainsPanel scope="business" canManage api={fakeApi([PENDING, VERIFIED])} target="acme.convonest.test" />);

    const pending = await screen.findByRole("listitem", { name: "chat.acme.test" });
    expect(within(pending).getByText("Waiting for DNS")).toBeDefined();
    expect(within(pending).getByText("_convonest.chat.acme.test")).toBeDefined();
    expect(within(pending).getByText("convonest-verify=0123abcd")).toBeDefined();
    expect(within(pending).getByText(/Point the domain at this app's address/)).toBeDefined();
    expect(within(pending).getByText("CNAME")).toBeDefined();
    expect(within(pending).getAllByText("acme.convonest.test").length).toBeGreaterThan(0);
    expect(within(pending).getByText(/A bare domain/)).toBeDefined();

    const verified = screen.getByRole("listitem", { name: "www.acme.test" });
    expect(within(verified).getByText("Verified")).toBeDefined();
    expect(within(verified).queryByText("_convonest.www.acme.test")).toBeNull();
    expect(within(verified).queryByRole("button", { name: /Check DNS now/ })).toBeNull();

    await user.click(within(pending).getByRole("button", { name: "Copy TXT record value convonest-verify=0123abcd" }));
    expect(await navigator.clipboard.readText()).toBe("convonest-verify=0123abcd");
    expect(within(pending).getByText("Copied")).toBeDefined();
    await user.click(within(pending).getByRole("button", { name: "Copy TXT record name _convonest.chat.acme.test" }));
    expect(await navigator.clipboard.readText()).toBe("_convonest.chat.acme.test");
  });

  it("shows an empty state, the refusal at the field, and the added domain with its records", async () => {
    const user = userEvent.setup();
    const api = fakeApi([]);
    api.create
      .mockRejectedValueOnce(new ApiError(400, "validation_error", "Invalid input.", { domain: ["This domain is already claimed."] }))
      .mockResolvedValueOnce(domain({ id: 9, domain: "help.acme.test", txt_name: "_convonest.help.acme.test" }));
    render(<DomainsPanel scope="business" canManage api={api} target="acme.convonest.test" />);

    expect(await screen.findByText(/No custom domain yet/)).toBeDefined();
    const input = screen.getByLabelText("Domain");
    await user.type(input, " taken.acme.test ");
    await user.click(screen.getByRole("button", { name: "Add domain" }));

    expect(api.create).toHaveBeenCalledWith("taken.acme.test");
    expect(await screen.findByText("This domain is already claimed.")).toBeDefined();
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toBe(screen.getByText("This domain is already claimed.").id);

    await user.clear(input);
    await user.type(input, "help.acme.test");
    await user.click(screen.getByRole("button", { name: "Add domain" }));

    const added = await screen.findByRole("listitem", { name: "help.acme.test" });
    expect(within(added).getByText("_convonest.help.acme.test")).toBeDefined();
    expect((input as HTMLInputElement).value).toBe("");
    expect(screen.queryByText(/No custom domain yet/)).toBeNull();
  });

  it("checks DNS now: says why the record wasn't found, then shows the domain verified", async () => {
    const user = userEvent.setup();
    const api = fakeApi([PENDING]);
    const notYet = "The TXT record at _convonest.chat.acme.test does not hold convonest-verify=0123abcd yet. DNS changes can take a while to show.";
    api.verify
      .mockResolvedValueOnce({ ...PENDING, last_checked_at: "2026-12-03T08:00:00Z", last_error: notYet })
      .mockResolvedValueOnce({ ...PENDING, status: "verified", verified_at: "2026-12-03T08:05:00Z", last_checked_at: "2026-12-03T08:05:00Z" });
    render(<DomainsPanel scope="business" canManage api={api} target="acme.convonest.test" />);

    await user.click(await screen.findByRole("button", { name: "Check DNS now for chat.acme.test" }));
    expect(api.verify).toHaveBeenCalledWith(1);
    expect(await screen.findByText(notYet)).toBeDefined();

    await user.click(screen.getByRole("button", { name: "Check DNS now for chat.acme.test" }));
    const item = screen.getByRole("listitem", { name: "chat.acme.test" });
    expect(await within(item).findByText("Verified")).toBeDefined();
    expect(within(item).queryByText(notYet)).toBeNull();
    expect(within(item).queryByRole("button", { name: /Check DNS now/ })).toBeNull();
  });

  it("removes only after confirming, and shows a refusal in the item", async () => {
    const user = userEvent.setup();
    const api = fakeApi([PENDING, VERIFIED]);
    api.remove.mockRejectedValueOnce(new ApiError(409, "primary_domain", "This domain is the business's primary address.")).mockResolvedValueOnce(undefined);
    render(<DomainsPanel scope="business" canManage api={api} target="acme.convonest.test" />);

    await user.click(await screen.findByRole("button", { name: "Remove www.acme.test" }));
    expect(api.remove).not.toHaveBeenCalled();
    const dialog = screen.getByRole("alertdialog", { name: "Remove www.acme.test?" });
    await user.click(within(dialog).getByRole("button", { name: "Confirm remove" }));
    expect(api.remove).toHaveBeenCalledWith(2);
    expect((await screen.findByRole("alert")).textContent).toBe("This domain is the business's primary address.");

    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Confirm remove" }));
    await waitFor(() => expect(screen.queryByRole("listitem", { name: "www.acme.test" })).toBeNull());
    expect(screen.getByRole("listitem", { name: "chat.acme.test" })).toBeDefined();
  });

  it("is read-only without the capability: records shown, no add, check or remove", async () => {
    render(<DomainsPanel scope="console" canManage={false} api={fakeApi([PENDING, VERIFIED])} target="partners.convonest.test" />);

    expect(await screen.findByText("convonest-verify=0123abcd")).toBeDefined();
    expect(screen.getByText(/Only your reseller's admins can add or remove domains/)).toBeDefined();
    expect(screen.queryByRole("form", { name: "Add a domain" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Check DNS now|Remove/ })).toBeNull();
  });

  it("says so when the list can't be loaded", async () => {
    const api = fakeApi([]);
    api.list.mockRejectedValue(new ApiError(403, "permission_denied", "You don't have permission to do this."));
    render(<DomainsPanel scope="business" canManage api={api} />);

    expect(await screen.findByText("You don't have permission to do this.")).toBeDefined();
  });
});

describe("DomainsPanel scopes", () => {
  let http: MockApi;
  beforeEach(() => {
    http = mockApi();
  });
  afterEach(() => http.restore());

  it("manages the business's domains on its host", async () => {
    http.onGet("/api/domains/").reply(200, [PENDING]);
    http.onPost("/api/domains/1/verify/").reply(200, { ...PENDING, last_error: "_convonest.chat.acme.test has no TXT record yet." });
    const user = userEvent.setup();
    render(<DomainsPanel scope="business" canManage />);

    await user.click(await screen.findByRole("button", { name: "Check DNS now for chat.acme.test" }));
    expect(await screen.findByText("_convonest.chat.acme.test has no TXT record yet.")).toBeDefined();
    // Where to point it: this page's own address by default.
    expect(screen.getAllByText(window.location.hostname).length).toBeGreaterThan(0);
  });

  it("manages the reseller's console domains on the console", async () => {
    http.onGet("/api/partners/domains/").reply(200, []);
    http.onPost("/api/partners/domains/").reply(201, domain({ id: 4, domain: "partners.northwind.test", txt_name: "_convonest.partners.northwind.test" }));
    const user = userEvent.setup();
    render(<DomainsPanel scope="console" canManage />);

    await user.type(await screen.findByLabelText("Domain"), "partners.northwind.test");
    await user.click(screen.getByRole("button", { name: "Add domain" }));

    expect(await screen.findByRole("listitem", { name: "partners.northwind.test" })).toBeDefined();
    expect(JSON.parse(http.history.post[0]!.data as string)).toEqual({ domain: "partners.northwind.test" });
  });
});

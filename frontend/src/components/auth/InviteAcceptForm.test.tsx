import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { InviteAcceptForm } from "./InviteAcceptForm";

const INFO = { email: "new@acme.test", role: "agent", tenant: { slug: "acme", name: "Acme" }, needs_password: true };

let mock: MockApi;
beforeEach(() => {
  mock = mockApi();
  window.history.replaceState(null, "", "/invite/accept");
});
afterEach(() => mock.restore());

describe("InviteAcceptForm", () => {
  it("reads the token from the link's fragment and looks the invitation up with a POST, never in a URL", async () => {
    window.history.replaceState(null, "", "/invite/accept#token=s3cret-t0ken");
    mock.onPost("/api/team/invites/lookup/").reply(200, INFO);

    render(<InviteAcceptForm />);

    expect(await screen.findByText("new@acme.test")).toBeDefined();
    expect(mock.history.get).toHaveLength(0);
    expect(mock.history.post).toHaveLength(1);
    expect(mock.history.post[0]?.url).toBe("/api/team/invites/lookup/");
    expect(mock.history.post[0]?.params).toBeUndefined();
    expect(JSON.parse(mock.history.post[0]?.data as string)).toEqual({ token: "s3cret-t0ken" });
  });

  it("still opens a link mailed with ?token= before the change", async () => {
    mock.onPost("/api/team/invites/lookup/").reply(200, INFO);

    render(<InviteAcceptForm queryToken="old-link-token" />);

    expect(await screen.findByText("new@acme.test")).toBeDefined();
    expect(JSON.parse(mock.history.post[0]?.data as string)).toEqual({ token: "old-link-token" });
  });

  it("says the link is incomplete when it has no token", async () => {
    render(<InviteAcceptForm />);

    expect(await screen.findByText("This invitation link is incomplete.")).toBeDefined();
    expect(mock.history.post).toHaveLength(0);
  });

  it("joins with the token in the body and offers a reset to someone who forgot their existing login", async () => {
    window.history.replaceState(null, "", "/invite/accept#token=s3cret-t0ken");
    mock.onPost("/api/team/invites/lookup/").reply(200, { ...INFO, needs_password: false });
    mock.onPost("/api/team/invites/accept/").reply(200, { user: { id: 1 } });
    const replace = vi.fn();
    vi.spyOn(window, "location", "get").mockReturnValue({ ...window.location, hash: "#token=s3cret-t0ken", replace });
    const user = userEvent.setup();

    render(<InviteAcceptForm />);
    expect((await screen.findByRole("link", { name: "Forgot it?" })).getAttribute("href")).toBe("/reset-password");
    await user.type(screen.getByLabelText("Your ConvoNest password"), "my-old-password");
    await user.click(screen.getByRole("button", { name: "Join Acme" }));

    await waitFor(() => expect(replace).toHaveBeenCalledWith("/dashboard"));
    const accept = mock.history.post.find((request) => request.url === "/api/team/invites/accept/");
    expect(JSON.parse(accept?.data as string)).toEqual({ token: "s3cret-t0ken", password: "my-old-password" });
  });
});

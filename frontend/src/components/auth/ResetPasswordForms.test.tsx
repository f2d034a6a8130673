import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { ResetPassword } from "./ResetPasswordForms";

let mock: MockApi;
beforeEach(() => {
  mock = mockApi();
  window.history.replaceState(null, "", "/reset-password");
});
afterEach(() => mock.restore());

async function choosePassword() {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("New password"), "fresh-start-pass-8");
  await user.type(screen.getByLabelText("Repeat the new password"), "fresh-start-pass-8");
  await user.click(screen.getByRole("button", { name: "Set new password" }));
}

describe("ResetPassword", () => {
  it("takes uid and token from the link's fragment and confirms with them in the body", async () => {
    window.history.replaceState(null, "", "/reset-password#uid=MQ&token=abc-123");
    mock.onPost("/api/auth/password/reset/confirm/").reply(200, { detail: "ok" });

    render(<ResetPassword />);
    expect(await screen.findByRole("heading", { name: "Choose a new password" })).toBeDefined();
    await choosePassword();

    expect(await screen.findByText(/Your password has been changed/)).toBeDefined();
    expect(JSON.parse(mock.history.post[0]?.data as string)).toEqual({
      uid: "MQ", token: "abc-123", new_password1: "fresh-start-pass-8", new_password2: "fresh-start-pass-8",
    });
  });

  it("still accepts a link mailed with ?uid=&token= before the change", async () => {
    mock.onPost("/api/auth/password/reset/confirm/").reply(200, { detail: "ok" });

    render(<ResetPassword query={{ uid: "Mg", token: "old-token" }} />);
    await choosePassword();

    await waitFor(() => expect(mock.history.post).toHaveLength(1));
    expect(JSON.parse(mock.history.post[0]?.data as string)).toMatchObject({ uid: "Mg", token: "old-token" });
  });

  it("asks for a link when there is none, and answers the same for any address", async () => {
    mock.onPost("/api/auth/password/reset/").reply(200, { detail: "sent" });
    const user = userEvent.setup();

    render(<ResetPassword />);
    await user.type(await screen.findByLabelText("Email"), "someone@acme.test");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("status")).toHaveProperty("textContent", expect.stringContaining("a link to choose a new password is on its way"));
    expect(JSON.parse(mock.history.post[0]?.data as string)).toEqual({ email: "someone@acme.test" });
  });
});

import { act, render, renderHook, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { Alert, Button, TextField } from "@/components/ui";
import { ApiError, apiErrorFromBody } from "@/lib/apiClient";
import { useApiForm } from "./useApiForm";

const invalid = (errors: Record<string, string[]>, message = "Some fields are invalid.") =>
  new ApiError(400, "validation_error", message, errors);

function Form({ submit, onSuccess }: { submit: (values: { email: string; name: string }) => Promise<unknown>; onSuccess?: () => void }) {
  const form = useApiForm({ initial: { email: "", name: "" }, submit, onSuccess, fields: ["email"] });
  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Test form">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      {form.done ? <Alert tone="success">Saved.</Alert> : null}
      <TextField label="Email" {...form.bind("email")} />
      <Button type="submit" loading={form.submitting}>
        Save
      </Button>
    </form>
  );
}

describe("useApiForm", () => {
  it("submits the bound values and says when it is done", async () => {
    const submit = vi.fn().mockResolvedValue({ id: 1 });
    const onSuccess = vi.fn();
    render(<Form submit={submit} onSuccess={onSuccess} />);

    await userEvent.type(screen.getByLabelText("Email"), "a@b.test");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(submit).toHaveBeenCalledWith({ email: "a@b.test", name: "" });
    expect(onSuccess).toHaveBeenCalledWith({ id: 1 }, expect.objectContaining({ values: { email: "a@b.test", name: "" } }));
    expect(await screen.findByText("Saved.")).toBeDefined();
    expect(screen.getByRole("button", { name: "Save" })).toHaveProperty("disabled", false);
  });

  it("puts a field's error under its input, not on top", async () => {
    render(<Form submit={() => Promise.reject(invalid({ email: ["Enter a valid email address."] }))} />);

    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Enter a valid email address.")).toBeDefined();
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows on top what no shown field explains: non-field errors, a field the form lacks, a throttle", async () => {
    const submit = vi
      .fn()
      .mockRejectedValueOnce(invalid({ non_field_errors: ["The passwords don't match."] }, "The passwords don't match."))
      .mockRejectedValueOnce(invalid({ name: ["Too long."] }))
      .mockRejectedValueOnce(new ApiError(429, "throttled", "Too many attempts."));
    render(<Form submit={submit} />);
    const save = screen.getByRole("button", { name: "Save" });

    await userEvent.click(save);
    expect((await screen.findByRole("alert")).textContent).toContain("The passwords don't match.");
    await userEvent.click(save);
    expect((await screen.findByRole("alert")).textContent).toContain("Some fields are invalid.");
    await userEvent.click(save);
    expect((await screen.findByRole("alert")).textContent).toContain("Too many attempts.");
  });

  it("turns anything thrown into an ApiError", async () => {
    const { result } = renderHook(() => useApiForm({ initial: { q: "" }, submit: () => Promise.reject(new Error("boom")) }));

    await act(() => result.current.onSubmit());

    expect(result.current.error).toBeInstanceOf(ApiError);
    expect(result.current.generalError).toBe("boom");
    expect(result.current.done).toBe(false);
  });

  it("lets the error handler change the values (a secret is not left in the page)", async () => {
    const { result } = renderHook(() =>
      useApiForm({
        initial: { id: "", token: "" },
        submit: () => Promise.reject(invalid({ id: ["Unknown."] })),
        onError: (_error, form) => form.setValues((v) => ({ ...v, token: "" })),
      }),
    );
    act(() => {
      result.current.setValue("id", "42");
      result.current.setValue("token", "secret");
    });

    await act(() => result.current.onSubmit());

    expect(result.current.values).toEqual({ id: "42", token: "" });
    expect(result.current.fieldError("id")).toBe("Unknown.");
    expect(result.current.generalError).toBeNull();
  });

  it("can hide a field's error once it is edited", async () => {
    const { result } = renderHook(() =>
      useApiForm({ initial: { slug: "", email: "" }, clearErrorOnChange: true, submit: () => Promise.reject(invalid({ slug: ["Taken."], email: ["Bad."] })) }),
    );
    await act(() => result.current.onSubmit());

    act(() => result.current.bind("slug").onChange({ target: { value: "acme" } }));

    expect(result.current.fieldError("slug")).toBeUndefined();
    expect(result.current.fieldError("email")).toBe("Bad.");
    act(() => result.current.bind("email").onChange({ target: { value: "a@b.test" } }));
    expect(result.current.generalError).toBeNull(); // the failure was about fields: it doesn't move on top

  });

  it("stays busy after a success that navigates away, and resets on request", async () => {
    const { result } = renderHook(() =>
      useApiForm({ initial: { email: "" }, busyAfterSuccess: true, submit: () => Promise.resolve("ok"), onSuccess: (_r, form) => form.reset() }),
    );
    act(() => result.current.setValue("email", "a@b.test"));

    await act(() => result.current.onSubmit());

    expect(result.current.submitting).toBe(true);
    expect(result.current.result).toBe("ok");
    expect(result.current.values).toEqual({ email: "" });
  });
});

describe("useApiForm and billing refusals", () => {
  it.each([
    [
      apiErrorFromBody(402, {
        code: "plan_limit",
        message: "Your Trial plan allows 3 team seats (members and pending invitations); you have 3 and this adds 1. Upgrade to Starter in Settings → Billing.",
        errors: { limit: ["seats"], usage: ["3"], maximum: ["3"], adding: ["1"], upgrade_url: ["/settings/billing"], upgrade_plan: ["starter"] },
      }),
      "Upgrade to Starter in Settings → Billing.",
    ],
    [
      apiErrorFromBody(402, {
        code: "read_only",
        message: "This business is read-only since 1 Dec 2026: payments stopped. Nothing is lost and incoming messages are still stored; an owner can pay in Settings → Billing to resume.",
        errors: { upgrade_url: ["/settings/billing"] },
      }),
      "an owner can pay in Settings → Billing to resume.",
    ],
  ])("shows a 402 %# refusal's own message on top (its details are not field errors of the form)", async (error, ending) => {
    render(<Form submit={() => Promise.reject(error)} />);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(error.message);
    expect(alert.textContent?.endsWith(ending)).toBe(true);
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).not.toBe("true");
    expect(error.fieldErrors).toEqual({});
  });
});

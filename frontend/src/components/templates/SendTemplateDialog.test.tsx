import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { sendTemplate, type TemplateParameters } from "@/lib/api/templates";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi, type MockRequest } from "@/lib/testing/mockApi";
import { SendTemplateDialog } from "./SendTemplateDialog";
import { template, templatePreview } from "./testData";

const ORDER = template({
  id: 3,
  components: [
    { type: "BODY", text: "Hi {{1}}, your order {{2}} has shipped." },
    { type: "BUTTONS", buttons: [{ type: "URL", text: "Track", url: "https://shop.test/t/{{1}}" }] },
  ],
  variables: { header: [], body: ["1", "2"], buttons: [{ index: 0, names: ["1"] }], cards: [], limited_time_offer: [] },
});

let api: MockApi;

function preview(request: MockRequest): [number, unknown] {
  const body = JSON.parse(request.data as string) as { contact_id?: number; parameters?: TemplateParameters };
  if (body.contact_id === 70) {
    // The saved mapping: {{1}} ← first name; {{2}} and the URL ← an attribute Alice lacks (no fallback).
    return [
      200,
      templatePreview(
        { body: "Hi Alice, your order {{2}} has shipped.", buttons: [{ type: "URL", text: "Track", url: "https://shop.test/t/{{1}}", phone_number: null, code: null, payload: null }] },
        { name: "order_shipped", components: [{ type: "body", parameters: [{ type: "text", text: "Alice" }] }] },
        [{ field: "parameters.body[1]", message: "{{2}} needs a value." }],
      ),
    ];
  }
  const values = (body.parameters?.body ?? []) as string[];
  return [200, templatePreview({ body: `Hi ${values[0]}, your order ${values[1] || "{{2}}"} has shipped.` })];
}

beforeEach(() => {
  api = mockApi();
  api.onGet("/api/contacts/").reply(200, { next: null, previous: null, results: [{ id: 70, name: "Alice", phone: "+16505550101" }] });
  api.onPost("/api/templates/3/preview/").reply(preview);
});

afterEach(() => api.restore());

describe("SendTemplateDialog (the mapping dialog)", { timeout: 20_000 }, () => {
  it("finds the contact by phone, prefills from the mapping, shows what is missing, and sends the typed values", async () => {
    const user = userEvent.setup();
    api.onPost("/api/messages/template/").replyOnce(400, {
      code: "template_parameters",
      message: "Template parameters are missing or invalid.",
      errors: { "parameters.buttons[0]": ["The link's ending is required."] },
    });
    api.onPost("/api/messages/template/").reply(202, { id: "m1", status: "queued" });
    const onSent = vi.fn();
    render(
      <SendTemplateDialog
        template={ORDER}
        to="+16505550101"
        onSend={(parameters) => sendTemplate({ template_id: 3, to: "+16505550101", parameters })}
        onSent={onSent}
        onClose={vi.fn()}
      />,
    );
    const dialog = await screen.findByRole("dialog");
    expect(api.history.get[0]!.params).toMatchObject({ q: "+16505550101" });
    await waitFor(() => expect((within(dialog).getByLabelText("Body {{1}}") as HTMLInputElement).value).toBe("Alice"));
    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ contact_id: 70 });
    // The mapping's problem shows at the variable it names.
    expect(within(dialog).getByText("{{2}} needs a value.")).toBeTruthy();
    expect(within(dialog).getByTestId("preview-body").textContent).toBe("Hi Alice, your order {{2}} has shipped.");

    await user.type(within(dialog).getByLabelText("Body {{2}}"), "A-1");
    await waitFor(() => expect(within(dialog).getByTestId("preview-body").textContent).toBe("Hi Alice, your order A-1 has shipped."));
    await user.click(within(dialog).getByRole("button", { name: "Send template" }));
    // The server's error keyed `parameters.buttons[0]` lands at the button's variable.
    expect(await within(dialog).findByText("The link's ending is required.")).toBeTruthy();
    expect(onSent).not.toHaveBeenCalled();

    await user.type(within(dialog).getByLabelText("Button 1 {{1}}"), "A-1");
    await user.click(within(dialog).getByRole("button", { name: "Send template" }));
    await waitFor(() => expect(onSent).toHaveBeenCalledWith({ id: "m1", status: "queued" }));
    const sent = api.history.post.filter((r) => r.url === "/api/messages/template/").map((r) => JSON.parse(r.data as string) as unknown);
    expect(sent[1]).toEqual({
      template_id: 3,
      to: "+16505550101",
      parameters: { body: ["Alice", "A-1"], buttons: [{ index: 0, value: "A-1" }] },
    });
  });
});

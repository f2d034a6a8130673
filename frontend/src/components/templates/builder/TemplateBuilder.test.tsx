import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { TemplateCreate } from "@/lib/api/templates";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi, type MockRequest } from "@/lib/testing/mockApi";
import { testUser } from "@/lib/testing/users";
import { draftPreview, template } from "../testData";
import { fromTemplate } from "./model";
import { TemplateBuilder } from "./TemplateBuilder";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));
vi.mock("@/components/app/SessionProvider", () => ({ useSession: () => ({ user: testUser("owner") }) }));

let api: MockApi;

type Component = { type: string; text?: string; example?: { body_text?: string[][] }; buttons?: unknown[] };

/** A stand-in for the server's draft check: a body variable without an example is a problem at `components[i].text`. */
function preview(request: MockRequest): [number, unknown] {
  const draft = JSON.parse(request.data as string) as TemplateCreate;
  const components = draft.components as Component[];
  const problems: { field: string; message: string }[] = [];
  if (!draft.name) problems.push({ field: "name", message: "A name is required." });
  const index = components.findIndex((c) => c.type === "BODY");
  const body = components[index]!;
  const examples = body.example?.body_text?.[0] ?? [];
  const text = (body.text ?? "").replace(/\{\{(\d+)\}\}/g, (_, n: string) => {
    const example = examples[Number(n) - 1];
    if (!example) problems.push({ field: `components[${index}].text`, message: `variable {{${n}}} has no example` });
    return example || `{{${n}}}`;
  });
  return [200, draftPreview({ body: text }, problems)];
}

beforeEach(() => {
  push.mockReset();
  api = mockApi();
  api.onGet("/api/whatsapp/numbers/").reply(200, { next: null, previous: null, results: [] });
  api.onPost("/api/templates/preview/").reply(preview);
});

afterEach(() => api.restore());

async function writeBody(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Name"), "order_update");
  const body = screen.getByLabelText("Body text");
  await user.type(body, "Hi ");
  await user.click(screen.getByRole("button", { name: "Add a variable to the body text" }));
  await user.type(body, ", your order is on its way.");
  return body as HTMLTextAreaElement;
}

describe("TemplateBuilder", { timeout: 30_000 }, () => {
  it("validates as you type: the preview's problems show at the fields they name, and the phone shows the message", async () => {
    const user = userEvent.setup();
    render(<TemplateBuilder />);
    const body = await writeBody(user);
    expect(body.value).toBe("Hi {{1}}, your order is on its way.");

    // The server's problem keyed `components[0].text` lands under the body, once it was edited.
    await waitFor(() => expect(body.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getAllByText("variable {{1}} has no example").length).toBeGreaterThan(0);
    // An example input appeared for the variable.
    await user.type(screen.getByLabelText("Example for {{1}}"), "Ana");
    await waitFor(() => expect(screen.getByTestId("preview-body").textContent).toBe("Hi Ana, your order is on its way."));
    expect(body.getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByText("No problems found: Meta should accept this for review.")).toBeTruthy();
  });

  it("submits Meta's creation body and puts a refusal's errors at their fields", async () => {
    const user = userEvent.setup();
    api.onPost("/api/templates/").reply(400, {
      code: "template_refused",
      message: "Meta refused the template: the button's URL is invalid.",
      errors: { "components[2].buttons[0].url": ["The URL must start with https://."], "components[1].text": ["Footer too long."] },
    });
    render(<TemplateBuilder />);
    await writeBody(user);
    await user.type(screen.getByLabelText("Example for {{1}}"), "Ana");
    await user.type(screen.getByLabelText("Footer text"), "Reply STOP to opt out");
    await user.click(screen.getByRole("button", { name: "+ Visit website" }));
    const button = screen.getByText("Button 1: Visit website").closest("div")!.parentElement!;
    await user.type(within(button).getByLabelText("Button text"), "Track it");
    await user.type(within(button).getByLabelText("Website URL"), "http://shop.test/t/");
    await user.click(within(button).getByRole("button", { name: "Add a variable at the end" }));
    await user.type(within(button).getByLabelText("Example for the URL's {{1}}"), "A-1");
    await user.click(screen.getByRole("button", { name: "Submit for review" }));

    expect((await screen.findByRole("alert")).textContent).toContain("Meta refused the template");
    const url = within(button).getByLabelText("Website URL");
    expect(url.getAttribute("aria-invalid")).toBe("true");
    expect(within(button).getByText("The URL must start with https://.")).toBeTruthy();
    // components[1] is the footer in this draft (body, footer, buttons).
    expect(screen.getByLabelText("Footer text").getAttribute("aria-invalid")).toBe("true");

    const sent = JSON.parse(api.history.post.find((r) => r.url === "/api/templates/")!.data as string) as TemplateCreate;
    expect(sent).toEqual({
      name: "order_update",
      language: "en_US",
      category: "MARKETING",
      parameter_format: "positional",
      components: [
        { type: "BODY", text: "Hi {{1}}, your order is on its way.", example: { body_text: [["Ana"]] } },
        { type: "FOOTER", text: "Reply STOP to opt out" },
        { type: "BUTTONS", buttons: [{ type: "URL", text: "Track it", url: "http://shop.test/t/{{1}}", example: ["A-1"] }] },
      ],
    });
    expect(push).not.toHaveBeenCalled();
  });

  it("uploads an image header's sample, sends its handle and goes to the new template", async () => {
    const user = userEvent.setup();
    api.onPost("/api/templates/uploads/").reply(201, { handle: "4::aW1hZ2U=", mime_type: "image/png", size: 4, filename: "banner.png", format: "IMAGE" });
    api.onPost("/api/templates/").reply(201, template({ id: 42, name: "order_update", status: "PENDING" }));
    render(<TemplateBuilder />);
    await user.selectOptions(screen.getByLabelText("Header type"), "IMAGE");
    await user.upload(screen.getByLabelText("Sample image"), new File(["png!"], "banner.png", { type: "image/png" }));
    expect(await screen.findByText("Uploaded banner.png: Meta reviews the template with it.")).toBeTruthy();
    await writeBody(user);
    await user.type(screen.getByLabelText("Example for {{1}}"), "Ana");
    await user.click(screen.getByRole("button", { name: "Submit for review" }));

    await waitFor(() => expect(push).toHaveBeenCalledWith("/templates/42"));
    const upload = api.history.post.find((r) => r.url === "/api/templates/uploads/")!;
    expect((upload.data as FormData).get("file")).toBeInstanceOf(File);
    const sent = JSON.parse(api.history.post.find((r) => r.url === "/api/templates/")!.data as string) as TemplateCreate;
    expect(sent.components[0]).toEqual({ type: "HEADER", format: "IMAGE", example: { header_handle: ["4::aW1hZ2U="] } });
  });

  it("inserts named variables and gives their examples by name", async () => {
    const user = userEvent.setup();
    render(<TemplateBuilder />);
    await user.click(screen.getByRole("radio", { name: "Named {{first_name}}" }));
    await user.type(screen.getByLabelText("Body text"), "Hello ");
    await user.click(screen.getByRole("button", { name: "Add a variable to the body text" }));
    await user.type(screen.getByLabelText("Body text"), "!");
    expect((screen.getByLabelText("Body text") as HTMLTextAreaElement).value).toBe("Hello {{first_name}}!");
    await user.type(screen.getByLabelText("Example for {{first_name}}"), "Ana");
    await waitFor(() => {
      const last = api.history.post.filter((r) => r.url === "/api/templates/preview/").at(-1)!;
      const draft = JSON.parse(last.data as string) as TemplateCreate;
      expect(draft.parameter_format).toBe("named");
      expect(draft.components[0]).toEqual({
        type: "BODY",
        text: "Hello {{first_name}}!",
        example: { body_text_named_params: [{ param_name: "first_name", example: "Ana" }] },
      });
    });
  });

  it("edits an approved template: its components read back, the new ones sent (not an unchanged category)", async () => {
    const user = userEvent.setup();
    const existing = template({ id: 3, status: "APPROVED", category: "UTILITY" });
    api.onPatch("/api/templates/3/").reply(200, { ...existing, status: "PENDING" });
    render(<TemplateBuilder editing={existing} initial={fromTemplate(existing)} />);
    expect(screen.queryByLabelText("Name")).toBeNull();
    const body = screen.getByLabelText("Body text") as HTMLTextAreaElement;
    expect(body.value).toBe("Hi {{1}}, your order {{2}} has shipped.");
    expect((screen.getByLabelText("Example for {{2}}") as HTMLInputElement).value).toBe("A-1");
    await user.type(body, " Thanks!");
    await user.click(screen.getByRole("button", { name: "Save and resubmit" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/templates/3"));
    expect(JSON.parse(api.history.patch[0]!.data as string)).toEqual({
      components: [{ type: "BODY", text: "Hi {{1}}, your order {{2}} has shipped. Thanks!", example: { body_text: [["Ana", "A-1"]] } }],
    });
  });
});

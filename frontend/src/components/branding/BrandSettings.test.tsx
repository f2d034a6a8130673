import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { PartnerBrand } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { BrandSettings } from "./BrandSettings";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));

const BLANK: PartnerBrand = { display_name: "", primary_color: "", logo_url: null };
const NORTHWIND: PartnerBrand = { display_name: "Northwind Chat", primary_color: "#1e3a8a", logo_url: "/api/partners/brand/logo/" };

let api: MockApi;

beforeEach(() => {
  api = mockApi();
  api.onGet("/api/partners/domains/").reply(200, []);
  refresh.mockClear();
});

afterEach(() => api.restore());

const preview = () => screen.getByRole("group", { name: "Preview" });

describe("BrandSettings", () => {
  it("saves the display name and the colour typed as hex, previewing it live", async () => {
    api.onGet("/api/partners/brand/").reply(200, BLANK);
    api.onPatch("/api/partners/brand/").reply((request) => [200, { ...BLANK, ...JSON.parse(request.data as string) }]);
    const user = userEvent.setup();
    render(<BrandSettings canManage resellerName="Northwind Partners" />);

    const name = await screen.findByLabelText("Display name");
    // Blank: the reseller's own name, and ConvoNest's green.
    expect(within(preview()).getByText("Northwind Partners")).toBeDefined();
    expect(preview().style.getPropertyValue("--color-brand-700")).toBe("#027a48");

    await user.type(name, "Northwind Chat");
    await user.type(screen.getByLabelText("Primary colour"), "1E3A8A");

    expect(within(preview()).getByText("Northwind Chat")).toBeDefined();
    expect(preview().style.getPropertyValue("--color-brand-700")).toBe("#1e3a8a");
    expect((screen.getByLabelText("Pick the primary colour") as HTMLInputElement).value).toBe("#1e3a8a");

    await user.click(screen.getByRole("button", { name: "Save brand" }));

    expect(await screen.findByText(/Saved\./)).toBeDefined();
    expect(JSON.parse(api.history.patch[0]!.data as string)).toEqual({ display_name: "Northwind Chat", primary_color: "#1e3a8a" });
    expect(refresh).toHaveBeenCalled();
  });

  it("takes the colour from the picker, and can go back to ConvoNest's", async () => {
    api.onGet("/api/partners/brand/").reply(200, NORTHWIND);
    api.onPatch("/api/partners/brand/").reply((request) => [200, { ...NORTHWIND, ...JSON.parse(request.data as string) }]);
    const user = userEvent.setup();
    render(<BrandSettings canManage />);

    const hex = (await screen.findByLabelText("Primary colour")) as HTMLInputElement;
    expect(hex.value).toBe("#1e3a8a");
    fireEvent.input(screen.getByLabelText("Pick the primary colour"), { target: { value: "#ff6600" } });
    expect(hex.value).toBe("#ff6600");
    // Orange is too light for white text: 700 is a darkened mix, not the colour itself.
    expect(preview().style.getPropertyValue("--color-brand-700")).toMatch(/^color-mix\(in srgb, #ff6600 \d+%, black\)$/);

    await user.click(screen.getByRole("button", { name: "Use ConvoNest's colour" }));
    expect(hex.value).toBe("");
    await user.click(screen.getByRole("button", { name: "Save brand" }));
    expect(JSON.parse(api.history.patch[0]!.data as string)).toEqual({ display_name: "Northwind Chat", primary_color: "" });
  });

  it("refuses a colour that isn't hex before asking, and shows the server's field errors at their fields", async () => {
    api.onGet("/api/partners/brand/").reply(200, BLANK);
    api.onPatch("/api/partners/brand/").reply(400, {
      code: "validation_error",
      message: "Invalid input.",
      errors: { display_name: ["Ensure this field has no more than 100 characters."] },
    });
    const user = userEvent.setup();
    render(<BrandSettings canManage />);

    const hex = await screen.findByLabelText("Primary colour");
    await user.type(hex, "blue");
    // Not while typing, but once the field is left.
    expect(screen.queryByText("Use a colour like #1f8a70.")).toBeNull();
    await user.tab();
    expect(screen.getByText("Use a colour like #1f8a70.")).toBeDefined();
    expect(hex.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("button", { name: "Save brand" })).toHaveProperty("disabled", true);

    await user.clear(hex);
    await user.type(screen.getByLabelText("Display name"), "Northwind");
    await user.click(screen.getByRole("button", { name: "Save brand" }));

    expect(await screen.findByText("Ensure this field has no more than 100 characters.")).toBeDefined();
    expect(screen.getByLabelText("Display name").getAttribute("aria-invalid")).toBe("true");
    expect(refresh).not.toHaveBeenCalled();
  });

  it("uploads a logo as multipart PUT and shows the server's refusal at the logo", async () => {
    api.onGet("/api/partners/brand/").reply(200, BLANK);
    api.onPut("/api/partners/brand/logo/").replyOnce(400, { code: "validation_error", message: "Invalid input.", errors: { logo: ["Upload a PNG, JPEG or WebP image."] } });
    api.onPut("/api/partners/brand/logo/").reply(200, { ...BLANK, logo_url: "/api/partners/brand/logo/" });
    const user = userEvent.setup();
    render(<BrandSettings canManage />);

    expect(await screen.findByText("No logo")).toBeDefined();
    const file = screen.getByLabelText("Logo file");
    await user.upload(file, new File(["not really a png"], "logo.png", { type: "image/png" }));

    expect(await screen.findByRole("alert")).toHaveProperty("textContent", "Upload a PNG, JPEG or WebP image.");
    const sent = api.history.put[0]!;
    expect(sent.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    // The file goes in the form's "logo" field. (jsdom's File is not Node's Blob, so in tests the encoder can't read
    // its name and bytes; a browser sends both.)
    expect(sent.data as string).toMatch(/Content-Disposition: form-data; name="logo"; filename=/);

    await user.upload(file, new File(["\x89PNG"], "logo.png", { type: "image/png" }));
    const current = await screen.findByRole("img", { name: "Current logo" });
    expect(current.getAttribute("src")).toMatch(/^\/api\/partners\/brand\/logo\/\?v=\d+$/);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("button", { name: "Replace logo" })).toBeDefined();
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("refuses a file that can't be a logo without uploading it", async () => {
    api.onGet("/api/partners/brand/").reply(200, BLANK);
    const user = userEvent.setup({ applyAccept: false });
    render(<BrandSettings canManage />);

    const file = await screen.findByLabelText("Logo file");
    await user.upload(file, new File(["<svg/>"], "logo.svg", { type: "image/svg+xml" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Upload a PNG, JPEG or WebP image.");

    await user.upload(file, new File([new Uint8Array(256 * 1024 + 1)], "big.png", { type: "image/png" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The logo must be at most 256 KB.");
    expect(api.history.put).toHaveLength(0);
  });

  it("removes the logo", async () => {
    api.onGet("/api/partners/brand/").reply(200, NORTHWIND);
    api.onDelete("/api/partners/brand/logo/").reply(200, { ...NORTHWIND, logo_url: null });
    const user = userEvent.setup();
    render(<BrandSettings canManage />);

    expect(await screen.findByRole("img", { name: "Current logo" })).toBeDefined();
    await user.click(screen.getByRole("button", { name: "Remove logo" }));

    expect(await screen.findByText("No logo")).toBeDefined();
    expect(api.history.delete).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Remove logo" })).toBeNull();
  });

  it("is read-only without manage_brand, console domains included", async () => {
    api.onGet("/api/partners/brand/").reply(200, NORTHWIND);
    render(<BrandSettings canManage={false} />);

    expect(await screen.findByLabelText("Display name")).toHaveProperty("disabled", true);
    expect(screen.getByLabelText("Primary colour")).toHaveProperty("disabled", true);
    expect(screen.getByLabelText("Pick the primary colour")).toHaveProperty("disabled", true);
    expect(screen.queryByRole("button", { name: /Save brand|Upload logo|Replace logo|Remove logo|Use ConvoNest/ })).toBeNull();
    expect(screen.queryByLabelText("Logo file")).toBeNull();
    expect(screen.getByText(/Only your admins can change it/)).toBeDefined();
    expect(await screen.findByText(/Only your reseller's admins can add or remove domains/)).toBeDefined();
    expect(screen.queryByRole("form", { name: "Add a domain" })).toBeNull();
    expect(api.history.get.map((r) => r.url)).toContain("/api/partners/domains/");
  });

  it("says so when the brand can't be loaded", async () => {
    api.onGet("/api/partners/brand/").reply(403, { code: "permission_denied", message: "You don't have permission to do this.", errors: {} });
    render(<BrandSettings canManage />);

    expect(await screen.findByText("You don't have permission to do this.")).toBeDefined();
  });
});

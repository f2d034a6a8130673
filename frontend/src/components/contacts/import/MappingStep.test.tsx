import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { ContactImportLayout } from "@/lib/api/types";
import { initialMapping } from "./mapping";
import { MappingStep } from "./MappingStep";

const LAYOUT: ContactImportLayout = {
  encoding: "utf-8",
  delimiter: ";",
  headers: ["Mobile", "Full name", "Town", "Notes"],
  sample_rows: [
    ["98765 43210", "Ravi Kumar", "Pune", "called"],
    ["+44 7700 900123", "Ann Smith", "London", ""],
  ],
  suggested_mapping: { Mobile: "phone", "Full name": "name", Town: "city" },
  targets: [
    { value: "phone", label: "Phone", kind: "field" },
    { value: "wa_user_id", label: "WhatsApp user id", kind: "field" },
    { value: "name", label: "Name", kind: "field" },
    { value: "tags", label: "Tags", kind: "field" },
    { value: "city", label: "City", kind: "attribute" },
    { value: "ignore", label: "Don't import", kind: "ignore" },
  ],
};

function renderStep(onStart = vi.fn()) {
  const file = new File(["x"], "customers.csv", { type: "text/csv" });
  render(<MappingStep file={file} layout={LAYOUT} initial={initialMapping(LAYOUT)} starting={false} onStart={onStart} onBack={vi.fn()} />);
  return onStart;
}

describe("MappingStep", () => {
  it("shows what inspect found and starts with every column's mapping, tags and on_existing", { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    const onStart = renderStep();
    expect(screen.getByText("utf-8 (detected)")).toBeDefined();
    expect(screen.getByText("semicolon")).toBeDefined();
    expect(screen.getByText("+44 7700 900123")).toBeDefined();
    expect((screen.getByLabelText("Import column Notes as") as HTMLSelectElement).value).toBe("ignore");

    await user.selectOptions(screen.getByLabelText("Import column Notes as"), "tags");
    await user.click(screen.getByLabelText(/Leave them as they are/));
    await user.type(screen.getByLabelText("Tags for every imported contact (optional)"), "Expo 2026, lead");
    await user.click(screen.getByRole("button", { name: "Start import" }));

    expect(onStart).toHaveBeenCalledWith({
      mapping: { Mobile: "phone", "Full name": "name", Town: "city", Notes: "tags" },
      onExisting: "skip",
      tags: ["expo 2026", "lead"],
    });
  });

  it("won't start without a phone or user id column, and says so", async () => {
    const user = userEvent.setup();
    const onStart = renderStep();
    await user.selectOptions(screen.getByLabelText("Import column Mobile as"), "ignore");
    expect(screen.getByRole("alert").textContent).toBe("Map a column to Phone or WhatsApp user id: every contact needs one of them.");
    expect((screen.getByRole("button", { name: "Start import" }) as HTMLButtonElement).disabled).toBe(true);
    await user.selectOptions(screen.getByLabelText("Import column Mobile as"), "wa_user_id");
    expect((screen.getByRole("button", { name: "Start import" }) as HTMLButtonElement).disabled).toBe(false);
    expect(onStart).not.toHaveBeenCalled();
  });

  it("marks the column that repeats a target", async () => {
    const user = userEvent.setup();
    renderStep();
    await user.selectOptions(screen.getByLabelText("Import column Town as"), "name");
    expect(screen.getByText("Name is already imported from “Full name”. Pick one column for it.")).toBeDefined();
    expect(screen.getByLabelText("Import column Town as").getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByRole("button", { name: "Start import" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

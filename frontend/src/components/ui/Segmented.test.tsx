import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";

import { Segmented } from "./Segmented";

const OPTIONS = [
  { value: "mine", label: "Mine" },
  { value: "unassigned", label: "Unassigned" },
  { value: "all", label: "All" },
] as const;
type View = (typeof OPTIONS)[number]["value"];

function Harness({ onChange, hideLabel }: { onChange?: (value: View) => void; hideLabel?: boolean }) {
  const [value, setValue] = useState<View>("unassigned");
  return (
    <>
      <button type="button">Before</button>
      <Segmented
        label="Show"
        hideLabel={hideLabel}
        value={value}
        options={OPTIONS}
        onChange={(next) => {
          setValue(next);
          onChange?.(next);
        }}
      />
    </>
  );
}

describe("Segmented", () => {
  // user-event finds a radio's group with CSS.escape, which jsdom lacks.
  beforeEach(() => {
    if (!globalThis.CSS?.escape) vi.stubGlobal("CSS", { escape: (value: string) => value.replace(/[^\w-]/g, "\\$&") });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("is a named radio group with one radio per option, the current one checked", () => {
    render(<Harness hideLabel />);

    const group = screen.getByRole("radiogroup", { name: "Show" });
    const radios = screen.getAllByRole("radio");
    expect(group.contains(radios[0]!)).toBe(true);
    expect(radios.map((r) => r.getAttribute("value"))).toEqual(["mine", "unassigned", "all"]);
    expect(screen.getByRole("radio", { name: "Unassigned" })).toHaveProperty("checked", true);
    expect(screen.getByRole("radio", { name: "Mine" })).toHaveProperty("checked", false);
  });

  it("changes on a click", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);

    await userEvent.click(screen.getByText("All"));

    expect(onChange).toHaveBeenCalledWith("all");
    expect(screen.getByRole("radio", { name: "All" })).toHaveProperty("checked", true);
  });

  it("works from the keyboard: Tab lands on the chosen segment, the arrows move the choice", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    screen.getByRole("button", { name: "Before" }).focus();

    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByRole("radio", { name: "Unassigned" }));

    await userEvent.keyboard("{ArrowRight}");
    expect(onChange).toHaveBeenLastCalledWith("all");
    expect(screen.getByRole("radio", { name: "All" })).toHaveProperty("checked", true);

    await userEvent.keyboard("{ArrowLeft}{ArrowLeft}");
    expect(onChange).toHaveBeenLastCalledWith("mine");
    expect(document.activeElement).toBe(screen.getByRole("radio", { name: "Mine" }));
  });
});

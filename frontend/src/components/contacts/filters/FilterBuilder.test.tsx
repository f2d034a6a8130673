import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import type { AttributeDefinition } from "@/lib/api/types";
import { FilterBuilder } from "./FilterBuilder";
import { buildFilter, EMPTY_FILTER } from "./model";

const DEFINITIONS: AttributeDefinition[] = [
  { id: 1, key: "spend", label: "Spend", type: "number", choices: [], created_at: "", updated_at: "" },
  { id: 2, key: "tier", label: "Tier", type: "choice", choices: ["Gold", "Silver"], created_at: "", updated_at: "" },
];

/** The builder as the contacts page uses it: its state turned into the backend's filter JSON. */
function Harness() {
  const [state, setState] = useState(EMPTY_FILTER);
  const built = buildFilter(state, DEFINITIONS);
  return (
    <>
      <FilterBuilder state={state} onChange={setState} definitions={DEFINITIONS} problems={built.problems} />
      <output data-testid="json">{JSON.stringify(built.filter)}</output>
    </>
  );
}

const json = () => JSON.parse(screen.getByTestId("json").textContent ?? "null") as unknown;

describe("FilterBuilder", () => {
  it("turns what is picked and typed into the backend filter", { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    render(<Harness />);

    await user.selectOptions(screen.getByLabelText("Add a condition"), "attribute:spend");
    await user.selectOptions(screen.getByLabelText("Attribute operator"), "gte");
    expect(json()).toEqual({});
    expect(screen.getByText("Not applied yet: Enter a value.")).toBeDefined();

    await user.type(screen.getByLabelText("Value of Spend"), "1500");
    expect(json()).toEqual({ all: [{ field: "attribute", key: "spend", op: "gte", value: 1500 }] });

    await user.selectOptions(screen.getByLabelText("Add a condition"), "attribute:tier");
    await user.selectOptions(screen.getAllByLabelText("Attribute operator")[1]!, "in");
    await user.click(screen.getByLabelText("Gold"));
    await user.click(screen.getByLabelText("Silver"));

    await user.selectOptions(screen.getByLabelText("Add a condition"), "consent:marketing");
    await user.selectOptions(screen.getByLabelText("marketing consent operator"), "is_not");
    await user.selectOptions(screen.getByLabelText("marketing consent state"), "opted_out");

    await user.selectOptions(screen.getByLabelText("Add a condition"), "time:last_seen_at");
    await user.clear(screen.getByLabelText("Days"));
    await user.type(screen.getByLabelText("Days"), "14");

    await user.selectOptions(screen.getByLabelText("Add a condition"), "tags");
    await user.type(screen.getByLabelText("Tags"), "VIP, wholesale");
    await user.selectOptions(screen.getByLabelText("Match"), "any");

    expect(json()).toEqual({
      any: [
        { field: "attribute", key: "spend", op: "gte", value: 1500 },
        { field: "attribute", key: "tier", op: "in", value: ["Gold", "Silver"] },
        { field: "consent", category: "marketing", op: "is_not", value: "opted_out" },
        { field: "last_seen_at", op: "within_days", value: 14 },
        { field: "tags", op: "any", value: ["vip", "wholesale"] },
      ],
    });

    for (const button of screen.getAllByRole("button", { name: "Remove condition" }).slice(0, 4)) await user.click(button);
    // One condition left: "any" of one is the same as "all" of one.
    expect(json()).toEqual({ any: [{ field: "tags", op: "any", value: ["vip", "wholesale"] }] });
  });

  it("offers only the operators of the attribute's type", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.selectOptions(screen.getByLabelText("Add a condition"), "attribute:tier");
    const options = Array.from((screen.getByLabelText("Attribute operator") as HTMLSelectElement).options).map((o) => o.value);
    expect(options).toEqual(["eq", "neq", "in", "is_set", "is_not_set"]);
    expect(json()).toEqual({ all: [{ field: "attribute", key: "tier", op: "eq", value: "Gold" }] });
  });
});

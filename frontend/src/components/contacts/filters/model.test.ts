import { describe, expect, it } from "vitest";

import type { AttributeDefinition, AttributeType } from "@/lib/api/types";
import { ATTRIBUTE_OPS, buildFilter, newCondition, parseFilter, type AttributeOp, type Condition, type FilterState } from "./model";

const definition = (key: string, type: AttributeType, choices: string[] = []): AttributeDefinition => ({
  id: key.length,
  key,
  label: key[0]!.toUpperCase() + key.slice(1),
  type,
  choices,
  created_at: "2026-05-01T00:00:00Z",
  updated_at: "2026-05-01T00:00:00Z",
});

const DEFINITIONS = [
  definition("city", "text"),
  definition("spend", "number"),
  definition("birthday", "date"),
  definition("newsletter", "boolean"),
  definition("tier", "choice", ["Gold", "Silver", "Bronze"]),
];

const attr = (key: string, op: AttributeOp, value = "", values: string[] = []): Condition => ({ id: "a", kind: "attribute", key, op, value, values });
const one = (condition: Condition, match: FilterState["match"] = "all") => buildFilter({ match, conditions: [condition] }, DEFINITIONS);

describe("buildFilter: attributes, every operator of every type", () => {
  it.each<[string, AttributeOp, string, string[], unknown]>([
    // text
    ["city", "eq", " Pune ", [], { field: "attribute", key: "city", op: "eq", value: "Pune" }],
    ["city", "neq", "Pune", [], { field: "attribute", key: "city", op: "neq", value: "Pune" }],
    ["city", "contains", "pun", [], { field: "attribute", key: "city", op: "contains", value: "pun" }],
    ["city", "in", "", ["Pune", "Mumbai"], { field: "attribute", key: "city", op: "in", value: ["Pune", "Mumbai"] }],
    ["city", "is_set", "", [], { field: "attribute", key: "city", op: "is_set" }],
    ["city", "is_not_set", "", [], { field: "attribute", key: "city", op: "is_not_set" }],
    // number: typed as JSON numbers
    ["spend", "eq", "10", [], { field: "attribute", key: "spend", op: "eq", value: 10 }],
    ["spend", "neq", "-3.5", [], { field: "attribute", key: "spend", op: "neq", value: -3.5 }],
    ["spend", "gt", "100", [], { field: "attribute", key: "spend", op: "gt", value: 100 }],
    ["spend", "gte", "100", [], { field: "attribute", key: "spend", op: "gte", value: 100 }],
    ["spend", "lt", "0.5", [], { field: "attribute", key: "spend", op: "lt", value: 0.5 }],
    ["spend", "lte", "0", [], { field: "attribute", key: "spend", op: "lte", value: 0 }],
    ["spend", "in", "", ["1", "2.5"], { field: "attribute", key: "spend", op: "in", value: [1, 2.5] }],
    ["spend", "is_set", "", [], { field: "attribute", key: "spend", op: "is_set" }],
    ["spend", "is_not_set", "", [], { field: "attribute", key: "spend", op: "is_not_set" }],
    // date: YYYY-MM-DD
    ["birthday", "eq", "1990-02-28", [], { field: "attribute", key: "birthday", op: "eq", value: "1990-02-28" }],
    ["birthday", "neq", "1990-02-28", [], { field: "attribute", key: "birthday", op: "neq", value: "1990-02-28" }],
    ["birthday", "gt", "1990-01-01", [], { field: "attribute", key: "birthday", op: "gt", value: "1990-01-01" }],
    ["birthday", "gte", "1990-01-01", [], { field: "attribute", key: "birthday", op: "gte", value: "1990-01-01" }],
    ["birthday", "lt", "2000-12-31", [], { field: "attribute", key: "birthday", op: "lt", value: "2000-12-31" }],
    ["birthday", "lte", "2000-12-31", [], { field: "attribute", key: "birthday", op: "lte", value: "2000-12-31" }],
    ["birthday", "is_set", "", [], { field: "attribute", key: "birthday", op: "is_set" }],
    ["birthday", "is_not_set", "", [], { field: "attribute", key: "birthday", op: "is_not_set" }],
    // boolean: JSON booleans
    ["newsletter", "eq", "true", [], { field: "attribute", key: "newsletter", op: "eq", value: true }],
    ["newsletter", "neq", "false", [], { field: "attribute", key: "newsletter", op: "neq", value: false }],
    ["newsletter", "is_set", "", [], { field: "attribute", key: "newsletter", op: "is_set" }],
    ["newsletter", "is_not_set", "", [], { field: "attribute", key: "newsletter", op: "is_not_set" }],
    // choice: as defined, case-insensitively
    ["tier", "eq", "gold", [], { field: "attribute", key: "tier", op: "eq", value: "Gold" }],
    ["tier", "neq", "Silver", [], { field: "attribute", key: "tier", op: "neq", value: "Silver" }],
    ["tier", "in", "", ["Gold", "bronze"], { field: "attribute", key: "tier", op: "in", value: ["Gold", "Bronze"] }],
    ["tier", "is_set", "", [], { field: "attribute", key: "tier", op: "is_set" }],
    ["tier", "is_not_set", "", [], { field: "attribute", key: "tier", op: "is_not_set" }],
  ])("%s %s", (key, op, value, values, expected) => {
    expect(one(attr(key, op, value, values))).toEqual({ filter: { all: [expected] }, problems: {} });
  });

  it("covers exactly the operators the backend allows per type", () => {
    expect(ATTRIBUTE_OPS).toEqual({
      text: ["eq", "neq", "contains", "in", "is_set", "is_not_set"],
      number: ["eq", "neq", "gt", "gte", "lt", "lte", "in", "is_set", "is_not_set"],
      date: ["eq", "neq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"],
      boolean: ["eq", "neq", "is_set", "is_not_set"],
      choice: ["eq", "neq", "in", "is_set", "is_not_set"],
    });
  });

  it.each<[string, Condition, string]>([
    ["an empty value", attr("city", "eq", "  "), "Enter a value."],
    ["an empty list", attr("city", "in"), "Add at least one value."],
    ["a number with a thousands separator", attr("spend", "gt", "1,000"), "“1,000” is not a number."],
    ["a number in a list", attr("spend", "in", "", ["1", "x"]), "“x” is not a number."],
    ["an impossible date", attr("birthday", "eq", "2021-02-30"), "Pick a date."],
    ["a date in another format", attr("birthday", "eq", "30/01/2021"), "Pick a date."],
    ["a choice that isn't defined", attr("tier", "eq", "Platinum"), "“Platinum” is not one of the choices."],
    ["an operator the type lacks", attr("newsletter", "gt", "true"), "“is more than” doesn't apply to Newsletter."],
    ["a removed attribute", attr("shoe", "eq", "42"), "This attribute no longer exists."],
  ])("leaves out %s and says why", (_, condition, problem) => {
    expect(one(condition)).toEqual({ filter: {}, problems: { a: problem } });
  });
});

describe("buildFilter: tags, consent and dates", () => {
  it.each(["any", "all", "none"] as const)("tags %s, normalised like the backend", (op) => {
    const built = one({ id: "t", kind: "tags", op, tags: [" VIP ", "vip", "Pune  Store"] });
    expect(built.filter).toEqual({ all: [{ field: "tags", op, value: ["vip", "pune store"] }] });
  });

  it("needs at least one tag", () => {
    expect(one({ id: "t", kind: "tags", op: "any", tags: [] }).problems).toEqual({ t: "Add at least one tag." });
  });

  it.each([
    ["marketing", "is", "opted_out"],
    ["marketing", "is_not", "opted_out"],
    ["utility", "is", "opted_in"],
    ["utility", "is_not", "unknown"],
  ] as const)("consent %s %s %s", (category, op, value) => {
    expect(one({ id: "c", kind: "consent", category, op, value }).filter).toEqual({
      all: [{ field: "consent", category, op, value }],
    });
  });

  it.each([
    ["last_seen_at", "within_days", "30", { field: "last_seen_at", op: "within_days", value: 30 }],
    ["last_inbound_at", "not_within_days", "7", { field: "last_inbound_at", op: "not_within_days", value: 7 }],
    ["first_seen_at", "before", "2026-01-01", { field: "first_seen_at", op: "before", value: "2026-01-01" }],
    ["created_at", "after", "2026-03-15", { field: "created_at", op: "after", value: "2026-03-15" }],
    ["last_outbound_at", "never", "", { field: "last_outbound_at", op: "never" }],
    ["last_seen_at", "ever", "30", { field: "last_seen_at", op: "ever" }],
  ] as const)("%s %s", (field, op, value, expected) => {
    expect(one({ id: "d", kind: "time", field, op, value }).filter).toEqual({ all: [expected] });
  });

  it.each(["0", "36501", "2.5", "", "-1"])("refuses %j days", (value) => {
    expect(one({ id: "d", kind: "time", field: "last_seen_at", op: "within_days", value }).problems).toEqual({
      d: "Enter a number of days (1 to 36500).",
    });
  });
});

describe("buildFilter: the group", () => {
  it("is {} (every contact) without conditions", () => {
    expect(buildFilter({ match: "all", conditions: [] }, DEFINITIONS)).toEqual({ filter: {}, problems: {} });
  });

  it("joins complete conditions with any, skipping incomplete ones", () => {
    const built = buildFilter(
      {
        match: "any",
        conditions: [
          { id: "1", kind: "tags", op: "any", tags: ["vip"] },
          attr("city", "eq", ""),
          { id: "3", kind: "consent", category: "marketing", op: "is", value: "opted_in" },
        ],
      },
      DEFINITIONS,
    );
    expect(built).toEqual({
      filter: {
        any: [
          { field: "tags", op: "any", value: ["vip"] },
          { field: "consent", category: "marketing", op: "is", value: "opted_in" },
        ],
      },
      problems: { a: "Enter a value." },
    });
  });
});

describe("newCondition and parseFilter", () => {
  it("starts an attribute condition with its type's first operator and value", () => {
    expect(newCondition("attribute:tier", DEFINITIONS)).toMatchObject({ kind: "attribute", key: "tier", op: "eq", value: "Gold" });
    expect(newCondition("attribute:newsletter", DEFINITIONS)).toMatchObject({ op: "eq", value: "true" });
    expect(newCondition("time:last_seen_at", DEFINITIONS)).toMatchObject({ kind: "time", field: "last_seen_at", op: "within_days", value: "30" });
    expect(newCondition("consent:utility", DEFINITIONS)).toMatchObject({ kind: "consent", category: "utility", op: "is" });
  });

  it("reads a saved (canonical) filter back into builder state that builds the same filter", () => {
    const saved = {
      any: [
        { field: "tags", op: "none", value: ["churned"] },
        { field: "attribute", key: "spend", op: "in", value: [10, 20] },
        { field: "attribute", key: "newsletter", op: "eq", value: false },
        { field: "consent", category: "marketing", op: "is_not", value: "opted_out" },
        { field: "created_at", op: "before", value: "2026-01-01T00:00:00+00:00" },
        { field: "last_inbound_at", op: "within_days", value: 7 },
      ],
    };
    const state = parseFilter(saved);
    expect(state).not.toBeNull();
    const rebuilt = buildFilter(state!, DEFINITIONS);
    expect(rebuilt.problems).toEqual({});
    expect(rebuilt.filter).toEqual({ ...saved, any: saved.any.map((c) => (c.field === "created_at" ? { ...c, value: "2026-01-01" } : c)) });
  });

  it("gives up on what the builder can't show", () => {
    expect(parseFilter({ all: [{ any: [{ field: "tags", op: "any", value: ["a"] }] }] })).toBeNull();
    expect(parseFilter({ all: [{ field: "email", op: "is_set" }] })).toBeNull();
    expect(parseFilter({})).toEqual({ match: "all", conditions: [] });
  });
});

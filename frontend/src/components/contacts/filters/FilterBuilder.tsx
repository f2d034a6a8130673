"use client";

import Link from "next/link";
import type { ReactNode } from "react";

import type { AttributeDefinition } from "@/lib/api/types";
import { CloseIcon } from "@/components/icons";
import { Input, Select } from "@/components/ui";
import {
  ATTRIBUTE_OPS,
  attributeOpLabel,
  CONSENT_OPS,
  CONSENT_STATES,
  newCondition,
  NO_VALUE_OPS,
  resetAttribute,
  splitList,
  TAG_OPS,
  TIME_FIELDS,
  TIME_OPS,
  type AttributeOp,
  type Condition,
  type ConsentOp,
  type FilterState,
  type Match,
  type NewConditionKind,
  type TagOp,
  type TimeField,
  type TimeOp,
} from "./model";

export interface FilterBuilderProps {
  state: FilterState;
  onChange: (state: FilterState) => void;
  definitions: AttributeDefinition[];
  /** Condition id -> why it isn't applied (from buildFilter). */
  problems: Record<string, string>;
  /** Settings → Contacts is where attributes are defined; only managers can go there to add one. */
  canDefineAttributes?: boolean;
}

// The shared controls are full width (w-full); in a condition row they size to their content.
const SMALL = "h-9 w-auto!";

/** A comma-separated list typed freely; the parent gets the parsed list on every keystroke. */
function ListInput({ values, onChange, label, placeholder }: { values: string[]; onChange: (values: string[]) => void; label: string; placeholder: string }) {
  return (
    <Input
      aria-label={label}
      defaultValue={values.join(", ")}
      placeholder={placeholder}
      onChange={(event) => onChange(splitList(event.target.value))}
      className="h-9 min-w-40 flex-1"
    />
  );
}

function AttributeValue({
  condition,
  definition,
  update,
}: {
  condition: Extract<Condition, { kind: "attribute" }>;
  definition: AttributeDefinition | undefined;
  update: (patch: Partial<Extract<Condition, { kind: "attribute" }>>) => void;
}) {
  if (!definition || NO_VALUE_OPS.has(condition.op)) return null;
  const label = `Value of ${definition.label}`;
  if (definition.type === "choice") {
    if (condition.op === "in") {
      return (
        <fieldset className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
          <legend className="sr-only">{label}</legend>
          {definition.choices.map((choice) => (
            <label key={choice} className="flex items-center gap-1.5">
              <input
                type="checkbox"
                className="size-4 accent-brand-700"
                checked={condition.values.includes(choice)}
                onChange={(event) =>
                  update({ values: event.target.checked ? [...condition.values, choice] : condition.values.filter((c) => c !== choice) })
                }
              />
              {choice}
            </label>
          ))}
        </fieldset>
      );
    }
    return (
      <Select aria-label={label} value={condition.value} onChange={(event) => update({ value: event.target.value })} className={SMALL}>
        {definition.choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </Select>
    );
  }
  if (definition.type === "boolean") {
    return (
      <Select aria-label={label} value={condition.value} onChange={(event) => update({ value: event.target.value })} className={SMALL}>
        <option value="true">Yes</option>
        <option value="false">No</option>
      </Select>
    );
  }
  if (condition.op === "in") {
    return (
      <ListInput
        key={`${condition.id}:${condition.key}`}
        label={label}
        values={condition.values}
        onChange={(values) => update({ values })}
        placeholder={definition.type === "number" ? "10, 20, 30" : "Pune, Mumbai"}
      />
    );
  }
  if (definition.type === "date") {
    return <Input type="date" aria-label={label} value={condition.value} onChange={(event) => update({ value: event.target.value })} className={SMALL} />;
  }
  return (
    <Input
      aria-label={label}
      inputMode={definition.type === "number" ? "decimal" : undefined}
      value={condition.value}
      onChange={(event) => update({ value: event.target.value })}
      placeholder={definition.type === "number" ? "0" : "Value"}
      className="h-9 min-w-32 flex-1"
    />
  );
}

function ConditionEditor({
  condition,
  definitions,
  update,
  replace,
}: {
  condition: Condition;
  definitions: AttributeDefinition[];
  update: (patch: Partial<Condition>) => void;
  replace: (condition: Condition) => void;
}) {
  switch (condition.kind) {
    case "tags":
      return (
        <>
          <span className="text-sm font-medium text-slate-800">Tags</span>
          <Select aria-label="Tag operator" value={condition.op} onChange={(event) => update({ op: event.target.value as TagOp })} className={SMALL}>
            {TAG_OPS.map((op) => (
              <option key={op.value} value={op.value}>
                {op.label}
              </option>
            ))}
          </Select>
          <ListInput key={condition.id} label="Tags" values={condition.tags} onChange={(tags) => update({ tags })} placeholder="vip, wholesale" />
        </>
      );
    case "consent":
      return (
        <>
          <span className="text-sm font-medium text-slate-800">{condition.category === "marketing" ? "Marketing consent" : "Utility consent"}</span>
          <Select
            aria-label={`${condition.category} consent operator`}
            value={condition.op}
            onChange={(event) => update({ op: event.target.value as ConsentOp })}
            className={SMALL}
          >
            {CONSENT_OPS.map((op) => (
              <option key={op.value} value={op.value}>
                {op.label}
              </option>
            ))}
          </Select>
          <Select
            aria-label={`${condition.category} consent state`}
            value={condition.value}
            onChange={(event) => update({ value: event.target.value as typeof condition.value })}
            className={SMALL}
          >
            {CONSENT_STATES.map((state) => (
              <option key={state.value} value={state.value}>
                {state.label}
              </option>
            ))}
          </Select>
        </>
      );
    case "attribute": {
      const definition = definitions.find((d) => d.key === condition.key);
      const ops = definition ? ATTRIBUTE_OPS[definition.type] : [condition.op];
      return (
        <>
          <Select
            aria-label="Attribute"
            value={condition.key}
            onChange={(event) => replace(resetAttribute({ ...condition, key: event.target.value }, definitions.find((d) => d.key === event.target.value)))}
            className={SMALL}
          >
            {definition ? null : <option value={condition.key}>{condition.key} (removed)</option>}
            {definitions.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label}
              </option>
            ))}
          </Select>
          <Select
            aria-label="Attribute operator"
            value={condition.op}
            onChange={(event) => update({ op: event.target.value as AttributeOp })}
            className={SMALL}
          >
            {ops.map((op) => (
              <option key={op} value={op}>
                {definition ? attributeOpLabel(definition.type, op) : op}
              </option>
            ))}
          </Select>
          <AttributeValue condition={condition} definition={definition} update={update} />
        </>
      );
    }
    case "time":
      return (
        <>
          <Select aria-label="Date field" value={condition.field} onChange={(event) => update({ field: event.target.value as TimeField })} className={SMALL}>
            {TIME_FIELDS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </Select>
          <Select
            aria-label="Date operator"
            value={condition.op}
            onChange={(event) => {
              const op = event.target.value as TimeOp;
              const days = op === "within_days" || op === "not_within_days";
              const wasDays = condition.op === "within_days" || condition.op === "not_within_days";
              update({ op, value: days === wasDays ? condition.value : days ? "30" : "" });
            }}
            className={SMALL}
          >
            {TIME_OPS.map((op) => (
              <option key={op.value} value={op.value}>
                {op.label}
              </option>
            ))}
          </Select>
          {condition.op === "within_days" || condition.op === "not_within_days" ? (
            <span className="flex items-center gap-2 text-sm text-slate-600">
              <Input
                aria-label="Days"
                type="number"
                min={1}
                max={36500}
                value={condition.value}
                onChange={(event) => update({ value: event.target.value })}
                className="h-9 w-24!"
              />
              days
            </span>
          ) : condition.op === "before" || condition.op === "after" ? (
            <Input type="date" aria-label="Date" value={condition.value} onChange={(event) => update({ value: event.target.value })} className={SMALL} />
          ) : null}
        </>
      );
  }
}

function AddCondition({ definitions, onAdd, hint }: { definitions: AttributeDefinition[]; onAdd: (kind: NewConditionKind) => void; hint?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Select
        aria-label="Add a condition"
        value=""
        onChange={(event) => {
          if (event.target.value) onAdd(event.target.value as NewConditionKind);
        }}
        className="h-9 w-auto!"
      >
        <option value="">+ Add a condition…</option>
        <option value="tags">Tags</option>
        <optgroup label="Consent">
          <option value="consent:marketing">Marketing consent</option>
          <option value="consent:utility">Utility consent</option>
        </optgroup>
        <optgroup label="Activity">
          {TIME_FIELDS.map((f) => (
            <option key={f.value} value={`time:${f.value}`}>
              {f.label}
            </option>
          ))}
        </optgroup>
        {definitions.length ? (
          <optgroup label="Attributes">
            {definitions.map((d) => (
              <option key={d.key} value={`attribute:${d.key}`}>
                {d.label}
              </option>
            ))}
          </optgroup>
        ) : null}
      </Select>
      {hint}
    </div>
  );
}

/** The filter panel: one group of conditions joined by "all" or "any". */
export function FilterBuilder({ state, onChange, definitions, problems, canDefineAttributes = false }: FilterBuilderProps) {
  const setConditions = (conditions: Condition[]) => onChange({ ...state, conditions });
  const update = (id: string, patch: Partial<Condition>) =>
    setConditions(state.conditions.map((c) => (c.id === id ? ({ ...c, ...patch } as Condition) : c)));
  const replace = (next: Condition) => setConditions(state.conditions.map((c) => (c.id === next.id ? next : c)));
  const remove = (id: string) => setConditions(state.conditions.filter((c) => c.id !== id));

  const hint =
    definitions.length === 0 ? (
      <span className="text-sm text-slate-500">
        {canDefineAttributes ? (
          <>
            Filter by your own fields after defining them in{" "}
            <Link href="/settings/contacts" className="font-medium text-brand-700 hover:underline">
              Settings → Contacts
            </Link>
            .
          </>
        ) : null}
      </span>
    ) : undefined;

  return (
    <fieldset className="space-y-3">
      <legend className="sr-only">Filters</legend>
      {state.conditions.length > 1 ? (
        <p className="flex items-center gap-2 text-sm text-slate-700">
          Contacts matching
          <Select
            aria-label="Match"
            value={state.match}
            onChange={(event) => onChange({ ...state, match: event.target.value as Match })}
            className="h-8 w-auto! py-0"
          >
            <option value="all">all</option>
            <option value="any">any</option>
          </Select>
          of these conditions
        </p>
      ) : null}
      {state.conditions.length ? (
        <ul className="space-y-2">
          {state.conditions.map((condition) => (
            <li key={condition.id} className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2">
              <div className="flex flex-wrap items-center gap-2">
                <ConditionEditor
                  condition={condition}
                  definitions={definitions}
                  update={(patch) => update(condition.id, patch)}
                  replace={replace}
                />
                <button
                  type="button"
                  onClick={() => remove(condition.id)}
                  className="ml-auto rounded-lg p-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900"
                >
                  <CloseIcon className="size-4" />
                  <span className="sr-only">Remove condition</span>
                </button>
              </div>
              {problems[condition.id] ? <p className="mt-1 text-xs text-amber-800">Not applied yet: {problems[condition.id]}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <AddCondition
        definitions={definitions}
        hint={hint}
        onAdd={(kind) => setConditions([...state.conditions, newCondition(kind, definitions)])}
      />
    </fieldset>
  );
}

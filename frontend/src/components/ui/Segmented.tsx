"use client";

import { useId } from "react";

import { cx } from "./cx";

export interface SegmentedOption<T extends string> {
  value: T;
  label: string;
}

export interface SegmentedProps<T extends string> {
  label: string;
  value: T;
  onChange: (value: T) => void;
  options: ReadonlyArray<SegmentedOption<T>>;
  /** Keep the label for screen readers only (the choices speak for themselves on screen). */
  hideLabel?: boolean;
  /** "sm": compact, the segments share the whole width (a list's filters); "md": inline, as wide as its labels. */
  size?: "sm" | "md";
}

/**
 * One choice among a few, shown as a segmented control. It is a radio group underneath (native radios
 * in a labelled fieldset), so screen readers announce "radio, 2 of 3" and the keyboard works as for any
 * radio group: Tab enters at the chosen segment, the arrow keys move the choice.
 */
export function Segmented<T extends string>({ label, value, onChange, options, hideLabel = false, size = "md" }: SegmentedProps<T>) {
  const name = useId();
  const small = size === "sm";
  return (
    <fieldset role="radiogroup" className="min-w-0">
      <legend className={hideLabel ? "sr-only" : "mb-1.5 text-sm font-medium text-slate-800"}>{label}</legend>
      <div className={cx("rounded-lg bg-slate-100 p-0.5", small ? "flex" : "inline-flex flex-wrap")}>
        {options.map((option) => (
          <label
            key={option.value}
            className={cx(
              "cursor-pointer rounded-md has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600",
              small ? "flex-1 px-2 py-1 text-center text-xs" : "px-3 py-1 text-sm",
              value === option.value ? "bg-white font-medium text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900",
            )}
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              className="sr-only"
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

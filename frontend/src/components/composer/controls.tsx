"use client";

/** Inputs for the composer's editors: each names its form key, and shows the errors mapped to it. */
import { createContext, useContext, useId, type ReactNode, type TextareaHTMLAttributes } from "react";

import { cx, Field, Input, Select } from "@/components/ui";
import { charCount } from "./checks";

/** Form key → messages, from `mapFieldErrors`. */
export const FieldErrorsContext = createContext<Record<string, string[]>>({});

export function useFieldError(key: string | undefined): string | undefined {
  const errors = useContext(FieldErrorsContext);
  const messages = key ? errors[key] : undefined;
  return messages?.length ? messages.join(" ") : undefined;
}

function Counter({ value, max }: { value: string; max: number }) {
  const n = charCount(value);
  return (
    <span className={cx("tabular-nums", n > max ? "font-medium text-red-700" : "text-slate-400")}>
      {n}/{max}
    </span>
  );
}

interface TextProps {
  label: ReactNode;
  errorKey: string;
  value: string;
  onChange: (value: string) => void;
  max?: number;
  hint?: ReactNode;
  placeholder?: string;
  className?: string;
  type?: string;
  inputMode?: "text" | "numeric" | "decimal" | "tel" | "url" | "email";
  autoComplete?: string;
}

/** The field's hint, with a character counter on the right when `max` is given. */
function hintWithCounter(hint: ReactNode, value: string, max: number | undefined) {
  const counter = max !== undefined ? <Counter value={value} max={max} /> : null;
  if (!hint && !counter) return undefined;
  return (
    <span className="flex justify-between gap-3">
      <span>{hint}</span>
      {counter}
    </span>
  );
}

/** A labelled one-line input; `max` adds a character counter. */
export function TextInput({ label, errorKey, value, onChange, max, hint, className, ...rest }: TextProps) {
  const error = useFieldError(errorKey);
  return (
    <Field label={label} error={error} className={className} hint={hintWithCounter(hint, value, max)}>
      {(control) => <Input {...control} {...rest} data-field={errorKey} value={value} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}

const TEXTAREA =
  "block w-full rounded-lg border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 " +
  "focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-600/30";

export function TextArea({ invalid, className, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & { invalid?: boolean }) {
  return <textarea aria-invalid={invalid || undefined} className={cx(TEXTAREA, invalid ? "border-red-500" : "border-slate-300", className)} {...rest} />;
}

/** A labelled multi-line input; line breaks are kept as typed. */
export function TextAreaInput({
  label,
  errorKey,
  value,
  onChange,
  max,
  hint,
  placeholder,
  rows = 3,
  className,
  mono,
}: Omit<TextProps, "type" | "inputMode" | "autoComplete"> & { rows?: number; mono?: boolean }) {
  const error = useFieldError(errorKey);
  return (
    <Field label={label} error={error} className={className} hint={hintWithCounter(hint, value, max)}>
      {({ invalid, ...control }) => (
        <TextArea
          {...control}
          invalid={invalid}
          data-field={errorKey}
          rows={rows}
          placeholder={placeholder}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          className={mono ? "font-mono text-xs" : undefined}
        />
      )}
    </Field>
  );
}

export function SelectInput<T extends string>({
  label,
  errorKey,
  value,
  onChange,
  options,
  hint,
  className,
}: {
  label: ReactNode;
  errorKey: string;
  value: T;
  onChange: (value: T) => void;
  options: ReadonlyArray<{ value: T; label: string }>;
  hint?: ReactNode;
  className?: string;
}) {
  const error = useFieldError(errorKey);
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(control) => (
        <Select {...control} data-field={errorKey} value={value} onChange={(event) => onChange(event.target.value as T)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}

export function Checkbox({ label, checked, onChange, hint }: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        className="mt-0.5 size-4 rounded border-slate-300 accent-brand-700"
      />
      <label htmlFor={id} className="text-sm text-slate-800">
        {label}
        {hint ? <span className="block text-slate-500">{hint}</span> : null}
      </label>
    </div>
  );
}

/** Errors about a group of inputs (a list of buttons, a card), shown above it. */
export function GroupError({ errorKey }: { errorKey: string }) {
  const error = useFieldError(errorKey);
  return error ? (
    <p className="text-sm text-red-700" data-field={errorKey}>
      {error}
    </p>
  ) : null;
}

/** A bordered box for one repeated item (a button, a row, a card), with its remove action. */
export function ItemBox({ title, onRemove, removeLabel, children }: { title: string; onRemove?: () => void; removeLabel?: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50/60 p-3">
      <div className="mb-2 flex items-center justify-between gap-2">
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</p>
        {onRemove ? (
          <button type="button" onClick={onRemove} className="rounded px-1.5 text-sm text-red-700 hover:bg-red-50" aria-label={removeLabel ?? `Remove ${title}`}>
            Remove
          </button>
        ) : null}
      </div>
      <div className="space-y-3">{children}</div>
    </div>
  );
}

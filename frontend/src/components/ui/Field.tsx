"use client";

import { useId, type ReactNode } from "react";

import { Input, type InputProps } from "./Input";

/** What a control needs to be tied to its label, hint and error. */
export interface FieldControlProps {
  id: string;
  invalid: boolean;
  "aria-describedby"?: string;
}

export interface FieldProps {
  label: ReactNode;
  /** Shown under the control in red and announced; takes the hint's place. */
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/** Label + any control + hint or error, with the ids wired for screen readers. */
export function Field({ label, error, hint, className, children }: FieldProps) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1.5 block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, invalid: Boolean(error), "aria-describedby": describedBy })}
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-red-700">
          {error}
        </p>
      ) : hint ? (
        <div id={`${id}-hint`} className="mt-1.5 text-sm text-slate-500">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

export interface TextFieldProps extends Omit<InputProps, "id" | "invalid"> {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
}

/** The common case: a labelled text input. */
export function TextField({ label, error, hint, className, ...inputProps }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(control) => <Input {...inputProps} {...control} />}
    </Field>
  );
}

import type { InputHTMLAttributes, Ref, SelectHTMLAttributes } from "react";

import { cx } from "./cx";

const CONTROL =
  "block w-full rounded-lg border bg-white px-3 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 " +
  "focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-600/30 " +
  "disabled:bg-slate-100 disabled:text-slate-500";

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  invalid?: boolean;
  ref?: Ref<HTMLInputElement>;
}

export function Input({ invalid, className, ...rest }: InputProps) {
  return (
    <input
      aria-invalid={invalid || undefined}
      className={cx(CONTROL, "h-10", invalid ? "border-red-500" : "border-slate-300", className)}
      {...rest}
    />
  );
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  invalid?: boolean;
}

export function Select({ invalid, className, children, ...rest }: SelectProps) {
  return (
    <select
      aria-invalid={invalid || undefined}
      className={cx(CONTROL, "h-10 pr-8", invalid ? "border-red-500" : "border-slate-300", className)}
      {...rest}
    >
      {children}
    </select>
  );
}

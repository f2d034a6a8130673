"use client";

import { useState, type FormEvent } from "react";

import { toApiError, type ApiError, type FieldErrors } from "@/lib/apiClient";

type StringKeys<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

export interface ApiFormHelpers<V> {
  values: V;
  setValues: (update: V | ((values: V) => V)) => void;
  /** Back to `initial` (or to `values`). */
  reset: (values?: V) => void;
}

export interface ApiFormOptions<V, R> {
  initial: V;
  /** The request. Whatever it throws becomes an ApiError (the envelope's code, message and field errors). */
  submit: (values: V) => Promise<R>;
  onSuccess?: (result: R, form: ApiFormHelpers<V>) => void;
  onError?: (error: ApiError, form: ApiFormHelpers<V>) => void;
  /** The fields the form shows an error under; any other error goes on top (`generalError`). Default: the keys of `initial`. */
  fields?: readonly string[];
  /** The page navigates away on success: keep the submit button busy until it does. */
  busyAfterSuccess?: boolean;
  /** Editing a field hides its error. */
  clearErrorOnChange?: boolean;
}

export interface ApiForm<V, R> extends ApiFormHelpers<V> {
  setValue: <K extends keyof V>(field: K, value: V[K]) => void;
  /** Props for a TextField: value, onChange and the field's error. */
  bind: (field: StringKeys<V>) => { value: string; onChange: (event: { target: { value: string } }) => void; error?: string };
  /** The first error message for a field. */
  fieldError: (field: string) => string | undefined;
  /** The last failure, or null (cleared when a submit starts). */
  error: ApiError | null;
  /** A failure no shown field explains (throttled, server down, non-field errors), for an Alert above the form. */
  generalError: string | null;
  submitting: boolean;
  /** The last success's result (cleared when a submit starts). */
  result: R | undefined;
  done: boolean;
  onSubmit: (event?: FormEvent<HTMLFormElement>) => Promise<void>;
}

/**
 * One form's values, submit state and errors from the API's error envelope: the block every form repeated.
 *
 *   const form = useApiForm({ initial: { email: "" }, submit: (values) => requestPasswordReset(values) });
 *   <form onSubmit={form.onSubmit}>{form.generalError ? <Alert>{form.generalError}</Alert> : null}
 *     <TextField label="Email" {...form.bind("email")} /><Button loading={form.submitting}>Send</Button></form>
 */
export function useApiForm<V extends object, R = unknown>(options: ApiFormOptions<V, R>): ApiForm<V, R> {
  const { initial, fields = Object.keys(initial), clearErrorOnChange = false } = options;
  const [values, setValues] = useState<V>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const [outcome, setOutcome] = useState<{ result: R } | null>(null);

  const reset = (next?: V) => setValues(next ?? initial);
  const helpers = (current: V): ApiFormHelpers<V> => ({ values: current, setValues, reset });

  const setValue = <K extends keyof V>(field: K, value: V[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (clearErrorOnChange) {
      setFieldErrors(({ [field as string]: _removed, ...rest }) => rest);
    }
  };

  const fieldError = (field: string) => fieldErrors[field]?.[0];

  async function onSubmit(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    const { submit, onSuccess, onError, busyAfterSuccess } = options;
    setSubmitting(true);
    setError(null);
    setFieldErrors({});
    setOutcome(null);
    try {
      const result = await submit(values);
      setOutcome({ result });
      onSuccess?.(result, helpers(values));
      if (!busyAfterSuccess) setSubmitting(false);
    } catch (err) {
      const apiError = toApiError(err);
      setError(apiError);
      setFieldErrors(apiError.fieldErrors);
      onError?.(apiError, helpers(values));
      setSubmitting(false);
    }
  }

  // Decided by the failure itself, so hiding an edited field's error doesn't move it to the top.
  const explained = error !== null && fields.some((field) => error.fieldErrors[field]?.length);
  const generalError = error && !explained ? (error.nonFieldErrors[0] ?? error.message) : null;

  return {
    values,
    setValues,
    reset,
    setValue,
    bind: (field) => ({
      value: values[field] as string,
      onChange: (event) => setValue(field, event.target.value as V[typeof field]),
      error: fieldError(field),
    }),
    fieldError,
    error,
    generalError,
    submitting,
    result: outcome?.result,
    done: outcome !== null,
    onSubmit,
  };
}

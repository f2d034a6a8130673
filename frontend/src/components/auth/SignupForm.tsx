"use client";

import { useState, type FormEvent } from "react";

import { signup } from "@/lib/api/signup";
import { toApiError, type FieldErrors } from "@/lib/apiClient";
import { sanitizeSlugInput, suggestSlug } from "@/lib/slug";
import { useSlugAvailability, type SlugAvailability } from "@/hooks/useSlugAvailability";
import { CheckIcon } from "@/components/icons";
import { Alert, Button, Field, Input, TextField } from "@/components/ui";

type SignupField = "business_name" | "slug" | "email" | "password";

function SlugStatus({ availability }: { availability: SlugAvailability }) {
  switch (availability.state) {
    case "checking":
      return <span className="text-slate-500">Checking availability…</span>;
    case "available":
      return (
        <span className="inline-flex items-center gap-1 text-brand-700">
          <CheckIcon className="size-4" /> Available
        </span>
      );
    case "unavailable":
      return <span className="text-red-700">{availability.reason || "Not available."}</span>;
    case "error":
      return <span className="text-slate-500">Couldn&apos;t check availability right now.</span>;
    default:
      return null;
  }
}

/**
 * Creates a business and its owner on the public host. On success the backend answers with a one-time
 * login link on the business's own subdomain, a different origin, hence window.location.assign.
 */
export function SignupForm({ host }: { host: string }) {
  const [businessName, setBusinessName] = useState("");
  const [slug, setSlug] = useState("");
  // Until the slug is edited by hand, it follows the business name.
  const [slugEdited, setSlugEdited] = useState(false);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const availability = useSlugAvailability(slug);

  const errorFor = (field: SignupField) => fieldErrors[field]?.[0];
  const clearError = (field: SignupField) =>
    setFieldErrors(({ [field]: _removed, ...rest }) => rest);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setFieldErrors({});
    setFormError(null);
    try {
      const result = await signup({ business_name: businessName, slug, email, password });
      window.location.assign(result.login_url);
    } catch (err) {
      const error = toApiError(err);
      setFieldErrors(error.fieldErrors);
      const known: string[] = ["business_name", "slug", "email", "password"];
      const hasFieldError = Object.keys(error.fieldErrors).some((field) => known.includes(field));
      // Field errors speak for themselves; anything else (throttled, server down) goes on top.
      if (!hasFieldError) setFormError(error.nonFieldErrors[0] ?? error.message);
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Sign up">
      {formError ? <Alert>{formError}</Alert> : null}
      <TextField
        label="Business name"
        name="business_name"
        autoComplete="organization"
        required
        value={businessName}
        onChange={(event) => {
          setBusinessName(event.target.value);
          clearError("business_name");
          if (!slugEdited) setSlug(suggestSlug(event.target.value));
        }}
        error={errorFor("business_name")}
      />
      <Field
        label="Your ConvoNest address"
        error={errorFor("slug")}
        hint={
          <div className="space-y-0.5">
            <div>
              <span className="font-medium text-slate-700">{slug || "your-business"}</span>.{host}
            </div>
            <div aria-live="polite">
              <SlugStatus availability={availability} />
            </div>
          </div>
        }
      >
        {(control) => (
          <div className="flex items-center gap-2">
            <Input
              {...control}
              name="slug"
              required
              autoComplete="off"
              spellCheck={false}
              value={slug}
              onChange={(event) => {
                setSlug(sanitizeSlugInput(event.target.value));
                setSlugEdited(true);
                clearError("slug");
              }}
              className="min-w-0 flex-1"
            />
            <span className="shrink-0 text-sm text-slate-500" aria-hidden="true">
              .{host}
            </span>
          </div>
        )}
      </Field>
      <TextField
        label="Work email"
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => {
          setEmail(event.target.value);
          clearError("email");
        }}
        error={errorFor("email")}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(event) => {
          setPassword(event.target.value);
          clearError("password");
        }}
        error={errorFor("password")}
        hint="At least 10 characters; not a common password."
      />
      <Button type="submit" loading={submitting} className="w-full">
        Create business account
      </Button>
    </form>
  );
}

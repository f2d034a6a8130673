"use client";

import { useState } from "react";

import { signup } from "@/lib/api/signup";
import { sanitizeSlugInput, suggestSlug } from "@/lib/slug";
import { useApiForm } from "@/hooks/useApiForm";
import { useSlugAvailability, type SlugAvailability } from "@/hooks/useSlugAvailability";
import { CheckIcon } from "@/components/icons";
import { Alert, Button, Field, Input, TextField } from "@/components/ui";

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
  const form = useApiForm({
    initial: { business_name: "", slug: "", email: "", password: "" },
    submit: signup,
    onSuccess: (result) => window.location.assign(result.login_url),
    busyAfterSuccess: true,
    // Field errors speak for themselves and go once the field is edited; anything else goes on top.
    clearErrorOnChange: true,
  });
  // Until the slug is edited by hand, it follows the business name.
  const [slugEdited, setSlugEdited] = useState(false);
  const slug = form.values.slug;
  const availability = useSlugAvailability(slug);

  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate aria-label="Sign up">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField
        label="Business name"
        name="business_name"
        autoComplete="organization"
        required
        {...form.bind("business_name")}
        onChange={(event) => {
          form.setValue("business_name", event.target.value);
          if (!slugEdited) form.setValue("slug", suggestSlug(event.target.value));
        }}
      />
      <Field
        label="Your ConvoNest address"
        error={form.fieldError("slug")}
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
                form.setValue("slug", sanitizeSlugInput(event.target.value));
                setSlugEdited(true);
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
        {...form.bind("email")}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        {...form.bind("password")}
        hint="At least 10 characters; not a common password."
      />
      <Button type="submit" loading={form.submitting} className="w-full">
        Create business account
      </Button>
    </form>
  );
}

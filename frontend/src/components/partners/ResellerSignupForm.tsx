"use client";

import { useState } from "react";

import { partnerSignup } from "@/lib/api/partners";
import { sanitizeSlugInput, suggestSlug } from "@/lib/slug";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, TextField } from "@/components/ui";

/**
 * Become a reseller, on the public host: the company and its first admin. The answer's login_url is a single-use
 * sign-in link on the partner console's own host (another origin), hence window.location.assign. The short name
 * names the reseller (it is no address), so it is checked by the server only: a 400 under the field.
 */
export function ResellerSignupForm() {
  const form = useApiForm({
    initial: { company_name: "", slug: "", email: "", password: "" },
    submit: partnerSignup,
    onSuccess: (result) => window.location.assign(result.login_url),
    busyAfterSuccess: true,
    clearErrorOnChange: true,
  });
  // Until the short name is edited by hand, it follows the company name.
  const [slugEdited, setSlugEdited] = useState(false);

  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate aria-label="Become a reseller">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField
        label="Company name"
        name="company_name"
        autoComplete="organization"
        required
        {...form.bind("company_name")}
        onChange={(event) => {
          form.setValue("company_name", event.target.value);
          if (!slugEdited) form.setValue("slug", suggestSlug(event.target.value));
        }}
      />
      <TextField
        label="Short name"
        name="slug"
        autoComplete="off"
        spellCheck={false}
        required
        {...form.bind("slug")}
        onChange={(event) => {
          form.setValue("slug", sanitizeSlugInput(event.target.value));
          setSlugEdited(true);
        }}
        hint="Lowercase letters, digits and hyphens. Your team uses it to choose your console at login."
      />
      <TextField label="Work email" type="email" name="email" autoComplete="email" required {...form.bind("email")} />
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
        Create partner account
      </Button>
    </form>
  );
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { createBusiness } from "@/lib/api/partners";
import type { PartnerBusinessCreate } from "@/lib/api/types";
import { partnerKeys } from "@/lib/query/keys";
import { sanitizeSlugInput, suggestSlug } from "@/lib/slug";
import { useApiForm } from "@/hooks/useApiForm";
import { PageHeader } from "@/components/app/PageHeader";
import { Alert, Button, buttonClasses, Card, CardBody, EmptyState, Field, Input, TextField } from "@/components/ui";
import { businessPath } from "./BusinessesView";
import { usePartnerSession } from "./PartnerSessionProvider";

const EMPTY: PartnerBusinessCreate = { business_name: "", slug: "", owner_email: "" };

/**
 * A client business: its name, its address and who owns it (invited by email to choose a password). The address is
 * checked by the server only: the availability check lives on the public host, and the create answers a 400 on
 * `slug` for a taken or reserved one, shown under the field.
 */
export function NewBusinessForm({ domain }: { domain: string }) {
  const { capabilities } = usePartnerSession();
  const router = useRouter();
  const client = useQueryClient();
  const form = useApiForm({
    initial: EMPTY,
    submit: createBusiness,
    onSuccess: (business) => {
      void client.invalidateQueries({ queryKey: partnerKeys.businessLists() });
      client.setQueryData(partnerKeys.business(business.id), business);
      router.push(businessPath(business.id));
    },
    busyAfterSuccess: true,
    clearErrorOnChange: true,
  });
  // Until the address is edited by hand, it follows the business name.
  const [slugEdited, setSlugEdited] = useState(false);
  const slug = form.values.slug;

  if (!capabilities.manage_businesses) {
    return (
      <>
        <PageHeader title="New business" />
        <EmptyState title="Only reseller admins create businesses" description="Ask an admin of your reseller to create it." />
      </>
    );
  }

  return (
    <>
      <PageHeader title="New business" description="A ConvoNest business for one of your clients." />
      <Card className="max-w-2xl">
        <CardBody>
          <form onSubmit={form.onSubmit} className="space-y-4" noValidate aria-label="New business">
            {form.generalError ? <Alert>{form.generalError}</Alert> : null}
            <TextField
              label="Business name"
              name="business_name"
              autoComplete="off"
              required
              {...form.bind("business_name")}
              onChange={(event) => {
                form.setValue("business_name", event.target.value);
                if (!slugEdited) form.setValue("slug", suggestSlug(event.target.value));
              }}
            />
            <Field
              label="Address"
              error={form.fieldError("slug")}
              hint={
                <>
                  <span className="font-medium text-slate-700">{slug || "client-name"}</span>.{domain} · lowercase letters, digits and hyphens
                </>
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
                    .{domain}
                  </span>
                </div>
              )}
            </Field>
            <TextField
              label="Owner's email"
              type="email"
              name="owner_email"
              autoComplete="off"
              required
              {...form.bind("owner_email")}
              hint="They get an invitation to become the business's owner and choose their own password."
            />
            <div className="flex flex-wrap gap-3">
              <Button type="submit" loading={form.submitting}>
                Create business
              </Button>
              <Link href="/partners" className={buttonClasses("secondary")}>
                Cancel
              </Link>
            </div>
          </form>
        </CardBody>
      </Card>
    </>
  );
}

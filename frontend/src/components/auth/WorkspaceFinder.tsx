"use client";

import { useState, type FormEvent } from "react";

import { sanitizeSlugInput } from "@/lib/slug";
import { Button, Field, Input } from "@/components/ui";

/**
 * Accounts live on each business's own address, so the public site can't log anyone in. This asks
 * for the business's subdomain and goes there.
 */
export function WorkspaceFinder({ host, proto, path = "/login" }: { host: string; proto: string; path?: string }) {
  const [slug, setSlug] = useState("");
  const [error, setError] = useState<string>();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!slug) {
      setError("Enter your business's subdomain.");
      return;
    }
    // Another host (the business's subdomain), so not a client-side route change.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`${proto}://${slug}.${host}${path}`);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <Field label="Your business's address" error={error}>
        {(control) => (
          <div className="flex items-center gap-2">
            <Input
              {...control}
              value={slug}
              onChange={(event) => {
                setSlug(sanitizeSlugInput(event.target.value));
                setError(undefined);
              }}
              placeholder="your-business"
              autoComplete="off"
              spellCheck={false}
              className="min-w-0 flex-1"
            />
            <span className="shrink-0 text-sm text-slate-500">.{host}</span>
          </div>
        )}
      </Field>
      <Button type="submit" variant="secondary" className="w-full">
        Continue to your business
      </Button>
    </form>
  );
}

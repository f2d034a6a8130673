"use client";

import Link from "next/link";
import { useEffect, useState } from "react";

import { acceptInvite, getInviteInfo } from "@/lib/api/team";
import type { InviteAcceptInfo } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { useFragmentParams } from "@/lib/fragment";
import { useProductName } from "@/components/BrandProvider";
import { useApiForm } from "@/hooks/useApiForm";
import { RoleBadge } from "@/components/team/RoleBadge";
import { Alert, Button, buttonClasses, Spinner, TextField } from "@/components/ui";

type Load = { state: "loading" } | { state: "ready"; info: InviteAcceptInfo } | { state: "failed"; message: string };

const INCOMPLETE = "This invitation link is incomplete.";

/**
 * Shows who invited whom to what, asks for a password if the person is new, and joins.
 * The token comes from the link's fragment (`#token=…`); `queryToken` is for links mailed before that.
 */
export function InviteAcceptForm({ queryToken }: { queryToken?: string }) {
  const product = useProductName(); // a reseller's white label, or ConvoNest
  const fragment = useFragmentParams(); // null until hydrated: the server never sees the fragment
  const token = fragment === null ? undefined : fragment.get("token") || queryToken || null;
  const [fetched, setFetched] = useState<Load>({ state: "loading" });
  const load: Load = token === null ? { state: "failed", message: INCOMPLETE } : fetched;
  const form = useApiForm({
    initial: { first_name: "", last_name: "", password: "" },
    // Only sent from the ready state, which needs a token. A name is asked only of someone new.
    submit: (values) =>
      acceptInvite(
        load.state === "ready" && load.info.needs_password
          ? { token: token ?? "", ...values }
          : { token: token ?? "", password: values.password },
      ),
    onSuccess: () => window.location.replace("/dashboard"),
    busyAfterSuccess: true,
  });

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    getInviteInfo(token)
      .then((info) => !cancelled && setFetched({ state: "ready", info }))
      .catch((err: unknown) => !cancelled && setFetched({ state: "failed", message: toApiError(err).message }));
    return () => {
      cancelled = true;
    };
  }, [token]);

  if (load.state === "loading") {
    return (
      <p role="status" className="flex items-center gap-3 text-slate-700">
        <Spinner className="text-brand-700" /> Opening your invitation…
      </p>
    );
  }
  if (load.state === "failed") {
    return (
      <div className="space-y-4">
        <Alert>{load.message}</Alert>
        <p className="text-sm text-slate-600">Ask the person who invited you to send a new invitation.</p>
        <Link href="/login" className={buttonClasses("secondary", "md", "w-full")}>
          Go to login
        </Link>
      </div>
    );
  }

  const { info } = load;

  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate>
      <div className="rounded-lg bg-slate-50 px-4 py-3 text-sm text-slate-700">
        <p>
          <strong>{info.tenant.name}</strong> invited <strong>{info.email}</strong> to join as{" "}
          <RoleBadge role={info.role} />.
        </p>
      </div>
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      {info.needs_password ? (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="First name"
              autoComplete="given-name"
              {...form.bind("first_name")}
            />
            <TextField
              label="Last name"
              autoComplete="family-name"
              {...form.bind("last_name")}
            />
          </div>
          <TextField
            label="Choose a password"
            type="password"
            autoComplete="new-password"
            required
            {...form.bind("password")}
            hint="At least 10 characters; not a common password."
          />
        </>
      ) : (
        // The email already has a ConvoNest login (from another business): proving it is enough.
        <TextField
          label={`Your ${product} password`}
          type="password"
          autoComplete="current-password"
          required
          {...form.bind("password")}
          hint={
            <>
              You already have a {product} login with <strong>{info.email}</strong>; enter its password.{" "}
              {/* Invitees may reset here even before joining: a forgotten login, or one someone else made. */}
              <Link href="/reset-password" className="font-medium text-brand-700 hover:underline">
                Forgot it?
              </Link>
            </>
          }
        />
      )}
      <Button type="submit" loading={form.submitting} className="w-full">
        Join {info.tenant.name}
      </Button>
    </form>
  );
}

"use client";

import Link from "next/link";
import { useEffect, useState } from "react";

import { acceptPartnerInvite, getPartnerInviteInfo } from "@/lib/api/partners";
import type { PartnerInviteInfo } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { useFragmentParams } from "@/lib/fragment";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, buttonClasses, Spinner, TextField } from "@/components/ui";
import { PartnerRoleBadge } from "./PartnerRoleBadge";
import { CONSOLE_HOME, CONSOLE_LOGIN } from "./PartnerSessionProvider";

type Load = { state: "loading" } | { state: "ready"; info: PartnerInviteInfo } | { state: "failed"; message: string };

const INCOMPLETE = "This invitation link is incomplete.";

/**
 * An invitation to a reseller's team: the token comes from the link's fragment (`#token=…`, never sent to a
 * server), is looked up with a POST, and accepting it signs the person in on the console.
 */
export function PartnerInviteAccept() {
  const fragment = useFragmentParams(); // null until hydrated: the server never sees the fragment
  const token = fragment === null ? undefined : fragment.get("token") || null;
  const [fetched, setFetched] = useState<Load>({ state: "loading" });
  const load: Load = token === null ? { state: "failed", message: INCOMPLETE } : fetched;
  const form = useApiForm({
    initial: { first_name: "", last_name: "", password: "" },
    // A name is asked only of someone new; someone with a login proves it with its password.
    submit: (values) =>
      acceptPartnerInvite(
        load.state === "ready" && load.info.needs_password ? { token: token ?? "", ...values } : { token: token ?? "", password: values.password },
      ),
    onSuccess: () => window.location.replace(CONSOLE_HOME),
    busyAfterSuccess: true,
  });

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    getPartnerInviteInfo(token)
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
        <Link href={CONSOLE_LOGIN} className={buttonClasses("secondary", "md", "w-full")}>
          Go to login
        </Link>
      </div>
    );
  }

  const { info } = load;
  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate aria-label="Accept the invitation">
      <div className="rounded-lg bg-slate-50 px-4 py-3 text-sm text-slate-700">
        <p>
          <strong>{info.reseller.name}</strong> invited <strong>{info.email}</strong> to its partner console as{" "}
          <PartnerRoleBadge role={info.role} />.
        </p>
      </div>
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      {info.needs_password ? (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="First name" autoComplete="given-name" {...form.bind("first_name")} />
            <TextField label="Last name" autoComplete="family-name" {...form.bind("last_name")} />
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
        <TextField
          label="Your ConvoNest password"
          type="password"
          autoComplete="current-password"
          required
          {...form.bind("password")}
          hint={
            <>
              You already have a ConvoNest login with <strong>{info.email}</strong>; enter its password.
            </>
          }
        />
      )}
      <Button type="submit" loading={form.submitting} className="w-full">
        Join {info.reseller.name}
      </Button>
    </form>
  );
}

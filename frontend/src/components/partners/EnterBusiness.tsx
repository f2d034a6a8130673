"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { enterBusiness } from "@/lib/api/partners";
import type { PartnerBusiness } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { partnerKeys } from "@/lib/query/keys";
import { Alert, Button } from "@/components/ui";

/** Why entering was refused, in words that say who can change it. */
function EnterRefusal({ error, business }: { error: ApiError; business: PartnerBusiness }) {
  if (error.code === "reseller_access_revoked") {
    return (
      <Alert className="mt-3">
        <p className="font-medium">{business.name} has turned off access for your reseller.</p>
        <p className="mt-1">
          Only its owner can let your team in again, in their Settings → Team. You still see its plan, usage and numbers
          here.
        </p>
      </Alert>
    );
  }
  if (error.code === "business_suspended") {
    return <Alert className="mt-3">{business.name} is suspended. Resume it to enter.</Alert>;
  }
  return <Alert className="mt-3">{error.message}</Alert>;
}

/**
 * Enter: the API answers a single-use sign-in link to the business's own host (a different origin, so a full
 * navigation), where the person acts as admin (reseller admins) or agent (support). Audited on both sides.
 */
export function EnterBusiness({ business }: { business: PartnerBusiness }) {
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function onEnter() {
    setBusy(true);
    setError(null);
    try {
      const { url } = await enterBusiness(business.id);
      window.location.assign(url); // stays busy until the page goes
    } catch (err) {
      const refusal = toApiError(err);
      setError(refusal);
      setBusy(false);
      // The refusal may be news (access turned off, suspended meanwhile): show the business as it is now.
      void client.invalidateQueries({ queryKey: partnerKeys.business(business.id) });
    }
  }

  return (
    <div>
      <Button onClick={onEnter} loading={busy} disabled={!business.is_active}>
        Enter {business.name}
      </Button>
      {business.is_active ? null : <p className="mt-2 text-sm text-slate-500">A suspended business can&apos;t be entered.</p>}
      {error ? <EnterRefusal error={error} business={business} /> : null}
    </div>
  );
}

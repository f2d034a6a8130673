"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { resumeBusiness, suspendBusiness } from "@/lib/api/partners";
import type { PartnerBusiness } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { replaceListItem } from "@/lib/query/cache";
import { partnerKeys } from "@/lib/query/keys";
import { Alert, Button, TextField } from "@/components/ui";

/**
 * Suspend (its host goes offline for everyone, its people and customers' replies included, until resumed) or
 * resume, each behind a confirmation that says so. The answer is the business as it is now: the page and every
 * cached list show it at once.
 */
export function SuspendControl({ business }: { business: PartnerBusiness }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const suspending = business.is_active;

  async function onConfirm() {
    setBusy(true);
    setError(null);
    try {
      const updated = suspending ? await suspendBusiness(business.id, reason.trim()) : await resumeBusiness(business.id);
      client.setQueryData(partnerKeys.business(updated.id), updated);
      replaceListItem(client, partnerKeys.businessLists(), updated);
      void client.invalidateQueries({ queryKey: partnerKeys.activity(updated.id) });
      setConfirming(false);
      setReason("");
    } catch (err) {
      const refusal = toApiError(err);
      setError(refusal.message);
      // Already so (another tab, a colleague): load the business as it is, so the button matches it.
      if (refusal.code === "invalid_transition") {
        setConfirming(false);
        void client.invalidateQueries({ queryKey: partnerKeys.business(business.id) });
      }
    } finally {
      setBusy(false);
    }
  }

  if (!confirming) {
    return (
      <div>
        <Button variant={suspending ? "secondary" : "primary"} className={suspending ? "text-red-700" : undefined} onClick={() => setConfirming(true)}>
          {suspending ? "Suspend" : "Resume"}
        </Button>
        {error ? <Alert className="mt-3">{error}</Alert> : null}
      </div>
    );
  }

  return (
    <div role="group" aria-label={suspending ? "Suspend business" : "Resume business"} className="max-w-md space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      {suspending ? (
        <>
          <p className="text-sm text-slate-700">
            Suspend <strong>{business.name}</strong>? Its address goes offline: nobody can sign in or use its API until you resume it.
            Messages customers send meanwhile are kept.
          </p>
          <TextField label="Reason (optional)" value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} hint="Kept in your activity log." />
        </>
      ) : (
        <p className="text-sm text-slate-700">
          Resume <strong>{business.name}</strong>? Its address comes back online and its people can sign in again.
        </p>
      )}
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button variant={suspending ? "danger" : "primary"} loading={busy} onClick={onConfirm}>
          {suspending ? "Suspend business" : "Resume business"}
        </Button>
        <Button
          variant="secondary"
          disabled={busy}
          onClick={() => {
            setConfirming(false);
            setError(null);
          }}
        >
          Cancel
        </Button>
      </div>
    </div>
  );
}

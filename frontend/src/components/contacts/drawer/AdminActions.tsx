"use client";

import { useState } from "react";

import { deleteContact, eraseContact, exportContactData } from "@/lib/api/contacts";
import type { Contact } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Alert, Button, Input } from "@/components/ui";
import { downloadJson } from "../download";
import { contactLabel } from "../format";
import { MergeDialog } from "./MergeDialog";

const ERASE_WORD = "ERASE";

type Step = "idle" | "erase" | "delete";

/** Owners and admins only: data export, merge, erase and delete. */
export function AdminActions({ contact, onMerged, onRemoved }: { contact: Contact; onMerged: (survivor: Contact) => void; onRemoved: (message: string) => void }) {
  const [step, setStep] = useState<Step>("idle");
  const [merging, setMerging] = useState(false);
  const [confirmText, setConfirmText] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const label = contactLabel(contact);

  async function run(name: string, action: () => Promise<void>) {
    setBusy(name);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="space-y-3">
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          variant="secondary"
          loading={busy === "export"}
          onClick={() => void run("export", async () => downloadJson(await exportContactData(contact.id), `contact-${contact.id}.json`))}
        >
          Export data (JSON)
        </Button>
        <Button size="sm" variant="secondary" onClick={() => setMerging(true)}>
          Merge with another contact
        </Button>
        <Button size="sm" variant="secondary" className="text-red-700" onClick={() => setStep("delete")}>
          Delete
        </Button>
        <Button size="sm" variant="secondary" className="text-red-700" onClick={() => setStep("erase")}>
          Erase personal data
        </Button>
      </div>

      {step === "delete" ? (
        <div className="space-y-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p>Delete {label} and their consent history? If they had opted out, only a hashed suppression entry is kept.</p>
          <div className="flex gap-2">
            <Button size="sm" variant="danger" autoFocus loading={busy === "delete"} onClick={() => void run("delete", async () => {
              await deleteContact(contact.id);
              onRemoved(`${label} was deleted.`);
            })}>
              Delete contact
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setStep("idle")}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}

      {step === "erase" ? (
        <div className="space-y-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-medium">Erase all personal data of {label}?</p>
          <p>
            Name, phone, email, tags, attributes and activity are removed for good and their messages anonymised. The consent history stays as
            evidence without its proof texts. Use this for a data-protection request; it can&apos;t be undone.
          </p>
          <label className="block">
            Type <strong>{ERASE_WORD}</strong> to confirm
            <Input value={confirmText} onChange={(event) => setConfirmText(event.target.value)} className="mt-1 h-9 max-w-48" autoComplete="off" autoFocus />
          </label>
          <div className="flex gap-2">
            <Button
              size="sm"
              variant="danger"
              disabled={confirmText.trim() !== ERASE_WORD}
              loading={busy === "erase"}
              onClick={() => void run("erase", async () => {
                await eraseContact(contact.id);
                onRemoved(`${label} was erased.`);
              })}
            >
              Erase for good
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setStep("idle");
                setConfirmText("");
              }}
            >
              Cancel
            </Button>
          </div>
        </div>
      ) : null}

      {merging ? (
        <MergeDialog
          contact={contact}
          onClose={() => setMerging(false)}
          onMerged={(survivor) => {
            setMerging(false);
            onMerged(survivor);
          }}
        />
      ) : null}
    </div>
  );
}

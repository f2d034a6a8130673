"use client";

import { useState, type FormEvent } from "react";

import type { ContactBulkAction, ContactBulkResult } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Alert, Button, Input } from "@/components/ui";
import { cleanTags, splitList } from "./filters/model";
import { formatCount, plural } from "./format";

export interface BulkBarProps {
  /** How many contacts the selection covers (all matching, or the ticked rows). */
  count: number;
  canDelete: boolean;
  onRun: (action: ContactBulkAction, tags: string[]) => Promise<ContactBulkResult>;
  onClear: () => void;
}

type Step = { kind: "idle" } | { kind: "tags"; action: "tag" | "untag" } | { kind: "delete" };

/** Actions on the selection: add or remove tags, delete (owners and admins). */
export function BulkBar({ count, canDelete, onRun, onClear }: BulkBarProps) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [tagText, setTagText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: ContactBulkAction, tags: string[]) {
    setBusy(true);
    setError(null);
    try {
      await onRun(action, tags);
      setStep({ kind: "idle" });
      setTagText("");
    } catch (err) {
      const apiError = toApiError(err);
      setError(apiError.fieldError("tags") ?? apiError.nonFieldErrors[0] ?? apiError.message);
    } finally {
      setBusy(false);
    }
  }

  function onTagsSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step.kind !== "tags") return;
    const tags = cleanTags(splitList(tagText));
    if (!tags.length) {
      setError("Type at least one tag.");
      return;
    }
    void run(step.action, tags);
  }

  const who = plural(count, "contact");
  return (
    <div className="space-y-2 border-b border-brand-100 bg-brand-50 px-5 py-3" role="region" aria-label="Bulk actions">
      <div className="flex flex-wrap items-center gap-2">
        <span className="mr-2 text-sm font-medium text-brand-900">{formatCount(count)} selected</span>
        {step.kind === "idle" ? (
          <>
            <Button size="sm" variant="secondary" onClick={() => setStep({ kind: "tags", action: "tag" })}>
              Add tags
            </Button>
            <Button size="sm" variant="secondary" onClick={() => setStep({ kind: "tags", action: "untag" })}>
              Remove tags
            </Button>
            {canDelete ? (
              <Button size="sm" variant="secondary" className="text-red-700" onClick={() => setStep({ kind: "delete" })}>
                Delete
              </Button>
            ) : null}
            <Button size="sm" variant="ghost" onClick={onClear}>
              Clear selection
            </Button>
          </>
        ) : step.kind === "tags" ? (
          <form onSubmit={onTagsSubmit} className="flex flex-wrap items-center gap-2" aria-label={step.action === "tag" ? "Add tags" : "Remove tags"}>
            <Input
              aria-label={step.action === "tag" ? "Tags to add" : "Tags to remove"}
              autoFocus
              value={tagText}
              onChange={(event) => setTagText(event.target.value)}
              placeholder="vip, wholesale"
              className="h-8 w-56!"
            />
            <Button size="sm" type="submit" loading={busy}>
              {step.action === "tag" ? `Add to ${who}` : `Remove from ${who}`}
            </Button>
            <Button size="sm" variant="ghost" disabled={busy} onClick={() => setStep({ kind: "idle" })}>
              Cancel
            </Button>
          </form>
        ) : (
          <>
            <span className="text-sm text-red-800">Delete {who} and their consent history? This can&apos;t be undone.</span>
            <Button size="sm" variant="danger" loading={busy} onClick={() => void run("delete", [])}>
              Delete {who}
            </Button>
            <Button size="sm" variant="ghost" disabled={busy} onClick={() => setStep({ kind: "idle" })}>
              Cancel
            </Button>
          </>
        )}
      </div>
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}

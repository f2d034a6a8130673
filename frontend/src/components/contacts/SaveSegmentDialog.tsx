"use client";

import { useEffect, useState, type FormEvent } from "react";

import { createSegment, previewSegment, type FilterDocument } from "@/lib/api/contacts";
import type { Segment } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { Alert, Button, TextField } from "@/components/ui";
import { plural } from "./format";
import { Overlay } from "./Overlay";

/** Saves the builder's filter as a named segment, showing how many contacts it holds right now. */
export function SaveSegmentDialog({ filter, onSaved, onClose }: { filter: FilterDocument; onSaved: (segment: Segment) => void; onClose: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let cancelled = false;
    previewSegment(filter)
      .then((result) => !cancelled && setPreview(`${plural(result.count, "contact")} match now; the segment follows the conditions as contacts change.`))
      .catch((err: unknown) => !cancelled && setPreview(toApiError(err).message));
    return () => {
      cancelled = true;
    };
  }, [filter]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      onSaved(await createSegment({ name, description, filter }));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  const formId = "save-segment-form";
  return (
    <Overlay
      title="Save as segment"
      description="A segment keeps these conditions (not the search text) for the contacts page and campaigns."
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={saving}>
            Save segment
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate className="space-y-4">
        {error && !error.fieldError("name") && !error.fieldError("description") ? <Alert>{error.fieldError("filter") ?? error.message}</Alert> : null}
        <TextField label="Name" required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} error={error?.fieldError("name")} />
        <TextField
          label="Description (optional)"
          maxLength={500}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          error={error?.fieldError("description")}
        />
        <p className="text-sm text-slate-600" aria-live="polite">
          {preview ?? "Counting…"}
        </p>
      </form>
    </Overlay>
  );
}

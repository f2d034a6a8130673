"use client";

import { useQuery } from "@tanstack/react-query";

import { createSegment, previewSegment, type FilterDocument } from "@/lib/api/contacts";
import type { Segment } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { contactKeys } from "@/lib/query/keys";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, TextField } from "@/components/ui";
import { plural } from "./format";
import { Overlay } from "./Overlay";

/** Saves the builder's filter as a named segment, showing how many contacts it holds right now. */
export function SaveSegmentDialog({ filter, onSaved, onClose }: { filter: FilterDocument; onSaved: (segment: Segment) => void; onClose: () => void }) {
  const form = useApiForm({
    initial: { name: "", description: "" },
    submit: (values) => createSegment({ ...values, filter }),
    onSuccess: (segment) => onSaved(segment),
  });
  const counted = useQuery({ queryKey: contactKeys.segmentPreview(filter), queryFn: () => previewSegment(filter) });
  const preview = counted.data
    ? `${plural(counted.data.count, "contact")} match now; the segment follows the conditions as contacts change.`
    : counted.error
      ? toApiError(counted.error).message
      : null;

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
          <Button type="submit" form={formId} loading={form.submitting}>
            Save segment
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate className="space-y-4">
        {form.generalError ? <Alert>{form.fieldError("filter") ?? form.generalError}</Alert> : null}
        <TextField label="Name" required maxLength={100} {...form.bind("name")} />
        <TextField
          label="Description (optional)"
          maxLength={500}
          {...form.bind("description")}
        />
        <p className="text-sm text-slate-600" aria-live="polite">
          {preview ?? "Counting…"}
        </p>
      </form>
    </Overlay>
  );
}

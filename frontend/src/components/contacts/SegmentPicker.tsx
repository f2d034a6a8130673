"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { countSegment } from "@/lib/api/contacts";
import type { Segment } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { contactKeys } from "@/lib/query/keys";
import { Button, Select, Spinner } from "@/components/ui";
import { plural } from "./format";

export interface SegmentPickerProps {
  segments: Segment[];
  value: number | null;
  onChange: (id: number | null) => void;
  /** Loads the segment's conditions into the filter builder (when it can show them). */
  onEditAsFilter: (segment: Segment) => void;
  canEdit: (segment: Segment) => boolean;
  onDelete?: (segment: Segment) => Promise<void>;
}

/** The saved-segment menu, with the chosen segment's size from its count endpoint. */
export function SegmentPicker({ segments, value, onChange, onEditAsFilter, canEdit, onDelete }: SegmentPickerProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const segment = segments.find((s) => s.id === value) ?? null;

  const counted = useQuery({ queryKey: contactKeys.segmentCount(value ?? 0), queryFn: () => countSegment(value!), enabled: value !== null });
  const current = value === null || counted.isPending ? null : { result: counted.data ?? null, error: counted.error ? toApiError(counted.error).message : undefined };

  async function remove(target: Segment) {
    if (!onDelete) return;
    setBusy(true);
    setDeleteError(null);
    try {
      await onDelete(target);
      setConfirming(false);
    } catch (err) {
      setDeleteError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm">
      <Select
        aria-label="Segment"
        value={value ?? ""}
        onChange={(event) => {
          setConfirming(false);
          setDeleteError(null);
          onChange(event.target.value ? Number(event.target.value) : null);
        }}
        className="h-10 w-auto! max-w-64"
      >
        <option value="">All contacts</option>
        {segments.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      {segment ? (
        <>
          <span className="text-slate-600" aria-live="polite">
            {current ? (
              current.result ? (
                <>
                  <strong className="text-slate-900">{plural(current.result.count, "contact")}</strong> in this segment
                </>
              ) : (
                <span className="text-red-700">{current.error}</span>
              )
            ) : (
              <span className="inline-flex items-center gap-1.5">
                <Spinner /> Counting…
              </span>
            )}
          </span>
          {canEdit(segment) ? (
            <Button size="sm" variant="ghost" onClick={() => onEditAsFilter(segment)}>
              Edit as filter
            </Button>
          ) : null}
          {onDelete ? (
            confirming ? (
              <span className="flex items-center gap-2">
                <Button size="sm" variant="danger" loading={busy} onClick={() => void remove(segment)}>
                  Delete “{segment.name}”
                </Button>
                <Button size="sm" variant="ghost" disabled={busy} onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
              </span>
            ) : (
              <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setConfirming(true)}>
                Delete segment
              </Button>
            )
          ) : null}
          {segment.description ? <span className="w-full text-slate-500">{segment.description}</span> : null}
          {deleteError ? <span className="w-full text-red-700">{deleteError}</span> : null}
        </>
      ) : null}
    </div>
  );
}

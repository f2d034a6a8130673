"use client";

import { useId, useState, type DragEvent } from "react";

import { cx } from "@/components/ui";
import { formatBytes } from "./mapping";

/** Choose a CSV by dropping it here or with the file picker. */
export function FileDrop({ file, onFile, disabled = false }: { file: File | null; onFile: (file: File) => void; disabled?: boolean }) {
  const id = useId();
  const [over, setOver] = useState(false);

  const onDrop = (event: DragEvent<HTMLLabelElement>) => {
    event.preventDefault();
    setOver(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped && !disabled) onFile(dropped);
  };

  return (
    <label
      htmlFor={id}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      className={cx(
        "flex cursor-pointer flex-col items-center justify-center rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors",
        over ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-white hover:border-brand-300",
        disabled && "cursor-not-allowed opacity-60",
      )}
    >
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className="mb-3 size-8 text-brand-700">
        <path d="M12 15V4M7.5 8.5 12 4l4.5 4.5" />
        <path d="M4 15v3.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V15" />
      </svg>
      <span className="text-sm font-medium text-slate-900">{file ? file.name : "Drop a CSV file here, or click to choose one"}</span>
      <span className="mt-1 text-sm text-slate-500">
        {file ? formatBytes(file.size) : "A header row, then one contact per row. Up to 200 MB; Excel and Google Sheets exports work."}
      </span>
      <input
        id={id}
        type="file"
        accept=".csv,.tsv,.txt,text/csv,text/plain"
        className="sr-only"
        disabled={disabled}
        onChange={(event) => {
          const chosen = event.target.files?.[0];
          if (chosen) onFile(chosen);
          event.target.value = ""; // choosing the same file again still counts
        }}
      />
    </label>
  );
}

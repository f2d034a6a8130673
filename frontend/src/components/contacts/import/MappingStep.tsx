"use client";

import { useState, type FormEvent } from "react";

import type { ContactImportLayout, ImportEncoding, ImportOnExisting } from "@/lib/api/types";
import { Alert, Button, Select, TextField } from "@/components/ui";
import { cleanTags, splitList } from "../filters/model";
import { delimiterName, formatBytes, IGNORE, validateMapping, type Mapping } from "./mapping";

export interface MappingChoice {
  mapping: Mapping;
  onExisting: ImportOnExisting;
  tags: string[];
}

export interface MappingStepProps {
  file: File;
  layout: ContactImportLayout;
  /** The encoding the uploader chose after the file turned out not to be UTF-8 (else undefined). */
  encoding?: ImportEncoding;
  onEncodingChange?: (encoding: ImportEncoding) => void;
  initial: Mapping;
  /** A refusal of the start request (envelope message). */
  error?: string | null;
  starting: boolean;
  onStart: (choice: MappingChoice) => void;
  onBack: () => void;
}

export const ENCODINGS: { value: ImportEncoding; label: string }[] = [
  { value: "cp1252", label: "Windows (cp1252): Excel's “CSV (Comma delimited)” on Windows" },
  { value: "latin-1", label: "Latin-1 (ISO-8859-1)" },
  { value: "iso-8859-15", label: "Latin-9 (ISO-8859-15)" },
  { value: "cp1251", label: "Cyrillic (cp1251)" },
  { value: "shift_jis", label: "Japanese (Shift JIS)" },
  { value: "gb18030", label: "Chinese (GB 18030)" },
  { value: "utf-16", label: "UTF-16 (“Unicode text”)" },
  { value: "utf-8", label: "UTF-8" },
];

const SAMPLES = 3;

/** Step 2: what each column is, what happens to existing contacts, tags for everyone. */
export function MappingStep({ file, layout, encoding, onEncodingChange, initial, error, starting, onStart, onBack }: MappingStepProps) {
  const [mapping, setMapping] = useState<Mapping>(initial);
  const [onExisting, setOnExisting] = useState<ImportOnExisting>("update");
  const [tagText, setTagText] = useState("");
  const check = validateMapping(mapping, layout.targets);
  const groups = [
    { label: "Contact fields", targets: layout.targets.filter((t) => t.kind === "field") },
    { label: "Attributes", targets: layout.targets.filter((t) => t.kind === "attribute") },
  ];
  const ignore = layout.targets.find((t) => t.kind === "ignore");

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (check.valid) onStart({ mapping, onExisting, tags: cleanTags(splitList(tagText)) });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6" aria-label="Column mapping">
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="text-slate-500">File</dt>
        <dd className="text-slate-900">
          {file.name} ({formatBytes(file.size)})
        </dd>
        <dt className="text-slate-500">Encoding</dt>
        <dd className="text-slate-900">
          {encoding && onEncodingChange ? (
            <Select aria-label="Encoding" value={encoding} onChange={(event) => onEncodingChange(event.target.value as ImportEncoding)} className="h-8 w-auto! py-0">
              {ENCODINGS.map((e) => (
                <option key={e.value} value={e.value}>
                  {e.label}
                </option>
              ))}
            </Select>
          ) : (
            <>{layout.encoding} (detected)</>
          )}
        </dd>
        <dt className="text-slate-500">Separator</dt>
        <dd className="text-slate-900">{delimiterName(layout.delimiter)}</dd>
        <dt className="text-slate-500">Columns</dt>
        <dd className="text-slate-900">{layout.headers.length}</dd>
      </dl>

      <div className="overflow-x-auto rounded-lg border border-slate-200">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-100 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Column
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                First values
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Import as
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {layout.headers.map((header, index) => {
              const problem = check.columns[header];
              const samples = layout.sample_rows.slice(0, SAMPLES).map((row) => row[index] ?? "");
              return (
                <tr key={`${index}:${header}`} className="align-top">
                  <th scope="row" className="px-3 py-2.5 font-medium text-slate-900">
                    {header || <span className="italic text-slate-500">(no name)</span>}
                  </th>
                  <td className="max-w-64 px-3 py-2.5 text-slate-600">
                    {samples.filter(Boolean).length ? (
                      <ul>
                        {samples.map((value, i) => (
                          <li key={i} className="truncate">
                            {value || <span className="text-slate-400">—</span>}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="text-slate-400">empty</span>
                    )}
                  </td>
                  <td className="px-3 py-2.5">
                    <Select
                      aria-label={`Import column ${header} as`}
                      invalid={Boolean(problem)}
                      value={mapping[header] ?? IGNORE}
                      onChange={(event) => setMapping((m) => ({ ...m, [header]: event.target.value }))}
                      className={mapping[header] === IGNORE ? "min-w-44 text-slate-500" : "min-w-44"}
                    >
                      {groups.map((group) =>
                        group.targets.length ? (
                          <optgroup key={group.label} label={group.label}>
                            {group.targets.map((t) => (
                              <option key={t.value} value={t.value}>
                                {t.label}
                              </option>
                            ))}
                          </optgroup>
                        ) : null,
                      )}
                      <option value={ignore?.value ?? IGNORE}>{ignore?.label ?? "Don't import"}</option>
                    </Select>
                    {problem ? <p className="mt-1 text-sm text-red-700">{problem}</p> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {check.general.length ? <Alert>{check.general.join(" ")}</Alert> : null}

      <div className="grid gap-6 sm:grid-cols-2">
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium text-slate-800">Contacts that already exist (same phone)</legend>
          <div className="space-y-2 text-sm">
            <label className="flex items-start gap-2">
              <input type="radio" name="on-existing" className="mt-0.5 size-4 accent-brand-700" checked={onExisting === "update"} onChange={() => setOnExisting("update")} />
              <span>
                <span className="font-medium text-slate-900">Update them</span>
                <span className="block text-slate-500">Fill in the file&apos;s values; blank cells never erase anything; tags are added.</span>
              </span>
            </label>
            <label className="flex items-start gap-2">
              <input type="radio" name="on-existing" className="mt-0.5 size-4 accent-brand-700" checked={onExisting === "skip"} onChange={() => setOnExisting("skip")} />
              <span>
                <span className="font-medium text-slate-900">Leave them as they are</span>
                <span className="block text-slate-500">Only new contacts are created.</span>
              </span>
            </label>
          </div>
        </fieldset>
        <div className="space-y-3">
          <TextField
            label="Tags for every imported contact (optional)"
            value={tagText}
            onChange={(event) => setTagText(event.target.value)}
            placeholder="imported-2026-05, newsletter"
            hint="Separated by commas."
          />
          <p className="text-sm text-slate-500">
            Imports never change consent, so a list can&apos;t re-subscribe someone who sent STOP. Record opt-ins with their proof on each contact.
          </p>
        </div>
      </div>

      {error ? <Alert>{error}</Alert> : null}

      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={starting} disabled={!check.valid}>
          Start import
        </Button>
        <Button variant="secondary" disabled={starting} onClick={onBack}>
          Choose another file
        </Button>
      </div>
    </form>
  );
}

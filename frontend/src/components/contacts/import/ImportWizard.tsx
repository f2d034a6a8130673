"use client";

import Link from "next/link";
import { useState } from "react";

import { inspectImport, startImport } from "@/lib/api/contacts";
import type { ContactImport, ContactImportLayout, ImportEncoding } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { PageHeader } from "@/components/app/PageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { Alert, Button, buttonClasses, Card, CardBody, cx, EmptyState, Field, Select, Spinner } from "@/components/ui";
import { FileDrop } from "./FileDrop";
import { ImportProgress } from "./ImportProgress";
import { initialMapping } from "./mapping";
import { ENCODINGS, MappingStep, type MappingChoice } from "./MappingStep";
import { isFinished, useImportJob } from "./poll";
import { RecentImports } from "./RecentImports";

const STEPS = ["Choose a file", "Match the columns", "Import"];

function Steps({ current }: { current: number }) {
  return (
    <ol className="mb-6 flex flex-wrap gap-x-6 gap-y-2 text-sm" aria-label="Steps">
      {STEPS.map((label, index) => (
        <li key={label} aria-current={index === current ? "step" : undefined} className="flex items-center gap-2">
          <span
            className={cx(
              "flex size-6 items-center justify-center rounded-full text-xs font-semibold",
              index < current ? "bg-brand-100 text-brand-800" : index === current ? "bg-brand-700 text-white" : "bg-slate-100 text-slate-500",
            )}
          >
            {index + 1}
          </span>
          <span className={index === current ? "font-medium text-slate-900" : "text-slate-500"}>{label}</span>
        </li>
      ))}
    </ol>
  );
}

function ImportRun({ initial, onFinished, onAnother }: { initial: ContactImport; onFinished: () => void; onAnother: () => void }) {
  const { job, error, stalled } = useImportJob(initial, onFinished);
  return (
    <div className="space-y-5">
      <ImportProgress job={job} pollError={error} stalled={stalled} />
      {isFinished(job) ? (
        <div className="flex flex-wrap gap-2">
          <Link href="/contacts" className={buttonClasses("primary")}>
            View contacts
          </Link>
          <Button variant="secondary" onClick={onAnother}>
            Import another file
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** The import wizard for the logged-in member (owners and admins). */
export function ImportContent() {
  const { user } = useSession();
  return <ImportWizard canManage={user.capabilities.manage_contacts} />;
}

/**
 * /contacts/import: choose a CSV → the server inspects its start (encoding, separator, columns, first
 * rows, suggested mapping) → match the columns → upload (202) → follow the job every second → summary
 * and error report. Recent imports are listed below.
 */
export function ImportWizard({ canManage }: { canManage: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [layout, setLayout] = useState<ContactImportLayout | null>(null);
  const [encoding, setEncoding] = useState<ImportEncoding | undefined>(undefined);
  const [chosenEncoding, setChosenEncoding] = useState<ImportEncoding>("cp1252");
  const [inspecting, setInspecting] = useState(false);
  const [inspectError, setInspectError] = useState<ApiError | null>(null);
  const [starting, setStarting] = useState(false);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [job, setJob] = useState<ContactImport | null>(null);
  const [recentKey, setRecentKey] = useState(0);

  if (!canManage) {
    return (
      <>
        <PageHeader title="Import contacts" />
        <EmptyState
          title="Only owners and admins can import contacts"
          description="Ask an owner or admin of this business to import your spreadsheet. You can add contacts one by one."
          action={
            <Link href="/contacts" className={buttonClasses("secondary")}>
              Back to contacts
            </Link>
          }
        />
      </>
    );
  }

  async function inspect(chosen: File, withEncoding?: ImportEncoding) {
    setFile(chosen);
    setLayout(null);
    setEncoding(withEncoding);
    setInspecting(true);
    setInspectError(null);
    setStartError(null);
    try {
      setLayout(await inspectImport(chosen, withEncoding));
    } catch (err) {
      setInspectError(toApiError(err));
    } finally {
      setInspecting(false);
    }
  }

  async function start(choice: MappingChoice) {
    if (!file) return;
    setStarting(true);
    setStartError(null);
    setUploaded(0);
    try {
      const queued = await startImport({ file, ...choice, encoding }, (event) => {
        if (event.total) setUploaded(Math.round((100 * event.loaded) / event.total));
      });
      setJob(queued);
      setRecentKey((k) => k + 1);
    } catch (err) {
      const apiError = toApiError(err);
      setStartError(apiError.fieldError("file") && apiError.fieldError("file") !== apiError.message ? `${apiError.message} ${apiError.fieldError("file")}` : apiError.message);
    } finally {
      setStarting(false);
      setUploaded(null);
    }
  }

  function reset() {
    setFile(null);
    setLayout(null);
    setEncoding(undefined);
    setInspectError(null);
    setStartError(null);
    setJob(null);
  }

  const step = job ? 2 : layout ? 1 : 0;
  const wrongEncoding = inspectError?.code === "unsupported_encoding";

  return (
    <>
      <PageHeader
        title="Import contacts"
        description="Bring your customers in from a spreadsheet saved as CSV."
        actions={
          <Link href="/contacts" className={buttonClasses("secondary")}>
            Back to contacts
          </Link>
        }
      />
      <Card className="mb-8">
        <CardBody className="py-5">
          <Steps current={step} />

          {job ? (
            <ImportRun key={job.id} initial={job} onFinished={() => setRecentKey((k) => k + 1)} onAnother={reset} />
          ) : layout && file ? (
            <>
              <MappingStep
                key={`${file.name}:${file.size}:${file.lastModified}:${encoding ?? ""}`}
                file={file}
                layout={layout}
                encoding={encoding}
                onEncodingChange={(next) => void inspect(file, next)}
                initial={initialMapping(layout)}
                error={startError}
                starting={starting}
                onStart={(choice) => void start(choice)}
                onBack={reset}
              />
              {uploaded !== null ? (
                <p role="status" className="mt-3 flex items-center gap-2 text-sm text-slate-600">
                  <Spinner /> Uploading… {uploaded}%
                </p>
              ) : null}
            </>
          ) : (
            <div className="space-y-4">
              <FileDrop file={file} onFile={(chosen) => void inspect(chosen)} disabled={inspecting} />
              {inspecting ? (
                <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
                  <Spinner /> Reading the start of the file…
                </p>
              ) : null}
              {inspectError ? (
                <Alert>
                  <p>{inspectError.message}</p>
                  {!wrongEncoding && inspectError.fieldError("file") && inspectError.fieldError("file") !== inspectError.message ? (
                    <p className="mt-1">{inspectError.fieldError("file")}</p>
                  ) : null}
                </Alert>
              ) : null}
              {wrongEncoding && file ? (
                <div className="flex flex-wrap items-end gap-3">
                  <Field label="The file's encoding" className="min-w-72">
                    {(control) => (
                      <Select {...control} value={chosenEncoding} onChange={(event) => setChosenEncoding(event.target.value as ImportEncoding)}>
                        {ENCODINGS.map((e) => (
                          <option key={e.value} value={e.value}>
                            {e.label}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                  <Button onClick={() => void inspect(file, chosenEncoding)}>Read it with this encoding</Button>
                </div>
              ) : null}
              <p className="text-sm text-slate-500">
                Columns named like phone, name, email, language, tags or one of your{" "}
                <Link href="/settings/contacts" className="font-medium text-brand-700 hover:underline">
                  attributes
                </Link>{" "}
                are matched for you; you can change every match in the next step.
              </p>
            </div>
          )}
        </CardBody>
      </Card>

      <RecentImports
        key={recentKey}
        onWatch={(watched) => {
          setFile(null);
          setLayout(null);
          setJob(watched);
        }}
      />
    </>
  );
}

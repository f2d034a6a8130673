"use client";

/**
 * /templates/new (and /templates/{id}/edit): name, language, category, parameter format, header, body
 * with a variable picker and its examples, footer, buttons. As you type, the draft goes (debounced) to
 * POST /api/templates/preview/: the server's validation and renderer answer with the rendered message
 * and its problems, shown in the phone and at the fields they name. Submit creates (or edits) it.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { FieldErrorsContext, GroupError, ItemBox, SelectInput, TextInput, useFieldError } from "@/components/composer/controls";
import { Alert, Button, buttonClasses, Card, CardBody, CardHeader, cx, EmptyState, Field, Segmented, Select, Spinner } from "@/components/ui";
import { useApiForm } from "@/hooks/useApiForm";
import { useDebounced } from "@/hooks/useDebounced";
import { META_LIMITS } from "@/lib/api/limits.gen";
import { createTemplate, editTemplate, previewDraft, uploadSample, type Problem, type Template, type TemplateCreate } from "@/lib/api/templates";
import { listAllNumbers } from "@/lib/api/whatsapp";
import { toApiError } from "@/lib/apiClient";
import { templateKeys, whatsappKeys } from "@/lib/query/keys";
import { RenderedPreview } from "../RenderedPreview";
import { CATEGORIES } from "../format";
import {
  emptyButton,
  groupProblems,
  initialBuilderState,
  insertVariable,
  MEDIA_FORMATS,
  NAMED_SUGGESTIONS,
  nextPositional,
  toCreationBody,
  variablesOf,
  type BuilderButton,
  type BuilderState,
  type ButtonKind,
  type HeaderFormat,
} from "./model";

const PREVIEW_DEBOUNCE_MS = 400;

const TEXT_CONTROL =
  "block w-full rounded-lg border bg-white px-3 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 " +
  "focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-600/30";

const HEADER_FORMATS: ReadonlyArray<{ value: HeaderFormat; label: string }> = [
  { value: "NONE", label: "None" },
  { value: "TEXT", label: "Text" },
  { value: "IMAGE", label: "Image" },
  { value: "VIDEO", label: "Video" },
  { value: "DOCUMENT", label: "Document" },
  { value: "LOCATION", label: "Location" },
];

const ACCEPT: Partial<Record<HeaderFormat, string>> = { IMAGE: "image/jpeg,image/png", VIDEO: "video/mp4", DOCUMENT: "application/pdf" };

const BUTTON_KINDS: ReadonlyArray<{ value: ButtonKind; label: string }> = [
  { value: "QUICK_REPLY", label: "Quick reply" },
  { value: "URL", label: "Visit website" },
  { value: "PHONE_NUMBER", label: "Call phone number" },
  { value: "COPY_CODE", label: "Copy offer code" },
];

/** Which builder fields a change touched (problems show at a field once it was edited, or after a submit). */
function groupOf(field: string): string {
  const parts = field.split(".");
  return parts[0] === "buttons" && parts[1] !== undefined ? `buttons.${parts[1]}` : parts[0]!;
}

/** The body (or header) text with the variable picker: inserts {{n}} or {{name}} at the cursor. */
function VariableText({
  label,
  errorKey,
  value,
  onChange,
  named,
  otherTexts,
  multiline,
  hint,
}: {
  label: string;
  errorKey: string;
  value: string;
  onChange: (value: string) => void;
  named: boolean;
  otherTexts: string[];
  multiline: boolean;
  hint?: ReactNode;
}) {
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const [name, setName] = useState(NAMED_SUGGESTIONS[0]!);
  const error = useFieldError(errorKey);
  const cursor = useRef<number | null>(null);

  useEffect(() => {
    if (cursor.current !== null && ref.current) {
      ref.current.focus();
      ref.current.setSelectionRange(cursor.current, cursor.current);
      cursor.current = null;
    }
  });

  const insert = () => {
    const variable = named ? name.trim().toLowerCase() : nextPositional([value, ...otherTexts]);
    if (!variable) return;
    const result = insertVariable(value, variable, ref.current?.selectionStart ?? undefined);
    cursor.current = result.cursor;
    onChange(result.text);
  };

  return (
    <Field label={label} error={error} hint={hint}>
      {({ invalid, ...control }) => (
        <div className="space-y-2">
          {multiline ? (
            <textarea
              {...control}
              ref={ref}
              data-field={errorKey}
              aria-invalid={invalid || undefined}
              rows={5}
              value={value}
              onChange={(event) => onChange(event.target.value)}
              className={cx(TEXT_CONTROL, "py-2", invalid ? "border-red-500" : "border-slate-300")}
            />
          ) : (
            <input
              {...control}
              ref={ref}
              data-field={errorKey}
              aria-invalid={invalid || undefined}
              value={value}
              onChange={(event) => onChange(event.target.value)}
              className={cx(TEXT_CONTROL, "h-10", invalid ? "border-red-500" : "border-slate-300")}
            />
          )}
          <div className="flex flex-wrap items-center gap-2">
            {named ? (
              <>
                <label className="sr-only" htmlFor={`${control.id}-var`}>
                  Variable name
                </label>
                <input
                  id={`${control.id}-var`}
                  list={`${control.id}-names`}
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                  className="h-8 w-36 rounded-md border border-slate-300 px-2 font-mono text-xs"
                />
                <datalist id={`${control.id}-names`}>
                  {NAMED_SUGGESTIONS.map((n) => (
                    <option key={n} value={n} />
                  ))}
                </datalist>
              </>
            ) : null}
            <Button size="sm" variant="secondary" onClick={insert} aria-label={`Add a variable to the ${label.toLowerCase()}`}>
              + Variable {named ? `{{${name || "name"}}}` : `{{${nextPositional([value, ...otherTexts])}}}`}
            </Button>
          </div>
        </div>
      )}
    </Field>
  );
}

/** One example input per variable of a text (Meta requires an example for every variable). */
function Examples({ part, text, values, onChange }: { part: "header" | "body"; text: string; values: Record<string, string>; onChange: (values: Record<string, string>) => void }) {
  const names = variablesOf(text);
  if (names.length === 0) return null;
  return (
    <div className="grid gap-3 rounded-lg border border-slate-200 bg-slate-50/60 p-3 sm:grid-cols-2">
      <p className="text-xs text-slate-600 sm:col-span-2">Meta reviews the template with these sample values.</p>
      {names.map((name) => (
        <TextInput
          key={name}
          label={`Example for {{${name}}}`}
          errorKey={`${part}.example.${name}`}
          value={values[name] ?? ""}
          onChange={(value) => onChange({ ...values, [name]: value })}
        />
      ))}
    </div>
  );
}

function MediaSample({ state, onChange, onLocal }: { state: BuilderState["header"]; onChange: (patch: Partial<BuilderState["header"]>) => void; onLocal: (url: string | undefined) => void }) {
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldError = useFieldError("header.handle");
  const kind = state.format.toLowerCase();

  async function pick(file: File | undefined) {
    if (!file) return;
    setError(null);
    setUploading(true);
    onLocal(state.format === "IMAGE" && typeof URL.createObjectURL === "function" ? URL.createObjectURL(file) : undefined);
    try {
      const sample = await uploadSample(file);
      onChange({ handle: sample.handle, filename: sample.filename || file.name, mimeType: sample.mime_type });
    } catch (err) {
      onChange({ handle: "", filename: "", mimeType: "" });
      setError(toApiError(err).message);
    } finally {
      setUploading(false);
    }
  }

  return (
    <Field
      label={`Sample ${kind}`}
      error={error ?? fieldError}
      hint={state.handle ? `Uploaded ${state.filename}: Meta reviews the template with it.` : `Meta needs a sample ${kind} to review the template; customers get the one you send.`}
    >
      {({ invalid, ...control }) => (
        <div className="flex items-center gap-3">
          <input
            {...control}
            aria-invalid={invalid || undefined}
            type="file"
            data-field="header.handle"
            accept={ACCEPT[state.format]}
            onChange={(event) => void pick(event.target.files?.[0])}
            className="block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
          {uploading ? (
            <span role="status" className="flex items-center gap-1 text-sm text-slate-500">
              <Spinner /> Uploading…
            </span>
          ) : null}
        </div>
      )}
    </Field>
  );
}

function ButtonEditor({ button, i, onChange, onRemove }: { button: BuilderButton; i: number; onChange: (patch: Partial<BuilderButton>) => void; onRemove: () => void }) {
  const kind = BUTTON_KINDS.find((k) => k.value === button.type)?.label ?? button.type;
  const urlVariables = variablesOf(button.url);
  return (
    <ItemBox title={`Button ${i + 1}: ${kind}`} onRemove={onRemove}>
      <GroupError errorKey={`buttons.${i}`} />
      <GroupError errorKey={`buttons.${i}.type`} />
      {button.type !== "COPY_CODE" ? (
        <TextInput label="Button text" errorKey={`buttons.${i}.text`} value={button.text} onChange={(text) => onChange({ text })} />
      ) : null}
      {button.type === "URL" ? (
        <>
          <TextInput
            label="Website URL"
            errorKey={`buttons.${i}.url`}
            value={button.url}
            onChange={(url) => onChange({ url })}
            placeholder="https://example.com/orders/{{1}}"
            type="url"
            hint={
              urlVariables.length ? undefined : (
                <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => onChange({ url: `${button.url}{{1}}` })}>
                  Add a variable at the end
                </button>
              )
            }
          />
          {urlVariables.length ? (
            <TextInput
              label={`Example for the URL's {{${urlVariables[0]}}}`}
              errorKey={`buttons.${i}.example`}
              value={button.urlExample}
              onChange={(urlExample) => onChange({ urlExample })}
            />
          ) : null}
        </>
      ) : null}
      {button.type === "PHONE_NUMBER" ? (
        <TextInput label="Phone number" errorKey={`buttons.${i}.phone`} value={button.phone} onChange={(phone) => onChange({ phone })} type="tel" placeholder="+15550051310" />
      ) : null}
      {button.type === "COPY_CODE" ? (
        <TextInput label="Example code" errorKey={`buttons.${i}.example`} value={button.code} onChange={(code) => onChange({ code })} />
      ) : null}
    </ItemBox>
  );
}

/** Problems the preview found, listed under the phone (the live check). */
function ProblemList({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return <p className="text-sm text-brand-800">No problems found: Meta should accept this for review.</p>;
  return (
    <div role="region" aria-label="Problems" className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">{problems.length === 1 ? "1 thing to fix" : `${problems.length} things to fix`}</p>
      <ul className="mt-1 list-disc space-y-0.5 pl-4" data-testid="preview-problems">
        {problems.map((p, i) => (
          <li key={i}>{p.message}</li>
        ))}
      </ul>
    </div>
  );
}

export interface TemplateBuilderProps {
  /** Editing an existing template (only components and category may change). */
  editing?: Template;
  initial?: BuilderState;
}

export function TemplateBuilderPage() {
  const { user } = useSession();
  if (!user.capabilities.manage_templates) {
    return (
      <>
        <PageHeader title="New template" />
        <EmptyState title="Only owners and admins write templates" description="Ask one of them to write or change a template." />
      </>
    );
  }
  return <TemplateBuilder />;
}

export function TemplateBuilder({ editing, initial }: TemplateBuilderProps) {
  const router = useRouter();
  const client = useQueryClient();
  const { user } = useSession();
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [attempted, setAttempted] = useState(false);
  const [localMedia, setLocalMedia] = useState<string | undefined>(undefined);
  const numbers = useQuery({ queryKey: whatsappKeys.allNumbers(), queryFn: listAllNumbers });
  const wabas = [...new Set((numbers.data ?? []).map((n) => n.waba_id).filter(Boolean))];

  const form = useApiForm<BuilderState, Template>({
    initial: initial ?? initialBuilderState(),
    fields: [],
    busyAfterSuccess: true,
    submit: (values) => {
      const { body } = toCreationBody(values);
      if (!editing) return createTemplate(body);
      // Meta refuses a category change of an approved template: send the category only when it changed.
      const changed = body.category.toUpperCase() !== editing.category.toUpperCase();
      return editTemplate(editing.id, { components: body.components, ...(changed ? { category: body.category } : {}) });
    },
    onSuccess: (template) => {
      void client.invalidateQueries({ queryKey: templateKeys.all() });
      router.push(`/templates/${template.id ?? editing?.id}`);
    },
  });
  const state = form.values;

  const touch = (field: string) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  const update = (field: string, patch: Partial<BuilderState>) => {
    touch(field);
    form.setValues((v) => ({ ...v, ...patch }));
  };
  const setHeader = (patch: Partial<BuilderState["header"]>) => update("header", { header: { ...state.header, ...patch } });
  const setButton = (i: number, patch: Partial<BuilderButton>) => update(`buttons.${i}`, { buttons: state.buttons.map((b, n) => (n === i ? { ...b, ...patch } : b)) });

  // The live check: the draft, debounced, to the server's validation and renderer.
  const draft = useMemo(() => toCreationBody(state), [state]);
  const draftJson = useDebounced(JSON.stringify(draft.body), PREVIEW_DEBOUNCE_MS);
  const preview = useQuery({
    queryKey: templateKeys.draftPreview(draftJson),
    queryFn: ({ signal }) => previewDraft(JSON.parse(draftJson) as TemplateCreate, signal),
    placeholderData: keepPreviousData,
  });
  // A preview that failed with field errors (an older server answering 400) still says what is wrong.
  const previewError = preview.error ? toApiError(preview.error) : null;
  const problems: Problem[] =
    preview.data?.problems ??
    (previewError ? Object.entries(previewError.fieldErrors).flatMap(([field, messages]) => messages.map((message) => ({ field, message }))) : []);

  const live = groupProblems(
    problems.map((p) => [p.field, p.message] as [string, string]),
    state,
    draft.index,
  );
  const shown: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(live.byField)) {
    if (attempted || touched.has(groupOf(field))) shown[field] = [...messages];
  }
  const submitErrors = groupProblems(
    Object.entries(form.error?.fieldErrors ?? {}).flatMap(([key, messages]) => messages.map((m) => [key, m] as [string, string])),
    state,
    draft.index,
  );
  for (const [field, messages] of Object.entries(submitErrors.byField)) shown[field] = [...new Set([...(shown[field] ?? []), ...messages])];

  const named = state.parameterFormat === "NAMED";
  const media = MEDIA_FORMATS.includes(state.header.format);

  return (
    <>
      <PageHeader
        title={editing ? `Edit ${editing.name}` : "New template"}
        description={editing ? `${editing.language} · Meta reviews the template again after an edit.` : "Write a template and submit it to Meta for review."}
        actions={
          <Link href={editing ? `/templates/${editing.id}` : "/templates"} className={buttonClasses("secondary")}>
            Cancel
          </Link>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem] xl:grid-cols-[minmax(0,1fr)_22rem]">
        <FieldErrorsContext.Provider value={shown}>
          <form
            noValidate
            aria-label={editing ? "Edit template" : "New template"}
            className="min-w-0 space-y-6"
            onSubmit={(event) => {
              setAttempted(true);
              void form.onSubmit(event);
            }}
          >
            {form.error ? (
              <Alert>
                {form.error.message}
                {submitErrors.general.length ? (
                  <ul className="mt-1 list-disc pl-4">
                    {submitErrors.general.map((text, i) => (
                      <li key={i}>{text}</li>
                    ))}
                  </ul>
                ) : null}
              </Alert>
            ) : null}

            <Card>
              <CardHeader title="Basics" />
              <CardBody className="grid gap-4 sm:grid-cols-2">
                {editing ? null : (
                  <>
                    <TextInput
                      label="Name"
                      errorKey="name"
                      value={state.name}
                      onChange={(name) => update("name", { name })}
                      placeholder="order_shipped"
                      hint="Lowercase letters, digits and underscores."
                      max={META_LIMITS.TEMPLATE_NAME}
                    />
                    <TextInput label="Language" errorKey="language" value={state.language} onChange={(language) => update("language", { language })} placeholder="en_US" />
                  </>
                )}
                <SelectInput label="Category" errorKey="category" value={state.category} onChange={(category) => update("category", { category })} options={CATEGORIES} />
                {editing ? null : (
                  <div>
                    <Segmented
                      label="Variables"
                      size="sm"
                      value={state.parameterFormat}
                      onChange={(parameterFormat) => update("parameter_format", { parameterFormat })}
                      options={[
                        { value: "POSITIONAL", label: "Numbered {{1}}" },
                        { value: "NAMED", label: "Named {{first_name}}" },
                      ]}
                    />
                    <GroupError errorKey="parameter_format" />
                  </div>
                )}
                {!editing && wabas.length > 1 ? (
                  <Field label="WhatsApp account" error={shown.waba_id?.join(" ")}>
                    {(control) => (
                      <Select {...control} value={state.wabaId} onChange={(event) => update("waba_id", { wabaId: event.target.value })}>
                        <option value="">Choose an account…</option>
                        {wabas.map((w) => (
                          <option key={w} value={w}>
                            {w}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                ) : null}
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Header" description="Optional: a title, or a picture, video, document or location above the text." />
              <CardBody className="space-y-4">
                <SelectInput label="Header type" errorKey="header.format" value={state.header.format} onChange={(format) => setHeader({ format })} options={HEADER_FORMATS} />
                {state.header.format === "TEXT" ? (
                  <>
                    <VariableText
                      label="Header text"
                      errorKey="header.text"
                      value={state.header.text}
                      onChange={(text) => setHeader({ text })}
                      named={named}
                      otherTexts={[]}
                      multiline={false}
                      hint="At most one variable."
                    />
                    <Examples part="header" text={state.header.text} values={state.header.examples} onChange={(examples) => setHeader({ examples })} />
                  </>
                ) : null}
                {media ? <MediaSample state={state.header} onChange={setHeader} onLocal={setLocalMedia} /> : null}
                {state.header.format === "LOCATION" ? <p className="text-sm text-slate-500">The location is given when the template is sent.</p> : null}
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Body" description="The message. Variables are filled in when it is sent: from the contact, or typed." />
              <CardBody className="space-y-4">
                <VariableText
                  label="Body text"
                  errorKey="body.text"
                  value={state.body.text}
                  onChange={(text) => update("body", { body: { ...state.body, text } })}
                  named={named}
                  otherTexts={[]}
                  multiline
                  hint="*bold*, _italic_, ~strike~. Variables can't be at the very start or end, or next to each other."
                />
                <Examples part="body" text={state.body.text} values={state.body.examples} onChange={(examples) => update("body", { body: { ...state.body, examples } })} />
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Footer" description="Optional: a short line in grey under the text, without variables." />
              <CardBody>
                <TextInput label="Footer text" errorKey="footer" value={state.footer} onChange={(footer) => update("footer", { footer })} />
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Buttons" description="Optional. Quick replies stay together; Meta limits how many of each kind. The check on the right says when a rule is broken." />
              <CardBody className="space-y-3">
                <GroupError errorKey="buttons" />
                {state.buttons.map((button, i) => (
                  <ButtonEditor
                    key={i}
                    i={i}
                    button={button}
                    onChange={(patch) => setButton(i, patch)}
                    onRemove={() => update("buttons", { buttons: state.buttons.filter((_, n) => n !== i) })}
                  />
                ))}
                <div className="flex flex-wrap gap-2">
                  {BUTTON_KINDS.map((kind) => (
                    <Button
                      key={kind.value}
                      size="sm"
                      variant="secondary"
                      disabled={state.buttons.length >= META_LIMITS.TEMPLATE_BUTTONS_MAX}
                      onClick={() => update(`buttons.${state.buttons.length}`, { buttons: [...state.buttons, emptyButton(kind.value)] })}
                    >
                      + {kind.label}
                    </Button>
                  ))}
                </div>
              </CardBody>
            </Card>

            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" loading={form.submitting}>
                {editing ? "Save and resubmit" : "Submit for review"}
              </Button>
              {problems.length > 0 ? <p className="text-sm text-amber-800">The check found problems; Meta would likely refuse it.</p> : null}
            </div>
          </form>
        </FieldErrorsContext.Provider>

        <div className="min-w-0 space-y-3 lg:sticky lg:top-6 lg:self-start">
          <RenderedPreview
            rendered={preview.data?.rendered}
            businessName={user.tenant.name}
            localMedia={localMedia}
            loading={preview.isFetching}
            empty="Write the body to see the message."
          />
          {preview.isPending ? null : <ProblemList problems={problems} />}
          {live.general.length && attempted ? (
            <ul className="list-disc pl-4 text-sm text-red-700">
              {live.general.map((text, i) => (
                <li key={i}>{text}</li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </>
  );
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { useFieldChoices } from "@/components/templates/MappingEditor";
import { isNamed, readMapping, slotLabel, slotsOf, writeMapping, type Slot } from "@/components/templates/mapping";
import { RenderedPreview } from "@/components/templates/RenderedPreview";
import { Button, Card, CardBody, CardHeader, Input, Select, TextField } from "@/components/ui";
import { useDebounced } from "@/hooks/useDebounced";
import { createCampaign, previewAudience, startCampaign, updateCampaign, type CampaignAudience, type CampaignWrite } from "@/lib/api/campaigns";
import { listAllSegments, listImports } from "@/lib/api/contacts";
import { listApproved, type MappingSource, type Template } from "@/lib/api/templates";
import { listAllNumbers } from "@/lib/api/whatsapp";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { campaignKeys, contactKeys, templateKeys, whatsappKeys } from "@/lib/query/keys";
import { ActionError } from "./ActionError";
import { audienceText, clock, count, money } from "./format";
import { AudienceSummary } from "./Reach";
import { useBusinessTimeZone } from "./useBusinessTimeZone";

type AudienceKind = "segment_id" | "tags" | "import_id" | "all_opted_in";
const STEPS = ["Audience", "Message", "Schedule", "Review"] as const;

export interface WizardState {
  name: string;
  numberId: string;
  templateId: string;
  kind: AudienceKind;
  segmentId: string;
  tags: string;
  importId: string;
  sources: Record<string, MappingSource>;
  abTemplateId: string;
  abPercent: string;
  abMetric: "read" | "replied" | "delivered";
  abMinutes: string;
  when: "now" | "later";
  scheduleAt: string;
  cap: string;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  localTime: string;
  replyHours: string;
}

const INITIAL: WizardState = {
  name: "",
  numberId: "",
  templateId: "",
  kind: "segment_id",
  segmentId: "",
  tags: "",
  importId: "",
  sources: {},
  abTemplateId: "",
  abPercent: "20",
  abMetric: "read",
  abMinutes: "240",
  when: "now",
  scheduleAt: "",
  cap: "",
  quiet: false,
  quietStart: "21:00",
  quietEnd: "09:00",
  localTime: "",
  replyHours: "24",
};

/** The audience object the API takes, or null while it is incomplete. */
export function audienceOf(state: WizardState): CampaignAudience | null {
  if (state.kind === "segment_id") return state.segmentId ? { segment_id: Number(state.segmentId) } : null;
  if (state.kind === "import_id") return state.importId ? { import_id: Number(state.importId) } : null;
  if (state.kind === "all_opted_in") return { all_opted_in: true };
  const tags = state.tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return tags.length ? { tags } : null;
}

/** The create body: the wizard's choices in the API's words. */
export function bodyOf(state: WizardState, template: Template | undefined, abTemplate: Template | undefined): CampaignWrite {
  const audience = audienceOf(state) ?? {};
  const body: CampaignWrite = {
    name: state.name.trim(),
    phone_number_id: state.numberId || undefined,
    template_id: Number(state.templateId),
    audience,
    reply_window_hours: Number(state.replyHours) || 24,
  };
  if (template) body.mapping = writeMapping(state.sources, slotsOf(template), isNamed(template)) as CampaignWrite["mapping"];
  if (state.when === "later" && state.scheduleAt) body.schedule_at = state.scheduleAt; // no offset: the business's time zone
  if (state.cap) body.throughput_cap = Number(state.cap);
  if (state.quiet) body.quiet_hours = { start: state.quietStart, end: state.quietEnd };
  if (state.localTime) body.send_at_local_time = state.localTime;
  if (abTemplate) {
    body.ab_test = {
      variants: [{ template_id: abTemplate.id }],
      test_percent: Number(state.abPercent) || 100,
      metric: state.abMetric,
      decide_after_minutes: Number(state.abMinutes) || 240,
    };
  }
  return body;
}

/** The server's error for a slot of the campaign's mapping: keyed like `mapping.body[0]`, `mapping.body.first_name`,
 * `mapping.buttons.0[0]` (the template mapping's keys under `mapping.`). */
export function slotError(errors: ApiError | null, slot: Slot): string | undefined {
  if (!errors) return undefined;
  const keys =
    slot.part === "button"
      ? [`buttons.${slot.button}[${slot.position}]`, `buttons.${slot.button}`]
      : [`${slot.part}[${slot.position}]`, `${slot.part}.${slot.name}`, slot.part];
  for (const key of keys) {
    const message = errors.fieldError(`mapping.${key}`);
    if (message) return message;
  }
  return undefined;
}

function MappingTable({ template, sources, onChange, errors }: { template: Template; sources: Record<string, MappingSource>; onChange: (s: Record<string, MappingSource>) => void; errors: ApiError | null }) {
  const choices = useFieldChoices();
  const slots = slotsOf(template);
  if (slots.length === 0) return <p className="text-sm text-slate-600">This template has no variables: it is sent as it is.</p>;
  return (
    <table className="w-full text-sm">
      <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-2 pr-2 font-medium">Variable</th>
          <th className="px-2 py-2 font-medium">Comes from</th>
          <th className="px-2 py-2 font-medium">Text / fallback</th>
        </tr>
      </thead>
      <tbody>
        {slots.map((slot) => {
          const source = sources[slot.id] ?? { field: "", value: "", fallback: "" };
          const label = slotLabel(slot);
          const problem = slotError(errors, slot);
          return (
            <tr key={slot.id} className="align-top">
              <th scope="row" className="py-2 pr-2 text-left font-mono text-xs font-normal text-slate-700">
                {label}
                {problem ? <span className="block font-sans text-red-700">{problem}</span> : null}
              </th>
              <td className="px-2 py-2">
                <Select aria-label={`${label} comes from`} value={source.field} onChange={(event) => onChange({ ...sources, [slot.id]: { ...source, field: event.target.value } })}>
                  {choices.map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </Select>
              </td>
              <td className="px-2 py-2">
                {source.field === "" ? (
                  <Input aria-label={`${label} text`} value={source.value} onChange={(event) => onChange({ ...sources, [slot.id]: { ...source, value: event.target.value } })} />
                ) : (
                  <Input
                    aria-label={`${label} fallback`}
                    placeholder="When the field is empty"
                    value={source.fallback}
                    onChange={(event) => onChange({ ...sources, [slot.id]: { ...source, fallback: event.target.value } })}
                  />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A new campaign in four steps: audience (live size, exclusions, cost, the daily limit), message (mapping and
 * previews for real recipients, an optional A/B test), schedule and pace, review; then create and start. */
export function CampaignWizard() {
  const router = useRouter();
  const client = useQueryClient();
  const [step, setStep] = useState(0);
  const [state, setState] = useState<WizardState>(INITIAL);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<"draft" | "start" | null>(null);
  const [created, setCreated] = useState<number | null>(null);
  const zone = useBusinessTimeZone();
  const set = (patch: Partial<WizardState>) => setState((s) => ({ ...s, ...patch }));

  const numbers = useQuery({ queryKey: whatsappKeys.allNumbers(), queryFn: listAllNumbers });
  const templates = useQuery({ queryKey: templateKeys.approved(), queryFn: listApproved });
  const segments = useQuery({ queryKey: contactKeys.segments(), queryFn: listAllSegments });
  const imports = useQuery({ queryKey: contactKeys.imports(), queryFn: () => listImports() });

  const campaignable = useMemo(() => (templates.data ?? []).filter((t) => t.category !== "AUTHENTICATION"), [templates.data]);
  const number = (numbers.data ?? []).find((n) => n.phone_number_id === state.numberId) ?? (numbers.data ?? [])[0];
  const usable = campaignable.filter((t) => !number || t.waba_id === number.waba_id);
  const template = usable.find((t) => String(t.id) === state.templateId);
  const abTemplate = usable.find((t) => String(t.id) === state.abTemplateId && t.id !== template?.id);
  const audience = audienceOf(state);
  const mapping = template ? writeMapping(state.sources, slotsOf(template), isNamed(template)) : undefined;
  // Debounced as text: a new object every render would never settle.
  const queryText = useDebounced(template && audience ? JSON.stringify({ phone_number_id: number?.phone_number_id, template_id: template.id, audience, mapping }) : "", 400);
  const query = useMemo(() => (queryText ? (JSON.parse(queryText) as Parameters<typeof previewAudience>[0]) : null), [queryText]);
  const preview = useQuery({
    queryKey: campaignKeys.audience(query),
    queryFn: ({ signal }) => previewAudience(query!, signal),
    enabled: query !== null,
    placeholderData: (previous) => previous,
  });

  const pickTemplate = (id: string) => {
    const picked = usable.find((t) => String(t.id) === id);
    set({ templateId: id, sources: picked ? readMapping(picked.mapping, slotsOf(picked)) : {} });
  };

  const ready = [Boolean(number && template && audience), Boolean(template), state.when === "now" || Boolean(state.scheduleAt), Boolean(state.name.trim())];

  async function submit(startIt: boolean, split = false) {
    setBusy(startIt ? "start" : "draft");
    setError(null);
    try {
      // The number shown is the first one until another is picked: send the one shown.
      const body = bodyOf({ ...state, numberId: number?.phone_number_id ?? state.numberId }, template, abTemplate);
      // A draft saved by an earlier try (its start refused) takes the choices as they are now.
      const id = created === null ? (await createCampaign(body)).id : (await updateCampaign(created, body)).id;
      setCreated(id);
      if (startIt) await startCampaign(id, split);
      void client.invalidateQueries({ queryKey: campaignKeys.lists() });
      router.push(`/campaigns/${id}`);
    } catch (err) {
      setError(toApiError(err));
      setBusy(null);
    }
  }

  return (
    <>
      <PageHeader title="New campaign" description="Send an approved template to an audience, at WhatsApp's pace, once per person." />
      <ol className="mb-6 flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {STEPS.map((label, i) => (
          <li key={label}>
            <button
              type="button"
              aria-current={i === step ? "step" : undefined}
              disabled={i > step && !ready.slice(0, i).every(Boolean)}
              onClick={() => setStep(i)}
              className={i === step ? "rounded-full bg-brand-700 px-3 py-1 text-white" : "rounded-full bg-slate-100 px-3 py-1 text-slate-700 disabled:text-slate-400"}
            >
              {i + 1}. {label}
            </button>
          </li>
        ))}
      </ol>

      {step === 0 ? (
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
          <Card>
            <CardHeader title="Who gets it" />
            <CardBody className="space-y-4">
              <label className="block text-sm font-medium text-slate-800">
                From the number
                <Select className="mt-1.5" value={number?.phone_number_id ?? ""} onChange={(event) => set({ numberId: event.target.value, templateId: "" })}>
                  {(numbers.data ?? []).map((n) => (
                    <option key={n.phone_number_id} value={n.phone_number_id}>
                      {n.display_phone_number} {n.verified_name ? `(${n.verified_name})` : ""}
                    </option>
                  ))}
                </Select>
              </label>
              <label className="block text-sm font-medium text-slate-800">
                Template
                <Select className="mt-1.5" value={state.templateId} onChange={(event) => pickTemplate(event.target.value)}>
                  <option value="">Choose an approved template</option>
                  {usable.map((t) => (
                    <option key={t.id} value={String(t.id)}>
                      {t.name} ({t.language}, {t.category.toLowerCase()})
                    </option>
                  ))}
                </Select>
              </label>
              {numbers.isSuccess && numbers.data.length === 0 ? (
                <p className="text-sm text-slate-600">
                  No WhatsApp number yet:{" "}
                  <Link href="/settings/whatsapp" className="font-medium text-brand-800 underline">
                    connect one
                  </Link>{" "}
                  first.
                </p>
              ) : templates.isSuccess && number && usable.length === 0 ? (
                <p className="text-sm text-slate-600">
                  No approved marketing or utility template for this number yet:{" "}
                  <Link href="/templates/new" className="font-medium text-brand-800 underline">
                    create one
                  </Link>{" "}
                  and wait for Meta&apos;s approval.
                </p>
              ) : null}
              <fieldset>
                <legend className="mb-1.5 text-sm font-medium text-slate-800">Audience</legend>
                <div className="flex flex-wrap gap-4 text-sm">
                  {(
                    [
                      ["segment_id", "A segment"],
                      ["tags", "Tags"],
                      ["import_id", "An imported CSV"],
                      ["all_opted_in", "Everyone opted in"],
                    ] as const
                  ).map(([kind, label]) => (
                    <label key={kind} className="flex items-center gap-1.5">
                      <input type="radio" name="audience" checked={state.kind === kind} onChange={() => set({ kind })} /> {label}
                    </label>
                  ))}
                </div>
                <div className="mt-3">
                  {state.kind === "segment_id" ? (
                    <Select aria-label="Segment" value={state.segmentId} onChange={(event) => set({ segmentId: event.target.value })}>
                      <option value="">Choose a segment</option>
                      {(segments.data ?? []).map((s) => (
                        <option key={s.id} value={String(s.id)}>
                          {s.name}
                        </option>
                      ))}
                    </Select>
                  ) : state.kind === "tags" ? (
                    <Input aria-label="Tags" placeholder="vip, newsletter" value={state.tags} onChange={(event) => set({ tags: event.target.value })} />
                  ) : state.kind === "import_id" ? (
                    <Select aria-label="Import" value={state.importId} onChange={(event) => set({ importId: event.target.value })}>
                      <option value="">Choose an import</option>
                      {(imports.data?.results ?? []).map((i) => (
                        <option key={i.id} value={String(i.id)}>
                          {i.file_name} ({count(i.created + i.updated)} contacts)
                        </option>
                      ))}
                    </Select>
                  ) : (
                    <p className="text-sm text-slate-600">Everyone who opted in to this template&apos;s kind of message (marketing or utility).</p>
                  )}
                </div>
              </fieldset>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Reach" />
            <CardBody>
              <AudienceSummary preview={preview.data} loading={preview.isFetching} error={preview.error ? toApiError(preview.error) : null} />
            </CardBody>
          </Card>
        </div>
      ) : null}

      {step === 1 && template ? (
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
          <div className="space-y-4">
            <Card>
              <CardHeader title="Variables" description="Each variable is filled from the contact (with a fallback for those who lack it) or with fixed text." />
              <CardBody>
                <MappingTable template={template} sources={state.sources} onChange={(sources) => set({ sources })} errors={error} />
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="A/B test (optional)" description="Try another template on part of the audience; the better one goes to the rest." />
              <CardBody className="grid gap-3 sm:grid-cols-2">
                <label className="text-sm font-medium text-slate-800">
                  Variant B
                  <Select className="mt-1.5" value={state.abTemplateId} onChange={(event) => set({ abTemplateId: event.target.value })}>
                    <option value="">No A/B test</option>
                    {usable
                      .filter((t) => t.id !== template.id)
                      .map((t) => (
                        <option key={t.id} value={String(t.id)}>
                          {t.name} ({t.language})
                        </option>
                      ))}
                  </Select>
                </label>
                {abTemplate ? (
                  <>
                    <TextField label="Test share (%)" type="number" min={10} max={100} value={state.abPercent} onChange={(event) => set({ abPercent: event.target.value })} />
                    <label className="text-sm font-medium text-slate-800">
                      Winner by
                      <Select className="mt-1.5" value={state.abMetric} onChange={(event) => set({ abMetric: event.target.value as WizardState["abMetric"] })}>
                        <option value="read">Read rate</option>
                        <option value="replied">Reply rate</option>
                        <option value="delivered">Delivery rate</option>
                      </Select>
                    </label>
                    <TextField label="Decide after (minutes)" type="number" min={5} value={state.abMinutes} onChange={(event) => set({ abMinutes: event.target.value })} />
                  </>
                ) : null}
              </CardBody>
            </Card>
          </div>
          <div className="space-y-3">
            <p className="text-sm font-medium text-slate-800">As your recipients will see it</p>
            {(preview.data?.sample ?? []).slice(0, 2).map((sample) => (
              <div key={sample.contact_id}>
                <p className="mb-1 text-xs text-slate-500">
                  {sample.name || sample.to}
                  {sample.preview.problems.length ? <span className="text-red-700"> — {sample.preview.problems[0]!.message}</span> : null}
                </p>
                <RenderedPreview rendered={sample.preview.rendered} businessName={number?.verified_name || "Your business"} />
              </div>
            ))}
            {!preview.data?.sample.length ? <p className="text-sm text-slate-500">No one in the audience yet to preview with.</p> : null}
          </div>
        </div>
      ) : null}

      {step === 2 ? (
        <Card>
          <CardHeader title="When and how fast" />
          <CardBody className="grid gap-4 sm:grid-cols-2">
            <fieldset className="sm:col-span-2">
              <legend className="mb-1.5 text-sm font-medium text-slate-800">Start</legend>
              <div className="flex flex-wrap items-center gap-4 text-sm">
                <label className="flex items-center gap-1.5">
                  <input type="radio" name="when" checked={state.when === "now"} onChange={() => set({ when: "now" })} /> Now
                </label>
                <label className="flex items-center gap-1.5">
                  <input type="radio" name="when" checked={state.when === "later"} onChange={() => set({ when: "later" })} /> At
                </label>
                {state.when === "later" ? (
                  <Input aria-label="Start at" type="datetime-local" value={state.scheduleAt} onChange={(event) => set({ scheduleAt: event.target.value })} className="max-w-60" />
                ) : null}
              </div>
              <p className="mt-1 text-xs text-slate-500" data-testid="business-zone">
                In the business&apos;s time zone{zone ? <>: <strong className="font-medium text-slate-700">{zone}</strong></> : null} (Settings → Inbox), whatever
                this computer&apos;s clock says.
              </p>
            </fieldset>
            <TextField
              label="Messages a second, at most (optional)"
              type="number"
              min={1}
              max={1000}
              placeholder={`The number's speed: ${number ? (number.throughput_level === "HIGH" ? "1,000" : "80") : "80"}`}
              value={state.cap}
              onChange={(event) => set({ cap: event.target.value })}
            />
            <TextField label="Send at each recipient's local time (optional)" type="time" value={state.localTime} onChange={(event) => set({ localTime: event.target.value })} />
            <div className="sm:col-span-2">
              <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
                <input type="checkbox" checked={state.quiet} onChange={(event) => set({ quiet: event.target.checked })} /> Quiet hours in each recipient&apos;s time zone
              </label>
              {state.quiet ? (
                <div className="mt-2 flex items-center gap-2 text-sm">
                  No messages from <Input aria-label="Quiet from" type="time" value={state.quietStart} onChange={(event) => set({ quietStart: event.target.value })} className="max-w-32" /> to{" "}
                  <Input aria-label="Quiet until" type="time" value={state.quietEnd} onChange={(event) => set({ quietEnd: event.target.value })} className="max-w-32" />
                </div>
              ) : null}
            </div>
            <TextField label="Count a reply within (hours)" type="number" min={1} max={168} value={state.replyHours} onChange={(event) => set({ replyHours: event.target.value })} />
          </CardBody>
        </Card>
      ) : null}

      {step === 3 ? (
        <Card>
          <CardHeader title="Review" />
          <CardBody className="space-y-4">
            <TextField label="Campaign name" value={state.name} placeholder="Spring sale" onChange={(event) => set({ name: event.target.value })} error={error?.fieldError("name")} />
            <dl className="grid gap-2 text-sm sm:grid-cols-2" aria-label="Review">
              <div>
                <dt className="text-slate-500">From</dt>
                <dd>{number ? number.display_phone_number : "—"}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Template</dt>
                <dd>
                  {template?.name}
                  {abTemplate ? ` vs ${abTemplate.name} (A/B on ${state.abPercent}%)` : ""}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Audience</dt>
                <dd>{audience ? audienceText(audience as Record<string, unknown>, { segments: segments.data, imports: imports.data?.results }) : "—"}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Recipients</dt>
                <dd>{preview.data ? count(preview.data.recipients) : "—"}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Start</dt>
                <dd>{state.when === "now" ? "Now" : `${state.scheduleAt.replace("T", " ")}${zone ? ` (${zone})` : ""}`}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Pace</dt>
                <dd>
                  {state.cap ? `At most ${state.cap} messages a second` : "The number's speed"}
                  {state.quiet ? `; quiet ${clock(state.quietStart)} to ${clock(state.quietEnd)} their time` : ""}
                  {state.localTime ? `; at ${clock(state.localTime)} their time` : ""}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Estimated charges</dt>
                <dd>{preview.data ? money(preview.data.estimate.total, preview.data.estimate.currency) : "—"}</dd>
              </div>
            </dl>
            {error ? <ActionError error={error} onSplit={() => void submit(true, true)} /> : null}
            {error && created !== null ? (
              <p className="text-sm text-slate-600">
                It is saved as a draft:{" "}
                <Link href={`/campaigns/${created}`} className="font-medium text-brand-800 underline">
                  open it
                </Link>{" "}
                to start it later.
              </p>
            ) : null}
            <div className="flex flex-wrap gap-2">
              <Button loading={busy === "start"} disabled={!ready.every(Boolean) || busy !== null} onClick={() => void submit(true)}>
                {state.when === "later" ? "Schedule campaign" : "Start campaign"}
              </Button>
              <Button variant="secondary" loading={busy === "draft"} disabled={!ready.every(Boolean) || busy !== null || created !== null} onClick={() => void submit(false)}>
                Save as draft
              </Button>
            </div>
          </CardBody>
        </Card>
      ) : null}

      <div className="mt-4 flex gap-2">
        {step > 0 ? (
          <Button variant="secondary" onClick={() => setStep(step - 1)}>
            Back
          </Button>
        ) : null}
        {step < STEPS.length - 1 ? (
          <Button disabled={!ready[step]} onClick={() => setStep(step + 1)}>
            Next
          </Button>
        ) : null}
      </div>
    </>
  );
}

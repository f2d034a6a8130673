"use client";

import { memo, useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";

import { Alert, Button, Card, CardBody, CardHeader, Field, Input } from "@/components/ui";
import { updateInboxSettings } from "@/lib/api/inbox";
import type { BusinessHours, InboxSettings } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";

export const WEEKDAYS = [
  ["mon", "Monday"],
  ["tue", "Tuesday"],
  ["wed", "Wednesday"],
  ["thu", "Thursday"],
  ["fri", "Friday"],
  ["sat", "Saturday"],
  ["sun", "Sunday"],
] as const;

type Form = Required<Omit<InboxSettings, "updated_at">>;

function formOf(settings: InboxSettings): Form {
  return {
    opt_out_enabled: settings.opt_out_enabled ?? true,
    opt_out_keywords: settings.opt_out_keywords ?? [],
    opt_out_reply: settings.opt_out_reply ?? "",
    opt_in_reply: settings.opt_in_reply ?? "",
    welcome_enabled: settings.welcome_enabled ?? false,
    welcome_text: settings.welcome_text ?? "",
    away_enabled: settings.away_enabled ?? false,
    away_text: settings.away_text ?? "",
    timezone: settings.timezone ?? "UTC",
    business_hours: settings.business_hours ?? {},
    agents_see_all: settings.agents_see_all ?? false,
  };
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
}

/** Suggestions for the time zone input; memoised, so typing elsewhere doesn't re-render ~400 options. */
const ZoneList = memo(function ZoneList({ id }: { id: string }) {
  return (
    <datalist id={id}>
      {timeZones().map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
});

const TEXTAREA =
  "block w-full rounded-lg border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-600/30 disabled:bg-slate-100 disabled:text-slate-500";

function TextBox({ label, value, onChange, error, hint }: { label: string; value: string; onChange: (value: string) => void; error?: string; hint?: ReactNode }) {
  return (
    <Field label={label} error={error} hint={hint}>
      {({ invalid, ...control }) => (
        <textarea
          {...control}
          aria-invalid={invalid || undefined}
          rows={2}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          className={`${TEXTAREA} ${invalid ? "border-red-500" : "border-slate-300"}`}
        />
      )}
    </Field>
  );
}

function Switch({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-3">
      <input id={id} type="checkbox" role="switch" checked={checked} onChange={(event) => onChange(event.target.checked)} className="mt-0.5 size-4 accent-brand-700" />
      <label htmlFor={id} className="text-sm">
        <span className="font-medium text-slate-900">{label}</span>
        {hint ? <span className="block text-slate-500">{hint}</span> : null}
      </label>
    </div>
  );
}

/** Keywords as removable chips; Enter or comma adds what was typed. */
function KeywordChips({ value, onChange, error }: { value: string[]; onChange: (value: string[]) => void; error?: string }) {
  const [draft, setDraft] = useState("");
  const add = () => {
    const words = draft
      .split(",")
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w && !value.includes(w));
    if (words.length) onChange([...value, ...words]);
    setDraft("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      add();
    } else if (event.key === "Backspace" && !draft && value.length) {
      onChange(value.slice(0, -1));
    }
  };
  return (
    <Field
      label="Opt-out keywords"
      error={error}
      hint="A customer's whole message matching one of these (any case, punctuation ignored) opts them out of marketing. Empty uses the defaults: STOP, UNSUBSCRIBE and their equivalents in several languages."
    >
      {(control) => (
        <div className="space-y-2">
          {value.length > 0 ? (
            <ul aria-label="Keywords" className="flex flex-wrap gap-1.5">
              {value.map((word) => (
                <li key={word} className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-2.5 pr-1 text-sm text-slate-800 ring-1 ring-slate-200">
                  {word}
                  <button
                    type="button"
                    onClick={() => onChange(value.filter((w) => w !== word))}
                    className="rounded-full px-1 text-slate-500 hover:bg-slate-200 disabled:hidden"
                    aria-label={`Remove ${word}`}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="flex gap-2">
            <Input {...control} value={draft} onChange={(event) => setDraft(event.target.value)} onKeyDown={onKeyDown} placeholder="stop, unsubscribe" className="max-w-72" />
            <Button variant="secondary" onClick={add} disabled={!draft.trim()}>
              Add keyword
            </Button>
          </div>
        </div>
      )}
    </Field>
  );
}

/** One row per weekday: closed, or one or more opening intervals. */
function BusinessHoursEditor({ value, onChange, error }: { value: BusinessHours; onChange: (value: BusinessHours) => void; error?: string }) {
  const setDay = (day: string, intervals: [string, string][]) => onChange({ ...value, [day]: intervals });
  return (
    <fieldset aria-describedby={error ? "business-hours-error" : undefined}>
      <legend className="mb-1.5 text-sm font-medium text-slate-800">Business hours</legend>
      {error ? (
        <p id="business-hours-error" className="mb-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <div className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {WEEKDAYS.map(([day, name]) => {
          const intervals = value[day] ?? [];
          return (
            <div key={day} className="flex flex-wrap items-center gap-3 px-3 py-2">
              <span className="w-24 text-sm font-medium text-slate-800">{name}</span>
              {intervals.length === 0 ? <span className="text-sm text-slate-500">Closed</span> : null}
              {intervals.map(([start, end], i) => (
                <span key={i} className="flex items-center gap-1.5 text-sm">
                  <Input
                    type="time"
                    aria-label={`${name} opens`}
                    value={start}
                    onChange={(event) => setDay(day, intervals.map((iv, n) => (n === i ? [event.target.value, iv[1]] : iv)))}
                    className="h-8 w-28"
                  />
                  –
                  <Input
                    type="time"
                    aria-label={`${name} closes`}
                    value={end}
                    onChange={(event) => setDay(day, intervals.map((iv, n) => (n === i ? [iv[0], event.target.value] : iv)))}
                    className="h-8 w-28"
                  />
                  <button
                    type="button"
                    onClick={() => setDay(day, intervals.filter((_, n) => n !== i))}
                    className="rounded px-1.5 text-slate-500 hover:bg-slate-100"
                    aria-label={`Remove ${name} hours ${i + 1}`}
                  >
                    ×
                  </button>
                </span>
              ))}
              <Button size="sm" variant="ghost" onClick={() => setDay(day, [...intervals, intervals.length ? ["14:00", "18:00"] : ["09:00", "17:00"]])}>
                Add hours<span className="sr-only"> on {name}</span>
              </Button>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** Automations and business hours. Agents see the same form, read-only. */
export function InboxSettingsForm({ settings, manager, onSaved }: { settings: InboxSettings; manager: boolean; onSaved: (settings: InboxSettings) => void }) {
  const [form, setForm] = useState<Form>(() => formOf(settings));
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const zoneListId = useId();

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const fieldError = (name: string) => error?.fieldError(name);
  const unmatched = error ? Object.keys(error.fieldErrors).filter((name) => !(name in form)) : [];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      // Days without hours are left out: the server reads a missing day as closed.
      const hours = Object.fromEntries(Object.entries(form.business_hours).filter(([, intervals]) => intervals && intervals.length > 0));
      const updated = await updateInboxSettings({ ...form, business_hours: hours });
      setForm(formOf(updated));
      onSaved(updated);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Inbox automations" className="space-y-6">
      {!manager ? <Alert tone="info">Only owners and admins can change the inbox settings.</Alert> : null}
      {error ? (
        <Alert>
          {error.message}
          {unmatched.map((name) => (
            <span key={name} className="block">
              {name}: {error.fieldErrors[name]?.join(" ")}
            </span>
          ))}
        </Alert>
      ) : null}
      {/* A disabled fieldset makes every control read-only at once for agents. */}
      <fieldset disabled={!manager} className="space-y-6">
        <Card>
          <CardHeader title="Opt-out and opt-in" description="Customers can stop marketing messages by writing a keyword; START subscribes them again." />
          <CardBody className="space-y-4">
            <Switch label="Handle opt-out keywords" checked={form.opt_out_enabled} onChange={(v) => set("opt_out_enabled", v)} />
            <KeywordChips value={form.opt_out_keywords} onChange={(v) => set("opt_out_keywords", v)} error={fieldError("opt_out_keywords")} />
            <TextBox label="Opt-out reply" value={form.opt_out_reply} onChange={(v) => set("opt_out_reply", v)} error={fieldError("opt_out_reply")} />
            <TextBox label="Opt-in reply" value={form.opt_in_reply} onChange={(v) => set("opt_in_reply", v)} error={fieldError("opt_in_reply")} />
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Welcome and away messages" description="Sent automatically; in the inbox they carry an “Automatic reply” label." />
          <CardBody className="space-y-4">
            <Switch label="Welcome message" hint="To a customer's first message." checked={form.welcome_enabled} onChange={(v) => set("welcome_enabled", v)} />
            <TextBox label="Welcome text" value={form.welcome_text} onChange={(v) => set("welcome_text", v)} error={fieldError("welcome_text")} />
            <Switch label="Away message" hint="To messages outside business hours." checked={form.away_enabled} onChange={(v) => set("away_enabled", v)} />
            <TextBox label="Away text" value={form.away_text} onChange={(v) => set("away_text", v)} error={fieldError("away_text")} />
            <Field label="Time zone" error={fieldError("timezone")} hint="Business hours are in this time zone, e.g. Europe/Berlin or Asia/Kolkata.">
              {(control) => <Input {...control} list={zoneListId} value={form.timezone} onChange={(event) => set("timezone", event.target.value)} className="max-w-72" />}
            </Field>
            <ZoneList id={zoneListId} />
            <BusinessHoursEditor value={form.business_hours} onChange={(v) => set("business_hours", v)} error={fieldError("business_hours")} />
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Visibility" />
          <CardBody>
            <Switch
              label="Agents see every conversation"
              hint="Off: agents see the conversations assigned to them and unassigned ones. Owners and admins always see everything."
              checked={form.agents_see_all}
              onChange={(v) => set("agents_see_all", v)}
            />
          </CardBody>
        </Card>
      </fieldset>
      {manager ? (
        <div className="flex items-center gap-3">
          <Button type="submit" loading={saving}>
            Save inbox settings
          </Button>
          {saved ? (
            <span role="status" className="text-sm text-brand-800">
              Saved.
            </span>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

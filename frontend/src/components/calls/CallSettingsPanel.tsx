"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";

import { Alert, Button, Input, Spinner } from "@/components/ui";
import { getCallSettings, updateCallSettings, type CallingSettings, type CallSettings, type CallSettingsPatch } from "@/lib/api/calls";
import { toApiError } from "@/lib/apiClient";
import { callKeys } from "@/lib/query/keys";

const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
type Day = (typeof DAYS)[number];
/** One range a day in this form (Meta allows two): a day with two keeps them while the hours aren't edited. */
type Week = Record<Day, { open: boolean; from: string; to: string }>;

const hhmm = (time: string) => time.replace(":", ""); // <input type=time> "09:00" → Meta's "0900"
const clock = (value: string) => `${value.slice(0, 2)}:${value.slice(2, 4)}`;

function weekOf(calling: CallingSettings): Week {
  const ranges = calling.call_hours?.weekly_operating_hours ?? [];
  return Object.fromEntries(
    DAYS.map((day) => {
      const range = ranges.find((r) => r.day_of_week === day);
      return [day, range ? { open: true, from: clock(range.open_time), to: clock(range.close_time) } : { open: false, from: "09:00", to: "17:00" }];
    }),
  ) as Week;
}

interface Draft {
  calling: boolean;
  icon: boolean;
  callback: boolean;
  hours: boolean;
  timezone: string;
  week: Week;
  reply: boolean;
  replyText: string;
}

function draftOf(settings: CallSettings): Draft {
  const c = settings.calling;
  return {
    calling: c.status === "ENABLED",
    icon: c.call_icon_visibility !== "DISABLE_ALL",
    callback: c.callback_permission_status === "ENABLED",
    hours: c.call_hours?.status === "ENABLED",
    timezone: c.call_hours?.timezone_id ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    week: weekOf(c),
    reply: settings.missed_call_reply_enabled,
    replyText: settings.missed_call_reply_text,
  };
}

/** Only what changed: Meta replaces each `calling` section given (call_hours as a whole, holidays included). */
function patchOf(before: Draft, after: Draft, holidays: NonNullable<CallingSettings["call_hours"]>["holiday_schedule"]): CallSettingsPatch {
  const calling: CallingSettings = {};
  if (after.calling !== before.calling) calling.status = after.calling ? "ENABLED" : "DISABLED";
  if (after.icon !== before.icon) calling.call_icon_visibility = after.icon ? "DEFAULT" : "DISABLE_ALL";
  if (after.callback !== before.callback) calling.callback_permission_status = after.callback ? "ENABLED" : "DISABLED";
  const hoursChanged = after.hours !== before.hours || after.timezone !== before.timezone || JSON.stringify(after.week) !== JSON.stringify(before.week);
  if (hoursChanged) {
    calling.call_hours = after.hours
      ? {
          status: "ENABLED",
          timezone_id: after.timezone,
          weekly_operating_hours: DAYS.filter((d) => after.week[d].open).map((d) => ({ day_of_week: d, open_time: hhmm(after.week[d].from), close_time: hhmm(after.week[d].to) })),
          holiday_schedule: holidays ?? [],
        }
      : { status: "DISABLED" };
  }
  const patch: CallSettingsPatch = {};
  if (Object.keys(calling).length) patch.calling = calling;
  if (after.reply !== before.reply) patch.missed_call_reply_enabled = after.reply;
  if (after.replyText !== before.replyText) patch.missed_call_reply_text = after.replyText;
  return patch;
}

function Check({ label, hint, checked, disabled, onChange }: { label: string; hint?: string; checked: boolean; disabled: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="flex items-start gap-2 text-sm text-slate-800">
      <input type="checkbox" className="mt-0.5" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {label}
        {hint ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      </span>
    </label>
  );
}

/** A number's WhatsApp calling, read from and written to Meta; readers see it, owners and admins change it. */
export function CallSettingsPanel({ numberId, canManage }: { numberId: number; canManage: boolean }) {
  const client = useQueryClient();
  const id = useId();
  const query = useQuery({ queryKey: callKeys.settings(numberId), queryFn: () => getCallSettings(numberId) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  if (query.isPending) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
        <Spinner /> Reading the calling settings from WhatsApp…
      </p>
    );
  }
  if (query.error) return <Alert>{toApiError(query.error).message}</Alert>;
  const settings = query.data;
  const before = draftOf(settings);
  const d = draft ?? before;
  const set = (change: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...d, ...change });
  };
  const locked = !canManage || saving;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const patch = patchOf(before, d, settings.calling.call_hours?.holiday_schedule);
    if (!Object.keys(patch).length) return;
    setSaving(true);
    setError(null);
    try {
      client.setQueryData(callKeys.settings(numberId), await updateCallSettings(numberId, patch));
      setDraft(null);
      setSaved(true);
    } catch (err) {
      const problem = toApiError(err);
      const fields = Object.entries(problem.fieldErrors).map(([field, messages]) => `${field}: ${messages.join(" ")}`);
      setError([problem.message, ...fields].join(" "));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={onSubmit} aria-label="Calling settings" className="space-y-3">
      <Check label="Customers can call this number on WhatsApp" checked={d.calling} disabled={locked} onChange={(calling) => set({ calling })} />
      <Check label="Show the call button in the chat" hint="Off: customers call only from a call button in a message you send." checked={d.icon} disabled={locked || !d.calling} onChange={(icon) => set({ icon })} />
      <Check label="Ask callers for permission to call them back" hint="WhatsApp then lets you call them for 7 days." checked={d.callback} disabled={locked || !d.calling} onChange={(callback) => set({ callback })} />
      <Check label="Take calls only during call hours" hint="Outside them WhatsApp offers the customer a chat or a callback." checked={d.hours} disabled={locked || !d.calling} onChange={(hours) => set({ hours })} />
      {d.hours ? (
        <fieldset className="ml-6 space-y-2" disabled={locked}>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            Time zone
            <Input className="max-w-56" value={d.timezone} onChange={(e) => set({ timezone: e.target.value })} aria-label="Call hours' time zone" />
          </label>
          <table className="text-sm">
            <tbody>
              {DAYS.map((day) => {
                const row = d.week[day];
                const label = day.charAt(0) + day.slice(1).toLowerCase();
                const change = (value: Partial<Week[Day]>) => set({ week: { ...d.week, [day]: { ...row, ...value } } });
                return (
                  <tr key={day}>
                    <td className="pr-3">
                      <label className="flex items-center gap-2">
                        <input type="checkbox" checked={row.open} onChange={(e) => change({ open: e.target.checked })} />
                        {label}
                      </label>
                    </td>
                    <td>
                      {row.open ? (
                        <span className="flex items-center gap-1">
                          <input type="time" aria-label={`${label} opens`} value={row.from} onChange={(e) => change({ from: e.target.value })} className="rounded border border-slate-300 px-1" />
                          –
                          <input type="time" aria-label={`${label} closes`} value={row.to} onChange={(e) => change({ to: e.target.value })} className="rounded border border-slate-300 px-1" />
                        </span>
                      ) : (
                        <span className="text-slate-500">Closed</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>
      ) : null}
      <Check label="Reply to missed calls" hint="Sent on WhatsApp when nobody answers, inside the 24 hours the call opened." checked={d.reply} disabled={locked} onChange={(reply) => set({ reply })} />
      {d.reply ? (
        <div className="ml-6">
          <label htmlFor={`${id}-reply`} className="text-sm text-slate-700">
            Missed-call reply
          </label>
          <textarea id={`${id}-reply`} rows={2} maxLength={4096} disabled={locked} value={d.replyText} onChange={(e) => set({ replyText: e.target.value })} className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm" />
        </div>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      {saved ? (
        <p role="status" className="text-sm text-brand-700">
          Saved at WhatsApp.
        </p>
      ) : null}
      {canManage ? (
        <Button type="submit" size="sm" loading={saving} disabled={draft === null}>
          Save calling settings
        </Button>
      ) : (
        <p className="text-xs text-slate-500">Owners and admins change these.</p>
      )}
    </form>
  );
}

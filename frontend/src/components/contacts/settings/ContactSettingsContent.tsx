"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState, type FormEvent } from "react";

import { getContactSettings, listAllAttributes, updateContactSettings } from "@/lib/api/contacts";
import type { AttributeDefinition, ContactSettings } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { contactKeys } from "@/lib/query/keys";
import { SettingsPageHeader } from "@/components/settings/SettingsPageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { Button, Card, CardBody, CardHeader, Field, Select, Spinner } from "@/components/ui";
import { AttributeDefinitions } from "./AttributeDefinitions";
import { CALLING_CODES, regionName, regionOptions } from "./regions";

function describeRegion(code: string): string {
  return code ? `${regionName(code)} (${code}, +${CALLING_CODES[code] ?? "?"})` : "None";
}

function DefaultRegionForm({ settings, manager, onSaved }: { settings: ContactSettings; manager: boolean; onSaved: (settings: ContactSettings) => void }) {
  const [region, setRegion] = useState(settings.default_region);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const options = useMemo(() => regionOptions(), []);

  if (!manager) {
    return (
      <p className="text-sm text-slate-700">
        Default country: <strong>{describeRegion(settings.default_region)}</strong>. Only owners and admins can change it.
      </p>
    );
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await updateContactSettings({ default_region: region });
      onSaved(updated);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Phone number settings" className="flex flex-wrap items-end gap-3">
      <Field
        label="Default country"
        error={error?.fieldError("default_region") ?? (error && !error.fieldError("default_region") ? error.message : undefined)}
        className="min-w-72 flex-1"
      >
        {(control) => (
          <Select
            {...control}
            value={region}
            onChange={(event) => {
              setSaved(false);
              setRegion(event.target.value);
            }}
          >
            <option value="">None: every number needs + and its country code</option>
            {options.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name} (+{o.callingCode})
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Button type="submit" loading={saving} disabled={region === settings.default_region}>
        Save
      </Button>
      {saved ? (
        <span role="status" className="pb-2.5 text-sm text-brand-800">
          Saved.
        </span>
      ) : null}
    </form>
  );
}

/** Settings → Contacts for the logged-in member. */
export function ContactSettingsContent() {
  const { user } = useSession();
  return <ContactSettingsView canManage={user.capabilities.manage_contacts} />;
}

/** /settings/contacts: the default country for phone numbers and the custom attribute definitions. */
export function ContactSettingsView({ canManage: manager }: { canManage: boolean }) {
  const client = useQueryClient();
  const loadedSettings = useQuery({ queryKey: contactKeys.settings(), queryFn: getContactSettings });
  const loadedDefinitions = useQuery({ queryKey: contactKeys.attributes(), queryFn: listAllAttributes });
  const settings = loadedSettings.data ?? null;
  const definitions = loadedDefinitions.data ?? null;
  const failed = loadedSettings.error ?? loadedDefinitions.error;
  const error = failed ? toApiError(failed).message : null;
  const setSettings = (saved: ContactSettings) => client.setQueryData(contactKeys.settings(), saved);
  const setDefinitions = (next: AttributeDefinition[]) => client.setQueryData(contactKeys.attributes(), next);

  return (
    <>
      <SettingsPageHeader title="Contact settings" description="How phone numbers are read and which custom fields your contacts have." error={error} />
      <div className="space-y-6">
        <Card>
          <CardHeader
            title="Phone numbers"
            description="Numbers written without + and a country code (in imports, forms and searches) are read as numbers of this country."
          />
          <CardBody>
            {settings ? (
              <DefaultRegionForm settings={settings} manager={manager} onSaved={setSettings} />
            ) : (
              <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
                <Spinner /> Loading…
              </p>
            )}
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title="Custom attributes"
            description={
              manager
                ? "Typed fields for every contact. Values are checked against the type on every change and import; a CSV column named like the key fills it."
                : "Typed fields for every contact. Only owners and admins can change them."
            }
          />
          {definitions ? (
            <AttributeDefinitions definitions={definitions} manager={manager} onChange={setDefinitions} />
          ) : (
            <p role="status" className="flex items-center gap-2 px-5 py-4 text-sm text-slate-500">
              <Spinner /> Loading attributes…
            </p>
          )}
        </Card>
      </div>
    </>
  );
}

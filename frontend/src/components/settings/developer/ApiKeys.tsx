"use client";

import { useState } from "react";

import { CopyButton } from "@/components/branding/DomainsPanel";
import { Alert, Badge, Button, Spinner, TextField } from "@/components/ui";
import { useApiForm } from "@/hooks/useApiForm";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from "@/lib/api/apiKeys";
import type { ApiKey, ApiKeyCreated, ApiKeyScope } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { apiKeyKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";

const SCOPES: { value: ApiKeyScope; label: string }[] = [
  { value: "messages", label: "Messages" },
  { value: "templates", label: "Templates" },
  { value: "contacts", label: "Contacts" },
  { value: "campaigns", label: "Campaigns" },
  { value: "read_only", label: "Read only" },
];

// How long the previous secret keeps working after a rotation (the API's grace_hours, 0 to 168).
const GRACE_CHOICES: { hours: number; label: string }[] = [
  { hours: 0, label: "Stop at once" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "24 hours" },
  { hours: 168, label: "7 days" },
];

interface NewKey {
  name: string;
  scopes: ApiKeyScope[];
}

function when(value: string | null): string {
  return value ? new Date(value).toLocaleString() : "Never";
}

/** The whole key, once: after create or rotate. */
function RevealedKey({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  return (
    <div role="status" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-3">
      <p className="text-sm font-medium text-amber-900">{`Copy the key for “${created.name}” now: it won't be shown again.`}</p>
      <div className="flex items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-amber-200" data-testid="api-key-secret">
          {created.key}
        </code>
        <CopyButton value={created.key} label="API key" />
      </div>
      <Button size="sm" variant="secondary" onClick={onDone}>
        {"I've stored it"}
      </Button>
    </div>
  );
}

function CreateForm({ onCreated }: { onCreated: (created: ApiKeyCreated) => void }) {
  const form = useApiForm<NewKey, ApiKeyCreated>({
    initial: { name: "", scopes: ["messages"] },
    submit: (body) => createApiKey(body),
    onSuccess: (created, { reset }) => {
      reset();
      onCreated(created);
    },
  });
  const toggle = (scope: ApiKeyScope, on: boolean) =>
    form.setValue("scopes", on ? [...form.values.scopes, scope] : form.values.scopes.filter((s) => s !== scope));

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Create API key" className="space-y-3">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField label="Name" {...form.bind("name")} placeholder="Order system" />
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Scopes</legend>
        <div className="flex flex-wrap gap-3">
          {SCOPES.map((scope) => (
            <label key={scope.value} className="flex items-center gap-1.5 text-sm text-slate-700">
              <input
                type="checkbox"
                className="size-4 accent-brand-700"
                checked={form.values.scopes.includes(scope.value)}
                onChange={(event) => toggle(scope.value, event.target.checked)}
              />
              {scope.label}
            </label>
          ))}
        </div>
        {form.fieldError("scopes") ? <p className="mt-1 text-sm text-red-700">{form.fieldError("scopes")}</p> : null}
      </fieldset>
      <Button type="submit" size="sm" loading={form.submitting}>
        Create API key
      </Button>
    </form>
  );
}

/** Settings → Developers: the business's API keys for the public API (owners and admins). */
export function ApiKeys() {
  const { items, setItems, hasMore, loadMore, loading, loadingMore, error } = useCursorQuery<ApiKey>(apiKeyKeys.list(), (next) => listApiKeys(next));
  const [revealed, setRevealed] = useState<ApiKeyCreated | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [graceHours, setGraceHours] = useState(24);

  function show(created: ApiKeyCreated) {
    const { key: _secret, ...listed } = created;
    setItems((list) => [listed, ...list.filter((k) => k.id !== created.id)]);
    setRevealed(created);
  }

  async function act(action: () => Promise<void>) {
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem(toApiError(err).message);
    }
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {"Keys call the public API (send messages, templates, contacts, campaigns) on this business's address with "}
        <code>Authorization: Bearer …</code>. Each key acts with your rights, within its scopes.
      </p>
      {error || problem ? <Alert>{error ?? problem}</Alert> : null}
      {revealed ? <RevealedKey created={revealed} onDone={() => setRevealed(null)} /> : null}
      {items.length > 0 ? (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          After rotating, the previous key keeps working:
          <select className="rounded border border-slate-300 px-2 py-1 text-sm" value={graceHours} onChange={(event) => setGraceHours(Number(event.target.value))}>
            {GRACE_CHOICES.map((choice) => (
              <option key={choice.hours} value={choice.hours}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {loading ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading API keys…
        </p>
      ) : items.length === 0 ? (
        <p className="text-sm text-slate-500">No API keys yet.</p>
      ) : (
        <ul aria-label="API keys" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {items.map((key) => (
            <li key={key.id} className="flex flex-wrap items-start justify-between gap-3 px-3 py-2.5">
              <div className="min-w-0 space-y-1">
                <p className="text-sm">
                  <span className="font-medium text-slate-900">{key.name}</span> <span className="font-mono text-xs text-slate-500">{key.prefix}…</span>
                </p>
                <p className="flex flex-wrap gap-1">
                  {key.scopes.map((scope) => (
                    <Badge key={scope}>{scope}</Badge>
                  ))}
                </p>
                <p className="text-xs text-slate-500">
                  Last used: {when(key.last_used_at)}
                  {key.last_used_ip ? ` from ${key.last_used_ip}` : ""} · created by {key.created_by}
                </p>
                {key.previous_key_expires_at ? <p className="text-xs text-amber-800">Previous key valid until {when(key.previous_key_expires_at)}</p> : null}
              </div>
              <div className="flex shrink-0 gap-1">
                <Button size="sm" variant="ghost" aria-label={`Rotate ${key.name}`} onClick={() => void act(async () => show(await rotateApiKey(key.id, graceHours)))}>
                  Rotate
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  className="text-red-700"
                  aria-label={`Revoke ${key.name}`}
                  onClick={() =>
                    void act(async () => {
                      await revokeApiKey(key.id);
                      setItems((list) => list.filter((k) => k.id !== key.id));
                    })
                  }
                >
                  Revoke
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {hasMore ? (
        <Button size="sm" variant="secondary" onClick={() => void loadMore()} loading={loadingMore}>
          Load more
        </Button>
      ) : null}
      <div className="rounded-lg border border-dashed border-slate-300 p-3">
        <h3 className="mb-2 text-sm font-semibold text-slate-900">New API key</h3>
        <CreateForm onCreated={show} />
      </div>
    </div>
  );
}

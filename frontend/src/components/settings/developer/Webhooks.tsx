"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { CopyButton } from "@/components/branding/DomainsPanel";
import { Alert, Badge, Button, Select, Spinner, TextField } from "@/components/ui";
import { useApiForm } from "@/hooks/useApiForm";
import type {
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookEventType,
} from "@/lib/api/types";
import {
  createWebhook,
  deleteWebhook,
  enableWebhook,
  getWebhookDelivery,
  listWebhookDeliveries,
  listWebhookEventTypes,
  listWebhooks,
  replayWebhookDelivery,
  rollWebhookSecret,
  testWebhook,
} from "@/lib/api/webhooks";
import { toApiError } from "@/lib/apiClient";
import { webhookKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";

interface NewEndpoint {
  url: string;
  description: string;
  events: WebhookEventType[];
}

const STATUS_TONES: Record<WebhookDeliveryStatus, "neutral" | "brand" | "amber" | "red"> = {
  pending: "neutral",
  succeeded: "brand",
  failed: "amber",
  dead: "red",
};

function when(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString() : "—";
}

/** The signing secret, once: after create or roll. */
function RevealedSecret({ endpoint, onDone }: { endpoint: WebhookEndpointWithSecret; onDone: () => void }) {
  return (
    <div role="status" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-3">
      <p className="text-sm font-medium text-amber-900">{`Copy the signing secret for ${endpoint.url} now: it won't be shown again.`}</p>
      <div className="flex items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-amber-200" data-testid="webhook-secret">
          {endpoint.secret}
        </code>
        <CopyButton value={endpoint.secret} label="signing secret" />
      </div>
      <p className="text-xs text-amber-900">
        Verify <code>ConvoNest-Signature</code> with it (HMAC-SHA256 of <code>t.body</code>): see the webhooks guide.
      </p>
      <Button size="sm" variant="secondary" onClick={onDone}>
        {"I've stored it"}
      </Button>
    </div>
  );
}

function CreateForm({ onCreated }: { onCreated: (created: WebhookEndpointWithSecret) => void }) {
  const types = useQuery({ queryKey: webhookKeys.eventTypes(), queryFn: listWebhookEventTypes });
  const form = useApiForm<NewEndpoint, WebhookEndpointWithSecret>({
    initial: { url: "", description: "", events: [] },
    submit: (body) => createWebhook(body),
    onSuccess: (created, { reset }) => {
      reset();
      onCreated(created);
    },
  });
  const toggle = (type: WebhookEventType, on: boolean) =>
    form.setValue("events", on ? [...form.values.events, type] : form.values.events.filter((t) => t !== type));

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Add webhook endpoint" className="space-y-3">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField label="Endpoint URL" {...form.bind("url")} placeholder="https://example.com/convonest/webhooks" />
      <TextField label="Description" {...form.bind("description")} placeholder="CRM sync" />
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Events</legend>
        <div className="grid gap-1.5 sm:grid-cols-2">
          {(types.data ?? []).map((type) => (
            <label key={type.type} className="flex items-start gap-1.5 text-sm text-slate-700" title={type.description}>
              <input
                type="checkbox"
                className="mt-0.5 size-4 accent-brand-700"
                checked={form.values.events.includes(type.type as WebhookEventType)}
                onChange={(event) => toggle(type.type as WebhookEventType, event.target.checked)}
              />
              <span className="font-mono text-xs">{type.type}</span>
            </label>
          ))}
        </div>
        {form.fieldError("events") ? <p className="mt-1 text-sm text-red-700">{form.fieldError("events")}</p> : null}
      </fieldset>
      <Button type="submit" size="sm" loading={form.submitting}>
        Add endpoint
      </Button>
    </form>
  );
}

function DeliveryDetails({ id, onReplayed }: { id: string; onReplayed: () => void }) {
  const detail = useQuery({ queryKey: webhookKeys.delivery(id), queryFn: () => getWebhookDelivery(id) });
  const [problem, setProblem] = useState<string | null>(null);
  if (detail.isPending) return <Spinner />;
  if (detail.error || !detail.data) return <Alert>{toApiError(detail.error).message}</Alert>;
  const delivery = detail.data;
  return (
    <div className="space-y-2 rounded-lg bg-slate-50 p-2 text-xs">
      {problem ? <Alert>{problem}</Alert> : null}
      <ol aria-label="Attempts" className="space-y-1">
        {delivery.attempt_rows.map((attempt) => (
          <li key={attempt.number} className="rounded bg-white p-2 ring-1 ring-slate-200">
            <p className="font-medium text-slate-800">
              {`Attempt ${attempt.number}: ${attempt.response_status ?? "no answer"} · ${attempt.duration_ms} ms · ${when(attempt.created_at)}`}
            </p>
            {attempt.error ? <p className="text-red-700">{attempt.error}</p> : null}
            {attempt.response_body ? <pre className="mt-1 max-h-24 overflow-auto whitespace-pre-wrap text-slate-600">{attempt.response_body}</pre> : null}
          </li>
        ))}
      </ol>
      <details>
        <summary className="cursor-pointer text-slate-700">Payload</summary>
        <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap text-slate-600">{JSON.stringify(delivery.payload, null, 2)}</pre>
      </details>
      <Button
        size="sm"
        variant="secondary"
        onClick={() =>
          void replayWebhookDelivery(id)
            .then(onReplayed)
            .catch((err: unknown) => setProblem(toApiError(err).message))
        }
      >
        Replay
      </Button>
    </div>
  );
}

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const [status, setStatus] = useState<WebhookDeliveryStatus | "">("");
  const [open, setOpen] = useState<string | null>(null);
  const log = useCursorQuery<WebhookDelivery>(webhookKeys.deliveries(endpoint.id, status), (next) => listWebhookDeliveries(endpoint.id, status, next), {
    keepPrevious: true,
  });
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2">
        <label className="text-xs font-medium text-slate-600" htmlFor={`status-${endpoint.id}`}>
          Status
        </label>
        <Select id={`status-${endpoint.id}`} className="h-8 w-40" value={status} onChange={(event) => setStatus(event.target.value as WebhookDeliveryStatus | "")}>
          <option value="">All</option>
          <option value="pending">Pending</option>
          <option value="failed">Retrying</option>
          <option value="succeeded">Succeeded</option>
          <option value="dead">Dead</option>
        </Select>
        <Button size="sm" variant="ghost" onClick={() => log.refetch()}>
          Refresh
        </Button>
      </div>
      {log.error ? <Alert>{log.error}</Alert> : null}
      {log.loading ? (
        <Spinner />
      ) : log.items.length === 0 ? (
        <p className="text-sm text-slate-500">No deliveries yet.</p>
      ) : (
        <ul aria-label={`Deliveries to ${endpoint.url}`} className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {log.items.map((delivery) => (
            <li key={delivery.id} className="space-y-1 px-3 py-2">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm">
                  <span className="font-mono text-xs text-slate-800">{delivery.event_type}</span>{" "}
                  <Badge tone={STATUS_TONES[delivery.status]}>{delivery.status}</Badge>{" "}
                  <span className="text-xs text-slate-500">
                    {`${delivery.attempts} attempt${delivery.attempts === 1 ? "" : "s"} · ${delivery.last_response_status ?? "—"} · ${when(delivery.created_at)}`}
                  </span>
                </p>
                <Button size="sm" variant="ghost" aria-expanded={open === delivery.id} onClick={() => setOpen(open === delivery.id ? null : delivery.id)}>
                  {open === delivery.id ? "Hide" : "Details"}
                </Button>
              </div>
              {delivery.last_error ? <p className="text-xs text-red-700">{delivery.last_error}</p> : null}
              {open === delivery.id ? <DeliveryDetails id={delivery.id} onReplayed={() => log.refetch()} /> : null}
            </li>
          ))}
        </ul>
      )}
      {log.hasMore ? (
        <Button size="sm" variant="secondary" onClick={() => void log.loadMore()} loading={log.loadingMore}>
          Load more
        </Button>
      ) : null}
    </div>
  );
}

/** Settings → Developers → Webhooks: the business's endpoints, their delivery log, test pings and replays. */
export function Webhooks() {
  const client = useQueryClient();
  const { items, setItems, hasMore, loadMore, loading, loadingMore, error } = useCursorQuery<WebhookEndpoint>(webhookKeys.list(), (next) => listWebhooks(next));
  const [revealed, setRevealed] = useState<WebhookEndpointWithSecret | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<number | null>(null);

  function replace(endpoint: WebhookEndpoint) {
    setItems((list) => {
      const others = list.filter((e) => e.id !== endpoint.id);
      return list.some((e) => e.id === endpoint.id) ? list.map((e) => (e.id === endpoint.id ? endpoint : e)) : [endpoint, ...others];
    });
  }

  function show(created: WebhookEndpointWithSecret) {
    const { secret: _secret, ...listed } = created;
    replace(listed);
    setRevealed(created);
  }

  async function act(action: () => Promise<void>) {
    setProblem(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setProblem(toApiError(err).message);
    }
  }

  async function ping(endpoint: WebhookEndpoint) {
    const delivery = await testWebhook(endpoint.id);
    setNotice(
      delivery.status === "succeeded"
        ? `Ping delivered to ${endpoint.url} (${delivery.last_response_status}).`
        : `Ping to ${endpoint.url} failed: ${delivery.last_error || "no answer"}`,
    );
    void client.invalidateQueries({ queryKey: ["developer", "webhooks", endpoint.id] });
  }

  return (
    <div id="webhooks" className="scroll-mt-20 space-y-4">
      <h3 className="text-base font-semibold text-slate-900">Webhooks</h3>
      <p className="text-sm text-slate-600">
        ConvoNest POSTs the events you choose to your endpoints, signed with <code>ConvoNest-Signature</code>, and retries failed deliveries
        for about a day. Endpoints must be public addresses.
      </p>
      {error || problem ? <Alert>{error ?? problem}</Alert> : null}
      {notice ? (
        <p role="status" className="rounded-lg bg-slate-50 p-2 text-sm text-slate-700">
          {notice}
        </p>
      ) : null}
      {revealed ? <RevealedSecret endpoint={revealed} onDone={() => setRevealed(null)} /> : null}
      {loading ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading webhooks…
        </p>
      ) : items.length === 0 ? (
        <p className="text-sm text-slate-500">No webhook endpoints yet.</p>
      ) : (
        <ul aria-label="Webhook endpoints" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {items.map((endpoint) => (
            <li key={endpoint.id} className="space-y-2 px-3 py-2.5">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 space-y-1">
                  <p className="break-all text-sm">
                    <span className="font-medium text-slate-900">{endpoint.url}</span>{" "}
                    {endpoint.is_active ? <Badge tone="brand">Active</Badge> : <Badge tone="red">Disabled</Badge>}
                  </p>
                  {endpoint.description ? <p className="text-xs text-slate-600">{endpoint.description}</p> : null}
                  <p className="flex flex-wrap gap-1">
                    {endpoint.events.map((type) => (
                      <Badge key={type}>{type}</Badge>
                    ))}
                  </p>
                  {!endpoint.is_active && endpoint.disabled_reason ? <p className="text-xs text-red-700">{endpoint.disabled_reason}</p> : null}
                  {endpoint.is_active && endpoint.failure_streak > 0 ? (
                    <p className="text-xs text-amber-800">{`${endpoint.failure_streak} failed attempts in a row since ${when(endpoint.failing_since)}`}</p>
                  ) : null}
                </div>
                <div className="flex shrink-0 flex-wrap gap-1">
                  <Button size="sm" variant="ghost" aria-label={`Send test to ${endpoint.url}`} onClick={() => void act(() => ping(endpoint))}>
                    Send test
                  </Button>
                  {!endpoint.is_active ? (
                    <Button size="sm" variant="ghost" aria-label={`Re-enable ${endpoint.url}`} onClick={() => void act(async () => replace(await enableWebhook(endpoint.id)))}>
                      Re-enable
                    </Button>
                  ) : null}
                  <Button size="sm" variant="ghost" aria-label={`Deliveries to ${endpoint.url}`} onClick={() => setLogOf(logOf === endpoint.id ? null : endpoint.id)}>
                    Deliveries
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={`Roll secret of ${endpoint.url}`} onClick={() => void act(async () => show(await rollWebhookSecret(endpoint.id)))}>
                    Roll secret
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    className="text-red-700"
                    aria-label={`Delete ${endpoint.url}`}
                    onClick={() =>
                      void act(async () => {
                        await deleteWebhook(endpoint.id);
                        setItems((list) => list.filter((e) => e.id !== endpoint.id));
                      })
                    }
                  >
                    Delete
                  </Button>
                </div>
              </div>
              {logOf === endpoint.id ? <DeliveryLog endpoint={endpoint} /> : null}
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
        <h4 className="mb-2 text-sm font-semibold text-slate-900">New endpoint</h4>
        <CreateForm onCreated={show} />
      </div>
    </div>
  );
}

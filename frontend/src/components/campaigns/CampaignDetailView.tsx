"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { Overlay } from "@/components/contacts/Overlay";
import { PageHeader } from "@/components/app/PageHeader";
import { formatWhen } from "@/components/templates/format";
import { Alert, Badge, Button, buttonClasses, Card, CardBody, CardHeader, Select, Spinner, TextField } from "@/components/ui";
import {
  cancelCampaign,
  deleteCampaign,
  getCampaign,
  isLive,
  listRecipients,
  previewAudience,
  pauseCampaign,
  reportUrl,
  resumeCampaign,
  retargetCampaign,
  startCampaign,
  type CampaignDetail,
  type CampaignRecipient,
  type CampaignRetargetStage,
  type RecipientQuery,
} from "@/lib/api/campaigns";
import { toApiError } from "@/lib/apiClient";
import { campaignKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { ActionError } from "./ActionError";
import { CampaignSettings } from "./CampaignSettings";
import { count, inZone, money, RECIPIENT_STATES, RETARGET_STAGES, stageLabel, statusInfo, waitingText } from "./format";
import { Funnel, ProgressBar } from "./Funnel";
import { AudienceSummary, EstimateLines } from "./Reach";
import { useBusinessTimeZone } from "./useBusinessTimeZone";

export const POLL_MS = 1500;
/** After it ends, statuses (delivered, read) and replies keep arriving for a while: poll slower for this long. */
const SETTLING_MS = 15 * 60 * 1000;

function pollEvery(campaign: CampaignDetail | undefined): number | false {
  if (!campaign) return false;
  if (isLive(campaign.status)) return POLL_MS;
  const ended = campaign.completed_at ? Date.parse(campaign.completed_at) : NaN;
  return Date.now() - ended < SETTLING_MS ? 5 * POLL_MS : false;
}

function Actions({ campaign }: { campaign: CampaignDetail }) {
  const client = useQueryClient();
  const router = useRouter();
  const [confirming, setConfirming] = useState<"cancel" | "delete" | null>(null);
  const [retargeting, setRetargeting] = useState(false);
  const act = useMutation({
    mutationFn: async (action: "start" | "split" | "pause" | "resume" | "cancel" | "delete") => {
      if (action === "start" || action === "split") return startCampaign(campaign.id, action === "split");
      if (action === "pause") return pauseCampaign(campaign.id);
      if (action === "resume") return resumeCampaign(campaign.id);
      if (action === "cancel") return cancelCampaign(campaign.id);
      await deleteCampaign(campaign.id);
      return null;
    },
    onSuccess: (updated) => {
      setConfirming(null);
      if (updated === null) {
        void client.invalidateQueries({ queryKey: campaignKeys.lists() });
        router.push("/campaigns");
        return;
      }
      client.setQueryData(campaignKeys.detail(campaign.id), updated);
      void client.invalidateQueries({ queryKey: campaignKeys.all() });
    },
  });
  const busy = act.isPending;
  const s = campaign.status;
  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        {s === "draft" ? (
          <Button loading={busy && (act.variables === "start" || act.variables === "split")} onClick={() => act.mutate("start")}>
            Start campaign
          </Button>
        ) : null}
        {s === "running" || s === "scheduled" ? (
          <Button variant="secondary" loading={busy && act.variables === "pause"} onClick={() => act.mutate("pause")}>
            Pause
          </Button>
        ) : null}
        {s === "paused" ? (
          <Button loading={busy && act.variables === "resume"} onClick={() => act.mutate("resume")}>
            Resume
          </Button>
        ) : null}
        {s === "scheduled" || s === "running" || s === "paused" ? (
          confirming === "cancel" ? (
            <>
              <span className="text-sm text-slate-600">Cancel it? Nothing more is sent; this can&apos;t be undone.</span>
              <Button variant="danger" loading={busy && act.variables === "cancel"} onClick={() => act.mutate("cancel")}>
                Confirm cancel
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(null)}>
                Keep it
              </Button>
            </>
          ) : (
            <Button variant="ghost" className="text-red-700" onClick={() => setConfirming("cancel")}>
              Cancel campaign
            </Button>
          )
        ) : null}
        {s === "draft" ? (
          confirming === "delete" ? (
            <>
              <Button variant="danger" loading={busy && act.variables === "delete"} onClick={() => act.mutate("delete")}>
                Confirm delete
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(null)}>
                Keep it
              </Button>
            </>
          ) : (
            <Button variant="ghost" className="text-red-700" onClick={() => setConfirming("delete")}>
              Delete draft
            </Button>
          )
        ) : null}
        {campaign.started_at ? (
          <>
            <Button variant="secondary" onClick={() => setRetargeting(true)}>
              Retarget…
            </Button>
            <a href={reportUrl(campaign.id)} className={buttonClasses("ghost")} download>
              Download CSV
            </a>
          </>
        ) : null}
      </div>
      {act.error ? <ActionError error={toApiError(act.error)} onSplit={() => act.mutate("split")} /> : null}
      {retargeting ? <RetargetDialog campaign={campaign} onClose={() => setRetargeting(false)} /> : null}
    </div>
  );
}

function RetargetDialog({ campaign, onClose }: { campaign: CampaignDetail; onClose: () => void }) {
  const router = useRouter();
  const client = useQueryClient();
  const [stage, setStage] = useState<CampaignRetargetStage>("read_not_replied");
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => retargetCampaign(campaign.id, stage, name.trim() || undefined),
    onSuccess: (draft) => {
      void client.invalidateQueries({ queryKey: campaignKeys.lists() });
      router.push(`/campaigns/${draft.id}`);
    },
  });
  return (
    <Overlay
      title="Retarget"
      description="A new draft to the recipients at one stage of this campaign's funnel, with the same template; you can pick another on the draft's page before you start it."
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={create.isPending} onClick={() => create.mutate()}>
            Create draft
          </Button>
        </>
      }
    >
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-800">Who</legend>
        {RETARGET_STAGES.map((option) => (
          <label key={option.value} className="flex items-start gap-2 text-sm">
            <input type="radio" name="stage" value={option.value} checked={stage === option.value} onChange={() => setStage(option.value)} className="mt-1" />
            <span>
              <span className="font-medium text-slate-800">{option.label}</span>
              <span className="block text-slate-500">{option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <TextField className="mt-4" label="Name (optional)" value={name} placeholder={`${campaign.name} — follow-up`} onChange={(event) => setName(event.target.value)} />
      {create.error ? <Alert className="mt-3">{toApiError(create.error).message}</Alert> : null}
    </Overlay>
  );
}

function Failures({ campaign }: { campaign: CampaignDetail }) {
  if (campaign.failures.length === 0) return null;
  return (
    <Card>
      <CardHeader title="Why some weren't delivered" description="Grouped by WhatsApp's reason, with what to do about it." />
      <ul className="divide-y divide-slate-100" aria-label="Failures">
        {campaign.failures.map((f) => (
          <li key={f.code || f.title} className="grid gap-1 px-5 py-3 text-sm sm:grid-cols-[1fr_auto]">
            <div>
              <p className="font-medium text-slate-800">
                {f.title} {f.code ? <span className="font-mono text-xs text-slate-500">({f.code})</span> : null}
                {f.retryable ? (
                  <Badge tone="blue" className="ml-2">
                    Worth retrying
                  </Badge>
                ) : null}
              </p>
              <p className="text-slate-600">{f.explanation}</p>
              <p className="text-slate-500">What to do: {f.action}</p>
            </div>
            <p className="text-right tabular-nums text-slate-800">{count(f.count)}</p>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Cost({ campaign }: { campaign: CampaignDetail }) {
  const { estimate, actual } = campaign.cost;
  return (
    <Card>
      <CardHeader title="WhatsApp charges" description={`Meta's prices per delivered template, from the rate card of ${estimate.rate_card_date}.`} />
      <CardBody className="grid gap-4 text-sm sm:grid-cols-2">
        <div>
          <p className="text-slate-500">Estimate</p>
          <p className="text-lg font-semibold tabular-nums text-slate-900" data-testid="cost-estimate">
            {money(estimate.total, estimate.currency)}
          </p>
          <EstimateLines estimate={estimate} />
        </div>
        <div>
          <p className="text-slate-500">Charged so far (billable, as WhatsApp reports)</p>
          <p className="text-lg font-semibold tabular-nums text-slate-900">{money(actual.total, actual.currency)}</p>
          <p className="text-xs text-slate-500">{count(actual.lines.reduce((n, l) => n + l.count, 0))} billable messages</p>
        </div>
      </CardBody>
    </Card>
  );
}

function Variants({ campaign }: { campaign: CampaignDetail }) {
  if (campaign.variants.length < 2) return null;
  const ab = campaign.ab_test as { test_percent?: number; metric?: string } | null;
  return (
    <Card>
      <CardHeader
        title="A/B test"
        description={`${ab?.test_percent ?? 100}% of the audience split across the templates; the best ${ab?.metric ?? "read"} rate wins${
          (ab?.test_percent ?? 100) < 100 ? " the rest" : ""
        }.`}
      />
      <CardBody className="grid gap-6 md:grid-cols-2">
        {campaign.variants.map((v) => (
          <div key={v.index} data-testid={`variant-${v.label}`}>
            <p className="mb-2 text-sm font-medium text-slate-800">
              {v.label}: {v.template.name}
              {campaign.winner_variant === v.index ? (
                <Badge tone="brand" className="ml-2">
                  Winner
                </Badge>
              ) : null}
            </p>
            <Funnel counts={v.counts} label={`Funnel of ${v.label}`} compact />
          </div>
        ))}
      </CardBody>
    </Card>
  );
}

function Recipients({ campaign }: { campaign: CampaignDetail }) {
  const [state, setState] = useState("");
  const [errorCode, setErrorCode] = useState("");
  const query: RecipientQuery = { state: (state || undefined) as RecipientQuery["state"], error_code: errorCode ? Number(errorCode) : undefined };
  const list = useCursorQuery<CampaignRecipient>(campaignKeys.recipients(campaign.id, query), (next) => listRecipients(campaign.id, query, next), {
    keepPrevious: true,
  });
  const codes = campaign.failures.filter((f) => /^\d+$/.test(f.code));
  return (
    <Card>
      <CardHeader title="Recipients" />
      <div className="flex flex-wrap gap-3 px-5 pb-3">
        <Select aria-label="Recipient state" value={state} onChange={(event) => setState(event.target.value)} className="max-w-56">
          {RECIPIENT_STATES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </Select>
        {codes.length ? (
          <Select aria-label="Error code" value={errorCode} onChange={(event) => setErrorCode(event.target.value)} className="max-w-64">
            <option value="">Any error</option>
            {codes.map((f) => (
              <option key={f.code} value={f.code}>
                {f.code}: {f.title}
              </option>
            ))}
          </Select>
        ) : null}
      </div>
      {list.loading ? (
        <p role="status" className="flex items-center gap-2 px-5 py-4 text-sm text-slate-500">
          <Spinner /> Loading recipients…
        </p>
      ) : list.items.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-500">{campaign.started_at ? "No recipient in this state." : "Recipients are chosen when the campaign starts."}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-y border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                {["Contact", "Number", "State", "Error", "Sent", "Delivered", "Read"].map((h) => (
                  <th key={h} scope="col" className="px-5 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.id} data-testid="recipient-row" className="border-b border-slate-50 last:border-0">
                  <td className="px-5 py-2">{r.contact_id ? <Link href={`/contacts?contact=${r.contact_id}`}>{r.contact_name || "—"}</Link> : "—"}</td>
                  <td className="px-5 py-2 font-mono text-xs">{r.to}</td>
                  <td className="px-5 py-2">
                    {stageLabel(r.state)}
                    {r.variant !== null && campaign.variants.length > 1 ? <span className="ml-1 text-xs text-slate-500">({String.fromCharCode(65 + r.variant)})</span> : null}
                  </td>
                  <td className="px-5 py-2 text-xs text-red-700">{r.error_code ? `${r.error_code} ${r.error_title}` : r.skip_reason}</td>
                  <td className="px-5 py-2 text-xs text-slate-500">{formatWhen(r.sent_at)}</td>
                  <td className="px-5 py-2 text-xs text-slate-500">{formatWhen(r.delivered_at)}</td>
                  <td className="px-5 py-2 text-xs text-slate-500">{formatWhen(r.read_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.error ? <Alert className="m-3">{list.error}</Alert> : null}
      {list.hasMore ? (
        <div className="border-t border-slate-100 px-5 py-3">
          <Button variant="secondary" size="sm" loading={list.loadingMore} onClick={list.loadMore}>
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

/**
 * A draft's reach as it would start now: size, exclusions, estimate, the daily limit. A retarget's audience is
 * made from the earlier campaign when it starts, which the audience preview doesn't take.
 */
function DraftReach({ campaign }: { campaign: CampaignDetail }) {
  const variant = campaign.variants[0];
  const retarget = "retarget" in campaign.audience;
  const body = variant && !retarget ? { phone_number_id: campaign.phone_number.phone_number_id, template_id: variant.template.id, audience: campaign.audience, mapping: variant.mapping } : null;
  const preview = useQuery({
    queryKey: campaignKeys.audience(body),
    queryFn: ({ signal }) => previewAudience(body!, signal),
    enabled: body !== null,
  });
  return (
    <Card>
      <CardHeader title="Reach" description="If it started now." />
      <CardBody>
        {retarget ? (
          <p className="text-sm text-slate-600">The recipients are those at that stage of the earlier campaign when this one starts.</p>
        ) : (
          <AudienceSummary preview={preview.data} loading={preview.isFetching} error={preview.error ? toApiError(preview.error) : null} />
        )}
      </CardBody>
    </Card>
  );
}

/** One campaign: status and why, a live progress bar and funnel while it runs, failures explained, cost, recipients. */
export function CampaignDetailView({ id }: { id: number }) {
  const query = useQuery({
    queryKey: campaignKeys.detail(id),
    queryFn: () => getCampaign(id),
    refetchInterval: (q) => pollEvery(q.state.data),
  });
  const zone = useBusinessTimeZone();
  if (query.isPending) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
        <Spinner /> Loading the campaign…
      </p>
    );
  }
  if (query.isError) return <Alert>{toApiError(query.error).message}</Alert>;
  const campaign = query.data;
  const status = statusInfo(campaign.status);
  const live = isLive(campaign.status);
  return (
    <>
      <PageHeader
        title={campaign.name}
        description={
          <>
            <Badge tone={status.tone} className="mr-2">
              <span data-testid="campaign-status">{status.label}</span>
            </Badge>
            From {campaign.phone_number.display_phone_number} · {campaign.variants.map((v) => v.template.name).join(" vs ")}
            {campaign.retarget_of ? (
              <>
                {" "}
                · retargets{" "}
                <Link className="underline" href={`/campaigns/${campaign.retarget_of}`}>
                  an earlier campaign
                </Link>
              </>
            ) : null}
          </>
        }
        actions={<Actions campaign={campaign} />}
      />
      <div className="space-y-4">
        {campaign.status_reason ? <Alert tone={campaign.status === "failed" ? "error" : "info"}>{campaign.status_reason}</Alert> : null}
        {campaign.waiting ? (
          <p role="status" className="text-sm text-slate-600">
            {waitingText(campaign.waiting.reason)}
            {campaign.waiting.until ? ` (until ${formatWhen(campaign.waiting.until)})` : ""}.
          </p>
        ) : null}
        {campaign.status === "draft" ? (
          <>
            <CampaignSettings campaign={campaign} />
            <DraftReach campaign={campaign} />
          </>
        ) : (
          <>
            <Card>
              <CardHeader
                title="Progress"
                description={
                  campaign.status === "scheduled"
                    ? `Starts ${inZone(campaign.schedule_at, zone)}.`
                    : live
                      ? `Sending at ${campaign.rate.current.toFixed(0)} of ${campaign.rate.configured} messages a second.`
                      : campaign.completed_at
                        ? `Finished ${formatWhen(campaign.completed_at)}.`
                        : undefined
                }
              />
              <CardBody className="space-y-6">
                <ProgressBar progress={campaign.progress} live={live} />
                <Funnel counts={campaign.counts} />
                <p className="text-xs text-slate-500">
                  Left out: {count(campaign.excluded.opted_out)} opted out, {count(campaign.excluded.unreachable)} unreachable,{" "}
                  {count(campaign.excluded.duplicates)} duplicates.
                  {campaign.counts.skipped ? ` Not sent: ${count(campaign.counts.skipped)}.` : ""}
                </p>
              </CardBody>
            </Card>
            <Variants campaign={campaign} />
            <Failures campaign={campaign} />
            <Cost campaign={campaign} />
            <CampaignSettings campaign={campaign} />
            <Recipients campaign={campaign} />
          </>
        )}
      </div>
    </>
  );
}

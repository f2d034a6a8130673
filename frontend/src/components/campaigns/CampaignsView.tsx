"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { CampaignsIcon } from "@/components/icons";
import { Alert, Badge, Button, buttonClasses, Card, EmptyState, Select, Spinner } from "@/components/ui";
import { isLive, listCampaigns, type CampaignStatus, type CampaignSummary } from "@/lib/api/campaigns";
import { campaignKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { formatWhen } from "@/components/templates/format";
import { count, percent, STATUS_FILTERS, statusInfo } from "./format";
import { ProgressBar } from "./Funnel";

/** The campaigns page for the logged-in member (owners and admins run campaigns). */
export function CampaignsContent() {
  const { user } = useSession();
  if (!user.capabilities.run_campaigns) {
    return (
      <>
        <PageHeader title="Campaigns" />
        <EmptyState icon={<CampaignsIcon className="size-6" />} title="Campaigns are run by owners and admins" description="Ask an owner or admin of this business if you need a broadcast sent." />
      </>
    );
  }
  return <CampaignsView />;
}

const LIST_POLL_MS = 5000;

const COLUMNS = ["Campaign", "Status", "Progress", "Recipients", "Sent", "Delivered", "Read", "Failed", "Created"] as const;

function CampaignRow({ campaign }: { campaign: CampaignSummary }) {
  const status = statusInfo(campaign.status);
  const c = campaign.counts;
  return (
    <tr data-testid="campaign-row" aria-label={campaign.name} className="border-b border-slate-50 align-top last:border-0 hover:bg-slate-50">
      <td className="px-5 py-3">
        <Link href={`/campaigns/${campaign.id}`} className="font-medium text-brand-800 hover:underline">
          {campaign.name}
        </Link>
        <span className="block text-xs text-slate-500">From {campaign.phone_number.display_phone_number}</span>
      </td>
      <td className="px-3 py-3">
        <Badge tone={status.tone}>{status.label}</Badge>
        {campaign.status === "scheduled" && campaign.schedule_at ? <span className="mt-1 block text-xs text-slate-500">{formatWhen(campaign.schedule_at)}</span> : null}
        {campaign.status_reason && campaign.status !== "completed" ? (
          <span className="mt-1 block max-w-48 truncate text-xs text-slate-500" title={campaign.status_reason}>
            {campaign.status_reason}
          </span>
        ) : null}
      </td>
      <td className="w-48 px-3 py-3">{campaign.status === "draft" ? <span className="text-xs text-slate-500">Not started</span> : <ProgressBar progress={campaign.progress} live={campaign.status === "running"} />}</td>
      <td className="px-3 py-3 text-sm tabular-nums text-slate-700">{count(c.recipients)}</td>
      <td className="px-3 py-3 text-sm tabular-nums text-slate-700" data-testid="campaign-sent">
        {count(c.sent)} <span className="text-xs text-slate-500">{percent(c.sent, c.recipients)}</span>
      </td>
      <td className="px-3 py-3 text-sm tabular-nums text-slate-700">
        {count(c.delivered)} <span className="text-xs text-slate-500">{percent(c.delivered, c.recipients)}</span>
      </td>
      <td className="px-3 py-3 text-sm tabular-nums text-slate-700">
        {count(c.read)} <span className="text-xs text-slate-500">{percent(c.read, c.recipients)}</span>
      </td>
      <td className="px-3 py-3 text-sm tabular-nums text-slate-700">{count(c.failed)}</td>
      <td className="px-5 py-3 text-xs text-slate-500">{formatWhen(campaign.created_at)}</td>
    </tr>
  );
}

export function CampaignsView() {
  const [status, setStatus] = useState<CampaignStatus | "">("");
  const list = useCursorQuery<CampaignSummary>(campaignKeys.list(status), (next) => listCampaigns(status, next), { keepPrevious: true });
  // Running campaigns' progress moves: refresh the list now and then while one is on it (the campaign page polls faster).
  const anyLive = list.items.some((c) => isLive(c.status));
  const refetch = useRef(list.refetch);
  useEffect(() => {
    refetch.current = list.refetch;
  });
  useEffect(() => {
    if (!anyLive) return;
    const timer = setInterval(() => refetch.current(), LIST_POLL_MS);
    return () => clearInterval(timer);
  }, [anyLive]);
  const newButton = (
    <Link href="/campaigns/new" className={buttonClasses("primary")}>
      New campaign
    </Link>
  );
  return (
    <>
      <PageHeader title="Campaigns" description="Send an approved template to many contacts at once, and see what became of every message." actions={newButton} />
      <Card className="mb-4">
        <div className="flex px-5 py-3">
          <Select aria-label="Status" value={status} onChange={(event) => setStatus(event.target.value as CampaignStatus | "")} className="max-w-56">
            {STATUS_FILTERS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </Select>
        </div>
      </Card>
      {list.loading ? (
        <Card>
          <p role="status" className="flex items-center gap-2 px-5 py-6 text-sm text-slate-500">
            <Spinner /> Loading campaigns…
          </p>
        </Card>
      ) : !list.error && list.items.length === 0 ? (
        status ? (
          <EmptyState title="No campaigns match" description="No campaign is in this status." action={<Button variant="secondary" onClick={() => setStatus("")}>Show every campaign</Button>} />
        ) : (
          <EmptyState
            icon={<CampaignsIcon className="size-6" />}
            title="No campaigns yet"
            description="Pick an approved template and an audience (a segment, tags or an import), schedule it or send it now, and follow its delivery, reads and replies here."
            action={newButton}
          />
        )
      ) : (
        <Card aria-busy={list.updating || undefined} className={list.updating ? "opacity-60" : undefined}>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  {COLUMNS.map((h, i) => (
                    <th key={h} scope="col" className={i === 0 || i === COLUMNS.length - 1 ? "px-5 py-2 font-medium" : "px-3 py-2 font-medium"}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.items.map((campaign) => (
                  <CampaignRow key={campaign.id} campaign={campaign} />
                ))}
              </tbody>
            </table>
          </div>
          {list.error ? <Alert className="m-3">{list.error}</Alert> : null}
          {list.hasMore ? (
            <div className="border-t border-slate-100 px-5 py-3">
              <Button variant="secondary" size="sm" loading={list.loadingMore} onClick={list.loadMore}>
                Load more
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { formatWhen } from "@/components/templates/format";
import { Card, CardBody, CardHeader, Select } from "@/components/ui";
import { updateCampaign, type CampaignDetail } from "@/lib/api/campaigns";
import { listAllSegments, listImports } from "@/lib/api/contacts";
import { listApproved } from "@/lib/api/templates";
import { listAllNumbers } from "@/lib/api/whatsapp";
import { toApiError } from "@/lib/apiClient";
import { campaignKeys, contactKeys, templateKeys, whatsappKeys } from "@/lib/query/keys";
import { ActionError } from "./ActionError";
import { audienceText, clock, inZone } from "./format";
import { useBusinessTimeZone } from "./useBusinessTimeZone";

const METRICS: Record<string, string> = { read: "read rate", replied: "reply rate", delivered: "delivery rate" };

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-slate-500">{term}</dt>
      <dd className="text-slate-800">{children}</dd>
    </div>
  );
}

/** A draft's template can still change: the new one goes with its own saved mapping. */
function TemplatePicker({ campaign }: { campaign: CampaignDetail }) {
  const client = useQueryClient();
  const templates = useQuery({ queryKey: templateKeys.approved(), queryFn: listApproved });
  const numbers = useQuery({ queryKey: whatsappKeys.allNumbers(), queryFn: listAllNumbers });
  const waba = numbers.data?.find((n) => n.phone_number_id === campaign.phone_number.phone_number_id)?.waba_id;
  const current = campaign.variants[0]?.template;
  const choices = (templates.data ?? []).filter((t) => t.category !== "AUTHENTICATION" && (!waba || t.waba_id === waba));
  const change = useMutation({
    mutationFn: (templateId: number) => updateCampaign(campaign.id, { template_id: templateId, mapping: null }),
    onSuccess: (updated) => {
      client.setQueryData(campaignKeys.detail(campaign.id), updated);
      void client.invalidateQueries({ queryKey: campaignKeys.lists() });
    },
  });
  return (
    <div>
      <Select
        aria-label="Template"
        className="mt-1 max-w-sm"
        value={current ? String(current.id) : ""}
        disabled={change.isPending}
        onChange={(event) => change.mutate(Number(event.target.value))}
      >
        {current && !choices.some((t) => t.id === current.id) ? <option value={String(current.id)}>{current.name}</option> : null}
        {choices.map((t) => (
          <option key={t.id} value={String(t.id)}>
            {t.name} ({t.language}, {t.category.toLowerCase()})
          </option>
        ))}
      </Select>
      {change.error ? <ActionError error={toApiError(change.error)} /> : null}
    </div>
  );
}

/** What a campaign was set up to do: who, what, when, how fast. A draft's template can be changed here. */
export function CampaignSettings({ campaign }: { campaign: CampaignDetail }) {
  const zone = useBusinessTimeZone();
  const audience = campaign.audience;
  const segments = useQuery({ queryKey: contactKeys.segments(), queryFn: listAllSegments, enabled: typeof audience.segment_id === "number" });
  const imports = useQuery({ queryKey: contactKeys.imports(), queryFn: () => listImports(), enabled: typeof audience.import_id === "number" });
  const ab = campaign.ab_test as { test_percent?: number; metric?: string; decide_after_minutes?: number } | null;
  const draft = campaign.status === "draft";
  const singleTemplate = campaign.variants.length < 2;
  return (
    <Card>
      <CardHeader title="Settings" description={draft ? "Starting it picks the recipients from the audience as it is then." : undefined} />
      <CardBody>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2" aria-label="Campaign settings">
          <Row term="From">{campaign.phone_number.display_phone_number}</Row>
          <Row term={singleTemplate ? "Template" : "Templates"}>
            {draft && singleTemplate ? (
              <TemplatePicker campaign={campaign} />
            ) : (
              campaign.variants.map((v) => (
                <span key={v.index} className="block">
                  {singleTemplate ? "" : `${v.label}: `}
                  {v.template.name} ({v.template.language}, {v.template.category.toLowerCase()})
                </span>
              ))
            )}
          </Row>
          <Row term="Audience">{audienceText(audience, { segments: segments.data, imports: imports.data?.results })}</Row>
          <Row term="Start">
            {campaign.started_at
              ? `Started ${inZone(campaign.started_at, zone)}`
              : campaign.schedule_at
                ? inZone(campaign.schedule_at, zone)
                : "As soon as it is started"}
          </Row>
          <Row term="Pace">
            {campaign.throughput_cap
              ? `At most ${campaign.throughput_cap} messages a second`
              : `The number's speed: ${campaign.phone_number.throughput_mps} messages a second`}
          </Row>
          <Row term="Quiet hours">{campaign.quiet_hours ? `${clock(campaign.quiet_hours.start)} to ${clock(campaign.quiet_hours.end)}, each recipient's time` : "None"}</Row>
          <Row term="Send time">{campaign.send_at_local_time ? `${clock(campaign.send_at_local_time)} in each recipient's time zone` : "As it goes"}</Row>
          <Row term="Replies count within">{campaign.reply_window_hours} hours</Row>
          {ab && !singleTemplate ? (
            <Row term="A/B test">
              {ab.test_percent ?? 100}% of the audience, best {METRICS[ab.metric ?? "read"] ?? ab.metric} after {ab.decide_after_minutes ?? 240} minutes
              {campaign.decide_at ? ` (${inZone(campaign.decide_at, zone)})` : ""}
            </Row>
          ) : null}
          {campaign.split_across_days ? <Row term="Daily limit">Split across days</Row> : null}
          <Row term="Created">
            {formatWhen(campaign.created_at)}
            {campaign.created_by_email ? ` by ${campaign.created_by_email}` : ""}
          </Row>
        </dl>
      </CardBody>
    </Card>
  );
}

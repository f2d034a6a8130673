/** Campaigns as the API returns them, for component tests. */
import type { AudiencePreview, CampaignCounts, CampaignDetail } from "@/lib/api/campaigns";

export function counts(overrides: Partial<CampaignCounts> = {}): CampaignCounts {
  return { recipients: 0, excluded: 0, pending: 0, queued: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0, ...overrides };
}

const ESTIMATE = { currency: "USD", total: "27.5000", rate_card_date: "2026-04-01", lines: [{ country: "US", category: "MARKETING", count: 1000, rate: "0.0275", amount: "27.5000" }] };

export function campaign(overrides: Partial<CampaignDetail> = {}): CampaignDetail {
  return {
    id: 7,
    name: "Spring sale",
    status: "running",
    status_reason: "",
    phone_number: { id: 1, phone_number_id: "100000000000001", display_phone_number: "+1 555-010-0001", throughput_mps: 80, quality_rating: "GREEN" },
    counts: counts({ recipients: 1000, pending: 400, sent: 600, delivered: 500, read: 200, replied: 20, failed: 10 }),
    progress: 0.61,
    schedule_at: null,
    started_at: "2026-12-06T10:00:00Z",
    completed_at: null,
    created_at: "2026-12-06T09:55:00Z",
    audience: { tags: ["vip"] },
    waiting: null,
    throughput_cap: null,
    quiet_hours: null,
    send_at_local_time: null,
    reply_window_hours: 24,
    split_across_days: false,
    ab_test: null,
    winner_variant: null,
    decide_at: null,
    variants: [
      {
        index: 0,
        label: "A",
        template: { id: 3, name: "spring_sale", language: "en_US", category: "MARKETING", status: "APPROVED" },
        mapping: {},
        counts: counts({ recipients: 1000 }),
      },
    ],
    excluded: { opted_out: 12, unreachable: 3, duplicates: 1 },
    failures: [{ code: "131049", title: "Meta's per-person marketing limit", explanation: "Meta didn't deliver it.", action: "Retarget after 24 hours.", retryable: true, count: 10 }],
    cost: { estimate: ESTIMATE, actual: { ...ESTIMATE, total: "13.7500", lines: [] } },
    rate: { configured: 80, current: 79.5 },
    retarget_of: null,
    retarget_stage: "",
    created_by_email: "owner@demo.localhost",
    updated_at: "2026-12-06T10:01:00Z",
    ...overrides,
  };
}

export function audiencePreview(overrides: Partial<AudiencePreview> = {}): AudiencePreview {
  return {
    recipients: 9_897,
    excluded: { opted_out: 103, unreachable: 0, duplicates: 0 },
    estimate: { ...ESTIMATE, total: "272.1675", lines: [{ country: "US", category: "MARKETING", count: 9_897, rate: "0.0275", amount: "272.1675" }] },
    daily_limit: { tier: "TIER_2K", limit: 2000, used: 150, remaining: 1850 },
    sample: [],
    ...overrides,
  };
}

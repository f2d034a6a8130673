/** Templates as the API returns them, for component tests: defaults for every field, overridden per test. */
import type { DraftPreview, Rendered, Template, TemplateDetail, TemplatePreview } from "@/lib/api/templates";

export function template(overrides: Partial<Template> = {}): Template {
  return {
    id: 3,
    meta_template_id: "900000000000003",
    waba_id: "200000000000001",
    name: "order_shipped",
    language: "en_US",
    category: "UTILITY",
    previous_category: "",
    pending_category: "",
    sub_category: "",
    status: "APPROVED",
    quality_score: "GREEN",
    rejected_reason: "",
    reason_detail: "",
    parameter_format: "POSITIONAL",
    components: [{ type: "BODY", text: "Hi {{1}}, your order {{2}} has shipped.", example: { body_text: [["Ana", "A-1"]] } }],
    message_send_ttl_seconds: null,
    mapping: {},
    variables: { header: [], body: ["1", "2"], buttons: [], cards: [], limited_time_offer: [] },
    attention: "",
    attention_since: null,
    synced_at: null,
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    ...overrides,
  };
}

export function templateDetail(overrides: Partial<TemplateDetail> = {}): TemplateDetail {
  return { ...template(), events: [], ...overrides };
}

export function rendered(overrides: Partial<Rendered> = {}): Rendered {
  return { header: null, body: "", footer: null, buttons: [], cards: [], limited_time_offer: null, ...overrides };
}

export function draftPreview(overrides: Partial<Rendered> = {}, problems: DraftPreview["problems"] = []): DraftPreview {
  return { rendered: rendered(overrides), problems };
}

export function templatePreview(overrides: Partial<Rendered> = {}, payload: TemplatePreview["payload"] = null, problems: TemplatePreview["problems"] = []): TemplatePreview {
  return { rendered: rendered(overrides), problems, payload };
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { Overlay } from "@/components/contacts/Overlay";
import { Alert, Button, buttonClasses, Card, CardBody, CardHeader, Input, Segmented, Select, Spinner } from "@/components/ui";
import { useDebounced } from "@/hooks/useDebounced";
import { listContacts } from "@/lib/api/contacts";
import {
  acknowledgeTemplate,
  deleteTemplate,
  getTemplate,
  previewDraft,
  previewTemplate,
  type TemplateCategory,
  type TemplateCreate,
  type TemplateDetail,
} from "@/lib/api/templates";
import { toApiError } from "@/lib/apiClient";
import { templateKeys } from "@/lib/query/keys";
import { categoryLabel, editable, eventActor, eventKindLabel, eventValue, formatWhen, rejection } from "./format";
import { MappingEditor } from "./MappingEditor";
import { RenderedPreview } from "./RenderedPreview";
import { QualityBadge, StatusBadge } from "./TemplateBadges";
import { useTemplateEvents } from "./useTemplateEvents";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_minmax(0,1fr)] gap-3 py-1.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </div>
  );
}

/** The template with its examples, rendered by the server (the same renderer as sends). */
function DefinitionPreview({ template, businessName }: { template: TemplateDetail; businessName: string }) {
  const body: TemplateCreate = {
    name: template.name,
    language: template.language,
    category: (template.category || "UTILITY").toUpperCase() as TemplateCategory,
    parameter_format: (template.parameter_format || "POSITIONAL").toLowerCase() as "named" | "positional",
    components: template.components ?? [],
  };
  const preview = useQuery({ queryKey: templateKeys.preview(template.id, { definition: template.updated_at }), queryFn: () => previewDraft(body) });
  return (
    <div className="space-y-2">
      <h2 className="text-sm font-semibold text-slate-900">With its examples</h2>
      <RenderedPreview rendered={preview.data?.rendered} businessName={businessName} loading={preview.isFetching} empty={preview.error ? toApiError(preview.error).message : "Loading…"} />
    </div>
  );
}

/** The template filled in for one contact by its saved mapping. */
function ContactPreview({ template, businessName }: { template: TemplateDetail; businessName: string }) {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const [contactId, setContactId] = useState<number | null>(null);
  const contacts = useQuery({ queryKey: templateKeys.previewContacts(q), queryFn: () => listContacts({ q }, null, 10) });
  const preview = useQuery({
    queryKey: templateKeys.preview(template.id, { contact_id: contactId, mapping: template.mapping }),
    queryFn: () => previewTemplate(template.id, { contact_id: contactId! }),
    enabled: contactId !== null,
  });
  const options = contacts.data?.results ?? [];
  return (
    <Card>
      <CardHeader title="Preview for a contact" description="What a contact gets when the template is sent without typed parameters." />
      <CardBody className="space-y-3">
        <div className="grid gap-2 sm:grid-cols-2">
          <Input type="search" aria-label="Find a contact" placeholder="Find a contact" value={search} onChange={(event) => setSearch(event.target.value)} />
          <Select aria-label="Contact" value={contactId ?? ""} onChange={(event) => setContactId(event.target.value ? Number(event.target.value) : null)}>
            <option value="">Choose a contact…</option>
            {options.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name || c.phone || c.wa_id}
              </option>
            ))}
          </Select>
        </div>
        {contactId !== null ? (
          <>
            <RenderedPreview rendered={preview.data?.rendered} businessName={businessName} loading={preview.isFetching} />
            {preview.data?.problems.length ? (
              <ul className="list-disc pl-4 text-sm text-amber-800" data-testid="contact-preview-problems">
                {preview.data.problems.map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
            ) : null}
            {preview.error ? <Alert>{toApiError(preview.error).message}</Alert> : null}
          </>
        ) : null}
      </CardBody>
    </Card>
  );
}

function DeleteDialog({ template, onClose }: { template: TemplateDetail; onClose: () => void }) {
  const router = useRouter();
  const client = useQueryClient();
  const [scope, setScope] = useState<"one" | "all">("one");
  const remove = useMutation({
    mutationFn: () => deleteTemplate(template.id, scope === "all"),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: templateKeys.all() });
      router.push("/templates");
    },
  });
  return (
    <Overlay
      title={`Delete ${template.name}?`}
      description="Meta deletes it too. An approved template's name can't be used again for 30 days."
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
            Delete
          </Button>
        </>
      }
    >
      <Segmented
        label="What to delete"
        value={scope}
        onChange={setScope}
        options={[
          { value: "one", label: `This language (${template.language})` },
          { value: "all", label: "All languages" },
        ]}
      />
      {remove.error ? <Alert className="mt-3">{toApiError(remove.error).message}</Alert> : null}
    </Overlay>
  );
}

/** /templates/{id}: the definition, status, quality, category, history; edit, delete and the mapping for managers. */
export function TemplateDetailView({ id }: { id: number }) {
  const { user } = useSession();
  const client = useQueryClient();
  const canManage = user.capabilities.manage_templates;
  const detail = useQuery({ queryKey: templateKeys.detail(id), queryFn: () => getTemplate(id) });
  useTemplateEvents();
  const [deleting, setDeleting] = useState(false);
  const acknowledge = useMutation({
    mutationFn: () => acknowledgeTemplate(id),
    onSuccess: () => void client.invalidateQueries({ queryKey: templateKeys.all() }),
  });

  if (detail.isPending) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
        <Spinner /> Loading the template…
      </p>
    );
  }
  if (detail.error) {
    return (
      <>
        <PageHeader title="Template" />
        <Alert>{toApiError(detail.error).message}</Alert>
        <Link href="/templates" className={buttonClasses("secondary", "sm", "mt-4")}>
          Back to templates
        </Link>
      </>
    );
  }

  const t = detail.data;
  const why = rejection(t);
  const businessName = user.tenant.name;

  return (
    <>
      <PageHeader
        title={t.name}
        description={
          <>
            <Link href="/templates" className="text-brand-700 hover:underline">
              Templates
            </Link>{" "}
            · {t.language}
          </>
        }
        actions={
          canManage ? (
            <div className="flex gap-2">
              {editable(t.status) ? (
                <Link href={`/templates/${t.id}/edit`} className={buttonClasses("secondary")}>
                  Edit
                </Link>
              ) : null}
              <Button variant="danger" onClick={() => setDeleting(true)}>
                Delete…
              </Button>
            </div>
          ) : null
        }
      />

      {t.attention ? (
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-amber-300 bg-amber-50 px-5 py-3 text-sm text-amber-900">
          <span>
            <strong>Needs attention:</strong> {t.attention}
            {t.attention_since ? ` (${formatWhen(t.attention_since)})` : ""}
          </span>
          {canManage ? (
            <Button size="sm" variant="secondary" loading={acknowledge.isPending} onClick={() => acknowledge.mutate()}>
              Acknowledge
            </Button>
          ) : null}
        </div>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <Card>
            <CardHeader title="Status" />
            <CardBody>
              <dl>
                <Row label="Status">
                  <StatusBadge status={t.status} />
                  {why ? <span className="mt-1 block text-red-700">{why}</span> : null}
                </Row>
                <Row label="Quality">
                  <QualityBadge score={t.quality_score} />
                </Row>
                <Row label="Category">
                  {categoryLabel(t.category)}
                  {t.sub_category ? ` · ${t.sub_category.toLowerCase()}` : ""}
                  {t.pending_category ? <span className="block text-amber-700">Meta will change it to {categoryLabel(t.pending_category)}</span> : null}
                  {t.previous_category ? <span className="block text-slate-500">Was {categoryLabel(t.previous_category)}</span> : null}
                </Row>
                <Row label="Variables">{(t.parameter_format || "POSITIONAL").toUpperCase() === "NAMED" ? "Named" : "Numbered"}</Row>
                <Row label="Meta id">
                  <span className="font-mono text-xs">{t.meta_template_id}</span>
                </Row>
                <Row label="WhatsApp account">
                  <span className="font-mono text-xs">{t.waba_id}</span>
                </Row>
                {t.synced_at ? <Row label="Last synced">{formatWhen(t.synced_at)}</Row> : null}
              </dl>
            </CardBody>
          </Card>

          <MappingEditor key={t.id} template={t} canManage={canManage} />
          <ContactPreview template={t} businessName={businessName} />

          <Card>
            <CardHeader title="History" description="Every change, and who or what made it." />
            {t.events.length === 0 ? (
              <CardBody className="text-sm text-slate-500">Nothing yet.</CardBody>
            ) : (
              <ol data-testid="template-history" className="divide-y divide-slate-50">
                {t.events.map((event) => (
                  <li key={event.id} className="flex flex-wrap items-baseline justify-between gap-2 px-5 py-2 text-sm">
                    <span>
                      <span className="font-medium text-slate-900">{eventKindLabel(event.kind)}</span>
                      {event.value ? <span className="text-slate-700"> · {eventValue(event)}</span> : null}
                      <span className="block text-xs text-slate-500">{eventActor(event)}</span>
                    </span>
                    <time dateTime={event.created_at} className="text-xs text-slate-500">
                      {formatWhen(event.created_at)}
                    </time>
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </div>
        <div className="min-w-0 lg:sticky lg:top-6 lg:self-start">
          <DefinitionPreview template={t} businessName={businessName} />
        </div>
      </div>
      {deleting ? <DeleteDialog template={t} onClose={() => setDeleting(false)} /> : null}
    </>
  );
}

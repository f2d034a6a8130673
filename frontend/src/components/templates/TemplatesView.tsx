"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { TemplatesIcon } from "@/components/icons";
import { Alert, Button, buttonClasses, Card, cx, EmptyState, Input, Select, Spinner } from "@/components/ui";
import { useDebounced } from "@/hooks/useDebounced";
import { acknowledgeTemplate, listTemplates, type Template, type TemplateQuery } from "@/lib/api/templates";
import { toApiError } from "@/lib/apiClient";
import { templateKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { CATEGORIES, formatWhen, rejection, STATUS_FILTERS } from "./format";
import { SyncButton } from "./SyncButton";
import { CategoryText, QualityBadge, StatusBadge } from "./TemplateBadges";
import { useTemplateEvents } from "./useTemplateEvents";

export interface TemplateFilters {
  status: string;
  category: string;
  language: string;
  search: string;
}

export const NO_FILTERS: TemplateFilters = { status: "", category: "", language: "", search: "" };

/** The templates page for the logged-in member. */
export function TemplatesContent() {
  const { user } = useSession();
  return <TemplatesView canManage={user.capabilities.manage_templates} />;
}

/** Templates needing attention (rejected, paused, quality dropped, category changed), each with "Acknowledge". */
function AttentionList({ canManage }: { canManage: boolean }) {
  const client = useQueryClient();
  const attention = useQuery({ queryKey: templateKeys.attention(), queryFn: () => listTemplates({ attention: true }, null, 20) });
  const acknowledge = useMutation({
    mutationFn: (id: number) => acknowledgeTemplate(id),
    onSuccess: () => void client.invalidateQueries({ queryKey: templateKeys.all() }),
  });
  const items = attention.data?.results ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="attention-title" className="mb-4 rounded-xl border border-amber-300 bg-amber-50 px-5 py-4">
      <h2 id="attention-title" className="text-sm font-semibold text-amber-900">
        Needs attention
      </h2>
      <ul className="mt-2 space-y-2" aria-label="Templates needing attention">
        {items.map((t) => (
          <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 text-sm text-amber-900">
            <span>
              <Link href={`/templates/${t.id}`} className="font-medium underline">
                {t.name}
              </Link>{" "}
              · {t.language} — {t.attention || "Changed"}
              {t.attention_since ? <span className="text-amber-700"> ({formatWhen(t.attention_since)})</span> : null}
            </span>
            {canManage ? (
              <Button
                size="sm"
                variant="secondary"
                loading={acknowledge.isPending && acknowledge.variables === t.id}
                onClick={() => acknowledge.mutate(t.id)}
                aria-label={`Acknowledge ${t.name} (${t.language})`}
              >
                Acknowledge
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {acknowledge.error ? <Alert className="mt-2">{toApiError(acknowledge.error).message}</Alert> : null}
    </section>
  );
}

function FiltersBar({ filters, onChange }: { filters: TemplateFilters; onChange: (filters: TemplateFilters) => void }) {
  const set = (patch: Partial<TemplateFilters>) => onChange({ ...filters, ...patch });
  return (
    <Card className="mb-4">
      <div className="grid gap-3 px-5 py-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_11rem_11rem_10rem]">
        <Input
          type="search"
          aria-label="Search templates"
          placeholder="Search by name"
          value={filters.search}
          onChange={(event) => set({ search: event.target.value })}
        />
        <Select aria-label="Status" value={filters.status} onChange={(event) => set({ status: event.target.value })}>
          {STATUS_FILTERS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </Select>
        <Select aria-label="Category" value={filters.category} onChange={(event) => set({ category: event.target.value })}>
          <option value="">All categories</option>
          {CATEGORIES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </Select>
        <Input
          aria-label="Language"
          placeholder="Language, e.g. en_US"
          value={filters.language}
          onChange={(event) => set({ language: event.target.value })}
        />
      </div>
    </Card>
  );
}

function TemplatesTable({ templates }: { templates: Template[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Category
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Language
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Quality
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              Updated
            </th>
          </tr>
        </thead>
        <tbody>
          {templates.map((t) => {
            const why = rejection(t);
            return (
              <tr
                key={t.id}
                data-testid="template-row"
                aria-label={`${t.name} (${t.language})`}
                className={cx("border-b border-slate-50 align-top last:border-0", t.attention ? "bg-amber-50" : "hover:bg-slate-50")}
              >
                <td className="px-5 py-3">
                  <Link href={`/templates/${t.id}`} className="font-medium text-brand-800 hover:underline">
                    {t.name}
                  </Link>
                  {t.attention ? <span className="block text-xs text-amber-800">{t.attention}</span> : null}
                </td>
                <td className="px-3 py-3">
                  <StatusBadge status={t.status} />
                  {why ? <span className="mt-1 block max-w-56 text-xs text-red-700">{why}</span> : null}
                </td>
                <td className="px-3 py-3">
                  <CategoryText template={t} />
                </td>
                <td className="px-3 py-3 font-mono text-xs">{t.language}</td>
                <td className="px-3 py-3">
                  <QualityBadge score={t.quality_score} />
                </td>
                <td className="px-5 py-3 text-xs text-slate-500">{formatWhen(t.updated_at)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The list: attention first, then filters, search and the templates, page by page; live on template events. */
export function TemplatesView({ canManage }: { canManage: boolean }) {
  const [filters, setFilters] = useState<TemplateFilters>(NO_FILTERS);
  const search = useDebounced(filters.search.trim(), 300);
  const language = useDebounced(filters.language.trim(), 300);
  const query = useMemo<TemplateQuery>(
    () => ({ status: filters.status, category: filters.category, language, q: search }),
    [filters.status, filters.category, language, search],
  );
  const unfiltered = !query.status && !query.category && !query.language && !query.q;
  const list = useCursorQuery<Template>(templateKeys.list(query), (next) => listTemplates(query, next), { keepPrevious: true });
  const live = useTemplateEvents();

  return (
    <>
      <PageHeader
        title="Templates"
        description={
          <>
            Pre-approved WhatsApp message templates: the only messages that may start a conversation.{" "}
            <span role="status" aria-label="Live updates" data-testid="live-state" className="text-xs text-slate-500">
              ({live.label})
            </span>
          </>
        }
        actions={
          <div className="flex items-start gap-3">
            <SyncButton canSync={canManage} />
            {canManage ? (
              <Link href="/templates/new" className={buttonClasses("primary")}>
                New template
              </Link>
            ) : null}
          </div>
        }
      />

      <AttentionList canManage={canManage} />
      <FiltersBar filters={filters} onChange={setFilters} />

      {list.loading ? (
        <Card>
          <p role="status" className="flex items-center gap-2 px-5 py-6 text-sm text-slate-500">
            <Spinner /> Loading templates…
          </p>
        </Card>
      ) : !list.error && list.items.length === 0 ? (
        unfiltered ? (
          <EmptyState
            icon={<TemplatesIcon className="size-6" />}
            title="No templates yet"
            description={
              canManage
                ? "WhatsApp only lets a business start a conversation with an approved template. Write one and submit it to Meta, or sync the templates you made in Meta's tools."
                : "WhatsApp only lets a business start a conversation with an approved template. Owners and admins write them here."
            }
            action={
              canManage ? (
                <Link href="/templates/new" className={buttonClasses("primary")}>
                  Write a template
                </Link>
              ) : undefined
            }
          />
        ) : (
          <EmptyState
            title="No templates match"
            description="No template matches this search and these filters."
            action={
              <Button variant="secondary" onClick={() => setFilters(NO_FILTERS)}>
                Clear search and filters
              </Button>
            }
          />
        )
      ) : (
        <Card aria-busy={list.updating || undefined} className={list.updating ? "opacity-60" : undefined}>
          <TemplatesTable templates={list.items} />
          {list.error ? <Alert className="m-3">{list.error}</Alert> : null}
          {list.hasMore ? (
            <div className="border-t border-slate-100 px-5 py-3 text-center">
              <Button variant="secondary" size="sm" loading={list.loadingMore} onClick={() => list.loadMore()}>
                Load more
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}

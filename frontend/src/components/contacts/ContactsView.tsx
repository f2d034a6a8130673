"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { deleteSegment, getContact, getContactSettings, listAllAttributes, listAllSegments, type ContactQuery, type FilterDocument } from "@/lib/api/contacts";
import type { Contact, ContactBulkResult, Segment } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { replaceListItem } from "@/lib/query/cache";
import { contactKeys } from "@/lib/query/keys";
import { PageHeader } from "@/components/app/PageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { Alert, Badge, Button, buttonClasses, Card, CardBody, Input } from "@/components/ui";
import { AddContactDialog } from "./AddContactDialog";
import { ContactsResults } from "./ContactsResults";
import { ContactDrawer } from "./drawer/ContactDrawer";
import { FilterBuilder } from "./filters/FilterBuilder";
import { buildFilter, EMPTY_FILTER, parseFilter, type FilterState } from "./filters/model";
import { contactLabel, formatCount, plural } from "./format";
import { SaveSegmentDialog } from "./SaveSegmentDialog";
import { SegmentPicker } from "./SegmentPicker";
import { useDebounced } from "@/hooks/useDebounced";

/** What a bulk action did, in words: "Added vip to 1,200 contacts (34 already had it)." */
export function bulkMessage(result: ContactBulkResult, tags: string[]): string {
  const list = tags.join(", ");
  const it = tags.length > 1 ? "them" : "it";
  if (result.action === "delete") return `Deleted ${plural(result.affected, "contact")}.`;
  const others = result.matched - result.affected;
  const selected = result.matched === 1 ? "The selected contact" : `All ${formatCount(result.matched)} selected contacts`;
  if (result.action === "tag") {
    if (result.affected === 0) return `${selected} already had ${list}.`;
    return `Added ${list} to ${plural(result.affected, "contact")}${others > 0 ? ` (${formatCount(others)} already had ${it})` : ""}.`;
  }
  if (result.affected === 0) {
    return result.matched === 1 ? `The selected contact didn't have ${list}.` : `None of the ${formatCount(result.matched)} selected contacts had ${list}.`;
  }
  return `Removed ${list} from ${plural(result.affected, "contact")}${others > 0 ? ` (${formatCount(others)} didn't have ${it})` : ""}.`;
}

/** The contact a link from the inbox names (/contacts?contact=<id>), if any. */
function linkedContactId(): number | null {
  const id = typeof window === "undefined" ? 0 : Number(new URLSearchParams(window.location.search).get("contact"));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** The contacts page for the logged-in member. */
export function ContactsContent() {
  const { user } = useSession();
  return <ContactsView canManage={user.capabilities.manage_contacts} />;
}

/** Search, segments and filters on top; the matching contacts below; the drawer for one contact. */
export function ContactsView({ canManage: manager }: { canManage: boolean }) {
  const client = useQueryClient();
  const attributes = useQuery({ queryKey: contactKeys.attributes(), queryFn: listAllAttributes });
  const segmentList = useQuery({ queryKey: contactKeys.segments(), queryFn: listAllSegments });
  const settings = useQuery({ queryKey: contactKeys.settings(), queryFn: getContactSettings });
  const definitions = useMemo(() => attributes.data ?? [], [attributes.data]);
  const segments = segmentList.data ?? [];
  // The default region for phone hints: null while loading, "" when it couldn't be read.
  const region = settings.data ? settings.data.default_region : settings.isError ? "" : null;

  const [search, setSearch] = useState("");
  const [segmentId, setSegmentId] = useState<number | null>(null);
  const [filterState, setFilterState] = useState<FilterState>(EMPTY_FILTER);
  const [showFilters, setShowFilters] = useState(false);
  const [open, setOpen] = useState<Contact | null>(null);
  const [adding, setAdding] = useState(false);
  const [savingSegment, setSavingSegment] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  // /contacts?contact=<id> (a link from the inbox) opens that contact's drawer.
  const [linkedId, setLinkedId] = useState(linkedContactId);
  const linkedContact = useQuery({ queryKey: contactKeys.detail(linkedId ?? 0), queryFn: () => getContact(linkedId!), enabled: linkedId !== null });
  if (linkedId !== null && linkedContact.data) {
    setLinkedId(null);
    setOpen(linkedContact.data);
  }
  const setupError = [attributes.error, segmentList.error, linkedContact.error].find(Boolean);

  const built = useMemo(() => buildFilter(filterState, definitions), [filterState, definitions]);
  const q = useDebounced(search.trim(), 300);
  const filterJson = useDebounced(JSON.stringify(built.filter), 400);
  const query = useMemo<ContactQuery>(() => ({ q, segment: segmentId, filter: JSON.parse(filterJson) as FilterDocument }), [q, segmentId, filterJson]);
  const unfiltered = !q && segmentId === null && filterJson === "{}";
  const problems = Object.keys(built.problems).length;

  /** Something changed many contacts (a bulk action, a merge, a delete): every list and count loads again. */
  const reload = (message?: string) => {
    void client.invalidateQueries({ queryKey: contactKeys.lists() });
    void client.invalidateQueries({ queryKey: contactKeys.counts() });
    if (message) setNotice(message);
  };

  const clearQuery = () => {
    setSearch("");
    setSegmentId(null);
    setFilterState(EMPTY_FILTER);
  };

  return (
    <>
      <PageHeader
        title="Contacts"
        description="The people your business talks to on WhatsApp."
        actions={
          <div className="flex flex-wrap gap-2">
            {manager ? (
              <Link href="/contacts/import" className={buttonClasses("secondary")}>
                Import CSV
              </Link>
            ) : null}
            <Button onClick={() => setAdding(true)}>Add contact</Button>
          </div>
        }
      />

      {setupError ? <Alert className="mb-4">{toApiError(setupError).message}</Alert> : null}

      <Card className="mb-4">
        <CardBody className="space-y-3">
          <div className="flex flex-wrap items-center gap-3">
            <Input
              type="search"
              aria-label="Search contacts"
              placeholder="Search by name, phone or email"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              className="min-w-56 flex-1"
            />
            <Button variant={showFilters ? "primary" : "secondary"} aria-expanded={showFilters} onClick={() => setShowFilters((s) => !s)}>
              Filters
              {filterState.conditions.length ? <Badge tone={showFilters ? "neutral" : "brand"}>{filterState.conditions.length}</Badge> : null}
            </Button>
          </div>
          <SegmentPicker
            segments={segments}
            value={segmentId}
            onChange={setSegmentId}
            canEdit={(segment) => parseFilter(segment.filter) !== null}
            onEditAsFilter={(segment) => {
              const parsed = parseFilter(segment.filter);
              if (!parsed) return;
              setFilterState(parsed);
              setSegmentId(null);
              setShowFilters(true);
            }}
            onDelete={
              manager
                ? async (segment) => {
                    await deleteSegment(segment.id);
                    client.setQueryData<Segment[]>(contactKeys.segments(), (list = []) => list.filter((s) => s.id !== segment.id));
                    setSegmentId(null);
                  }
                : undefined
            }
          />
          {showFilters ? (
            <div className="space-y-3 border-t border-slate-100 pt-3">
              {segmentId !== null && filterState.conditions.length ? (
                <p className="text-sm text-slate-500">Only contacts in the segment that also meet these conditions are shown.</p>
              ) : null}
              <FilterBuilder state={filterState} onChange={setFilterState} definitions={definitions} problems={built.problems} canDefineAttributes={manager} />
              {filterState.conditions.length ? (
                <div className="flex flex-wrap items-center gap-2">
                  {manager ? (
                    <Button size="sm" variant="secondary" disabled={filterJson === "{}" || problems > 0} onClick={() => setSavingSegment(true)}>
                      Save as segment
                    </Button>
                  ) : null}
                  <Button size="sm" variant="ghost" onClick={() => setFilterState(EMPTY_FILTER)}>
                    Clear filters
                  </Button>
                </div>
              ) : null}
            </div>
          ) : null}
        </CardBody>
      </Card>

      {notice ? (
        <Alert tone="success" className="mb-4 flex items-center justify-between gap-3">
          <span>{notice}</span>
          <button type="button" className="text-sm font-medium underline" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </Alert>
      ) : null}

      <ContactsResults
        query={query}
        unfiltered={unfiltered}
        manager={manager}
        onOpen={setOpen}
        onAdd={() => setAdding(true)}
        onClearQuery={clearQuery}
        onBulkDone={(result, tags) => reload(bulkMessage(result, tags))}
      />

      {open ? (
        <ContactDrawer
          key={open.id}
          contact={open}
          canManage={manager}
          definitions={definitions}
          region={region}
          onClose={() => setOpen(null)}
          onUpdated={(contact) => replaceListItem(client, contactKeys.lists(), contact)}
          onMerged={(survivor) => reload(`Merged into ${contactLabel(survivor)}.`)}
          onRemoved={(message) => {
            setOpen(null);
            reload(message);
          }}
        />
      ) : null}

      {adding ? (
        <AddContactDialog
          region={region}
          manager={manager}
          onClose={() => setAdding(false)}
          onCreated={(contact) => {
            setAdding(false);
            reload(`${contactLabel(contact)} was added.`);
            setOpen(contact);
          }}
        />
      ) : null}

      {savingSegment ? (
        <SaveSegmentDialog
          filter={built.filter}
          onClose={() => setSavingSegment(false)}
          onSaved={(segment) => {
            setSavingSegment(false);
            client.setQueryData<Segment[]>(contactKeys.segments(), (list = []) => [...list, segment]);
            setSegmentId(segment.id);
            setFilterState(EMPTY_FILTER);
            setShowFilters(false);
            setNotice(`Segment “${segment.name}” saved.`);
          }}
        />
      ) : null}
    </>
  );
}

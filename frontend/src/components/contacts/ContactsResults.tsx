"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { bulkContacts, contactsExportUrl, countContacts, listContacts, type ContactQuery } from "@/lib/api/contacts";
import type { Contact, ContactBulkAction, ContactBulkResult } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { contactKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { ContactsIcon } from "@/components/icons";
import { Alert, Button, buttonClasses, Card, EmptyState, Spinner } from "@/components/ui";
import { BulkBar } from "./BulkBar";
import { ContactsTable } from "./ContactsTable";
import { downloadUrl } from "./download";
import { formatCount, plural } from "./format";
import { bulkRequest, NO_SELECTION, selectedCount, toggleRow, type Selection } from "./selection";

export interface ContactsResultsProps {
  /** A new query starts the list, count and selection over (the previous rows stay, dimmed, while it loads). */
  query: ContactQuery;
  /** No search, segment or filter: an empty answer means the business has no contacts yet. */
  unfiltered: boolean;
  manager: boolean;
  onOpen: (contact: Contact) => void;
  onBulkDone: (result: ContactBulkResult, tags: string[]) => void;
  onAdd: () => void;
  onClearQuery: () => void;
}

/** The contacts matching one query: count, table, "Load more", selection and bulk actions, export. */
export function ContactsResults({ query, unfiltered, manager, onOpen, onBulkDone, onAdd, onClearQuery }: ContactsResultsProps) {
  // The previous query's rows stay on screen, dimmed, while this one loads (no flash while typing).
  const list = useCursorQuery<Contact>(contactKeys.list(query), (next) => listContacts(query, next), { keepPrevious: true });
  const counted = useQuery({ queryKey: contactKeys.count(query), queryFn: () => countContacts(query) });
  const count = counted.data ?? null;
  // The selection belongs to the query it was made in: another query starts with none.
  const queryId = JSON.stringify(query);
  const [picked, setPicked] = useState<{ queryId: string; rows: Selection }>({ queryId, rows: NO_SELECTION });
  const selection = picked.queryId === queryId ? picked.rows : NO_SELECTION;
  const setSelection = (update: Selection | ((current: Selection) => Selection)) =>
    setPicked((p) => {
      const current = p.queryId === queryId ? p.rows : NO_SELECTION;
      return { queryId, rows: typeof update === "function" ? update(current) : update };
    });
  const [exportError, setExportError] = useState<string | null>(null);

  const contacts = list.items;
  const loadedIds = contacts.map((c) => c.id);
  const selected = selectedCount(selection, count);
  const everyLoadedSelected = selection.mode === "ids" && contacts.length > 0 && contacts.every((c) => selection.ids.has(c.id));

  const onTogglePage = () =>
    setSelection((current) =>
      current.mode === "all" || (current.mode === "ids" && contacts.length > 0 && contacts.every((c) => current.ids.has(c.id)))
        ? NO_SELECTION
        : { mode: "ids", ids: new Set(loadedIds) },
    );

  const onRun = async (action: ContactBulkAction, tags: string[]) => {
    const result = await bulkContacts(bulkRequest(action, tags, selection, query));
    onBulkDone(result, tags);
    return result;
  };

  if (list.updating && list.items.length) {
    return (
      <Card aria-busy="true" className="opacity-60 transition-opacity">
        <p role="status" className="flex items-center gap-2 border-b border-slate-100 px-5 py-3 text-sm text-slate-500">
          <Spinner /> Updating…
        </p>
        <ContactsTable contacts={list.items} selection={NO_SELECTION} onToggle={() => undefined} onTogglePage={() => undefined} onOpen={onOpen} />
      </Card>
    );
  }

  if (list.loading || list.updating) {
    return (
      <Card>
        <p role="status" className="flex items-center gap-2 px-5 py-6 text-sm text-slate-500">
          <Spinner /> Loading contacts…
        </p>
      </Card>
    );
  }

  if (!list.error && contacts.length === 0) {
    return unfiltered ? (
      <EmptyState
        icon={<ContactsIcon className="size-6" />}
        title="No contacts yet"
        description={
          manager
            ? "Import your customers from a spreadsheet (CSV), or add someone by hand. Their consent to marketing messages is kept with them."
            : "Add someone by hand. Owners and admins can also import a spreadsheet of contacts."
        }
        action={
          <div className="flex flex-wrap justify-center gap-3">
            {manager ? (
              <Link href="/contacts/import" className={buttonClasses("primary")}>
                Import a CSV
              </Link>
            ) : null}
            <Button variant={manager ? "secondary" : "primary"} onClick={onAdd}>
              Add a contact
            </Button>
          </div>
        }
      />
    ) : (
      <EmptyState
        title="No contacts match"
        description="Nobody matches this search, segment and these filters."
        action={
          <Button variant="secondary" onClick={onClearQuery}>
            Clear search and filters
          </Button>
        }
      />
    );
  }

  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-3 text-sm">
        <p className="text-slate-700" aria-live="polite">
          {count === null ? (counted.isError ? "Couldn't count the contacts." : "Counting…") : <strong>{plural(count, "contact")}</strong>}
        </p>
        {manager ? (
          <a
            href={contactsExportUrl(query)}
            onClick={(event) => {
              event.preventDefault();
              setExportError(null);
              downloadUrl(contactsExportUrl(query)).catch((err: unknown) => setExportError(toApiError(err).message));
            }}
            className={buttonClasses("secondary", "sm")}
          >
            Export CSV
          </a>
        ) : null}
      </div>
      {exportError ? <Alert className="m-3">{exportError}</Alert> : null}

      {selected > 0 ? (
        <BulkBar count={selected} canDelete={manager} onRun={onRun} onClear={() => setSelection(NO_SELECTION)} />
      ) : null}
      {everyLoadedSelected && count !== null && count > contacts.length ? (
        <p className="border-b border-slate-100 bg-slate-50 px-5 py-2 text-center text-sm text-slate-700">
          All {formatCount(contacts.length)} loaded contacts are selected.{" "}
          <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setSelection({ mode: "all" })}>
            Select all {formatCount(count)} matching contacts
          </button>
        </p>
      ) : null}
      {selection.mode === "all" && count !== null ? (
        <p className="border-b border-slate-100 bg-slate-50 px-5 py-2 text-center text-sm text-slate-700">
          All {formatCount(count)} matching contacts are selected, including those not loaded.{" "}
          <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setSelection(NO_SELECTION)}>
            Clear selection
          </button>
        </p>
      ) : null}

      <ContactsTable
        contacts={contacts}
        selection={selection}
        onToggle={(contact) => setSelection((current) => toggleRow(current, contact.id, loadedIds))}
        onTogglePage={onTogglePage}
        onOpen={onOpen}
      />
      {list.error ? <Alert className="m-3">{list.error}</Alert> : null}
      {list.hasMore ? (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button variant="secondary" size="sm" loading={list.loadingMore} onClick={() => void list.loadMore()}>
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

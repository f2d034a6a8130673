"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";

import { bulkContacts, contactsExportUrl, countContacts, listContacts, type ContactQuery } from "@/lib/api/contacts";
import type { Contact, ContactBulkAction, ContactBulkResult } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { useCursorList } from "@/hooks/useCursorList";
import { ContactsIcon } from "@/components/icons";
import { Alert, Button, buttonClasses, Card, EmptyState, Spinner } from "@/components/ui";
import { BulkBar } from "./BulkBar";
import { ContactsTable } from "./ContactsTable";
import { downloadUrl } from "./download";
import { formatCount, plural } from "./format";
import { bulkRequest, NO_SELECTION, selectedCount, toggleRow, type Selection } from "./selection";

export interface ContactsResultsProps {
  /** Mount a new instance (key) when the query changes: list, count and selection start over. */
  query: ContactQuery;
  /** No search, segment or filter: an empty answer means the business has no contacts yet. */
  unfiltered: boolean;
  manager: boolean;
  /** Contacts changed in the drawer since the list loaded. */
  edits: Record<number, Contact>;
  onOpen: (contact: Contact) => void;
  onBulkDone: (result: ContactBulkResult, tags: string[]) => void;
  onAdd: () => void;
  onClearQuery: () => void;
  /** The rows the previous query showed: kept on screen, dimmed, while this one loads (no flash while typing). */
  staleItems?: Contact[];
  /** Hands the loaded rows up, to be the next instance's `staleItems`. */
  onLoaded?: (items: Contact[]) => void;
}

/** The contacts matching one query: count, table, "Load more", selection and bulk actions, export. */
export function ContactsResults({ query, unfiltered, manager, edits, onOpen, onBulkDone, onAdd, onClearQuery, staleItems, onLoaded }: ContactsResultsProps) {
  const list = useCursorList<Contact>(useCallback((next) => listContacts(query, next), [query]));
  const [count, setCount] = useState<number | null>(null);
  const [countError, setCountError] = useState<string | null>(null);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [exportError, setExportError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    countContacts(query)
      .then((n) => !cancelled && setCount(n))
      .catch((err: unknown) => !cancelled && setCountError(toApiError(err).message));
    return () => {
      cancelled = true;
    };
  }, [query]);

  useEffect(() => {
    if (!list.loading) onLoaded?.(list.items);
  }, [list.items, list.loading, onLoaded]);

  const contacts = list.items.map((c) => edits[c.id] ?? c);
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

  if (list.loading && staleItems?.length) {
    return (
      <Card aria-busy="true" className="opacity-60 transition-opacity">
        <p role="status" className="flex items-center gap-2 border-b border-slate-100 px-5 py-3 text-sm text-slate-500">
          <Spinner /> Updating…
        </p>
        <ContactsTable contacts={staleItems} selection={NO_SELECTION} onToggle={() => undefined} onTogglePage={() => undefined} onOpen={onOpen} />
      </Card>
    );
  }

  if (list.loading) {
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
          {count === null ? (countError ? "Couldn't count the contacts." : "Counting…") : <strong>{plural(count, "contact")}</strong>}
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

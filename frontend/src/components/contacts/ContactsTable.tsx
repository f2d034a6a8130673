"use client";

import type { Contact } from "@/lib/api/types";
import { Badge } from "@/components/ui";
import { CONSENT_LABELS, CONSENT_TONES, contactLabel, formatDateTime, formatRelative } from "./format";
import { isSelected, type Selection } from "./selection";

export interface ContactsTableProps {
  contacts: Contact[];
  selection: Selection;
  onToggle: (contact: Contact) => void;
  /** Ticks or unticks every loaded row. */
  onTogglePage: () => void;
  onOpen: (contact: Contact) => void;
}

const MAX_TAGS = 3;

export function ConsentBadge({ state }: { state: Contact["consent"]["marketing"] }) {
  return <Badge tone={CONSENT_TONES[state]}>{CONSENT_LABELS[state]}</Badge>;
}

export function ContactsTable({ contacts, selection, onToggle, onTogglePage, onOpen }: ContactsTableProps) {
  const allOnPage = contacts.length > 0 && contacts.every((c) => isSelected(selection, c.id));
  const someOnPage = contacts.some((c) => isSelected(selection, c.id));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="w-10 py-2 pl-5 pr-2">
              <input
                type="checkbox"
                aria-label="Select all loaded contacts"
                className="size-4 accent-brand-700"
                checked={allOnPage}
                ref={(input) => {
                  if (input) input.indeterminate = someOnPage && !allOnPage;
                }}
                onChange={onTogglePage}
              />
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Phone
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium lg:table-cell">
              Email
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              Tags
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Marketing
            </th>
            <th scope="col" className="hidden py-2 pl-3 pr-5 font-medium sm:table-cell">
              Last seen
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {contacts.map((contact) => {
            const label = contactLabel(contact);
            const selected = isSelected(selection, contact.id);
            return (
              <tr
                key={contact.id}
                onClick={() => onOpen(contact)}
                className={selected ? "cursor-pointer bg-brand-50/60" : "cursor-pointer hover:bg-slate-50"}
              >
                <td className="py-2.5 pl-5 pr-2" onClick={(event) => event.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${label}`}
                    className="size-4 accent-brand-700"
                    checked={selected}
                    onChange={() => onToggle(contact)}
                  />
                </td>
                <td className="max-w-56 px-3 py-2.5">
                  <button
                    type="button"
                    onClick={(event) => {
                      event.stopPropagation();
                      onOpen(contact);
                    }}
                    className="block max-w-full truncate text-left font-medium text-slate-900 hover:text-brand-800 hover:underline"
                  >
                    {contact.name || <span className="font-normal italic text-slate-500">No name</span>}
                  </button>
                  {!contact.phone && contact.wa_user_id ? <span className="block truncate text-xs text-slate-500">{contact.wa_user_id}</span> : null}
                </td>
                <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-700">{contact.phone ?? "—"}</td>
                <td className="hidden max-w-56 truncate px-3 py-2.5 text-slate-700 lg:table-cell">{contact.email || "—"}</td>
                <td className="hidden px-3 py-2.5 md:table-cell">
                  <div className="flex max-w-56 flex-wrap gap-1">
                    {contact.tags.slice(0, MAX_TAGS).map((tag) => (
                      <Badge key={tag}>{tag}</Badge>
                    ))}
                    {contact.tags.length > MAX_TAGS ? (
                      <span className="text-xs text-slate-500" title={contact.tags.join(", ")}>
                        +{contact.tags.length - MAX_TAGS}
                      </span>
                    ) : null}
                  </div>
                </td>
                <td className="px-3 py-2.5">
                  <ConsentBadge state={contact.consent.marketing} />
                </td>
                <td className="hidden whitespace-nowrap py-2.5 pl-3 pr-5 text-slate-500 sm:table-cell">
                  {contact.last_seen_at ? (
                    <time dateTime={contact.last_seen_at} title={formatDateTime(contact.last_seen_at)}>
                      {formatRelative(contact.last_seen_at)}
                    </time>
                  ) : (
                    "Never"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { getContact } from "@/lib/api/contacts";
import type { AttributeDefinition, Contact } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { contactKeys } from "@/lib/query/keys";
import { Alert, buttonClasses } from "@/components/ui";
import { contactLabel, formatDateTime } from "../format";
import { Overlay } from "../Overlay";
import { AdminActions } from "./AdminActions";
import { AttributesForm } from "./AttributesForm";
import { ConsentSection } from "./ConsentSection";
import { ProfileForm } from "./ProfileForm";
import { TagEditor } from "./TagEditor";

export interface ContactDrawerProps {
  /** The row that was clicked (shown at once; a fresh copy is fetched). */
  contact: Contact;
  /** The viewer may delete, erase, merge, export, import and manage attributes (`capabilities.manage_contacts`). */
  canManage: boolean;
  definitions: AttributeDefinition[];
  /** The business's default region for phone hints; null while loading. */
  region: string | null;
  onUpdated: (contact: Contact) => void;
  /** Deleted or erased: the list must reload and the drawer close. `message` says what happened. */
  onRemoved: (message: string) => void;
  /** Another contact was merged into this one (and deleted): the list must reload; the drawer stays. */
  onMerged: (survivor: Contact) => void;
  onClose: () => void;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-b border-slate-100 py-5 first:pt-0 last:border-b-0">
      <h3 className="mb-3 text-sm font-semibold text-slate-900">{title}</h3>
      {children}
    </section>
  );
}

/** The side panel for one contact: profile, tags, attributes, consent, activity and (managers) data actions. */
export function ContactDrawer({ contact: initial, canManage: manager, definitions, region, onUpdated, onRemoved, onMerged, onClose }: ContactDrawerProps) {
  const client = useQueryClient();
  // The row shows at once; a fresh copy replaces it (and every save puts the saved copy in the cache).
  const fresh = useQuery({ queryKey: contactKeys.detail(initial.id), queryFn: () => getContact(initial.id) });
  const contact = fresh.data ?? initial;
  const loadError = fresh.isLoadingError ? toApiError(fresh.error).message : null;

  const changed = (updated: Contact) => {
    client.setQueryData(contactKeys.detail(updated.id), updated);
    onUpdated(updated);
  };

  return (
    <Overlay
      variant="drawer"
      title={contactLabel(contact)}
      description={[contact.phone, contact.wa_user_id && !contact.phone ? contact.wa_user_id : null].filter(Boolean).join(" · ") || undefined}
      onClose={onClose}
    >
      {loadError ? <Alert className="mb-4">{loadError}</Alert> : null}
      <div className="mb-5 flex flex-wrap gap-2">
        <Link href={`/inbox?contact=${contact.id}`} className={buttonClasses("secondary", "sm")}>
          Open conversation
        </Link>
      </div>

      <Section title="Profile">
        <ProfileForm contact={contact} region={region} manager={manager} onSaved={changed} />
      </Section>

      <Section title="Tags">
        <TagEditor contact={contact} onSaved={changed} />
      </Section>

      <Section title="Attributes">
        <AttributesForm contact={contact} definitions={definitions} manager={manager} onSaved={changed} />
      </Section>

      <Section title="Consent">
        <ConsentSection contact={contact} onContactChanged={changed} />
      </Section>

      <Section title="Activity">
        <dl className="grid grid-cols-[9rem_1fr] gap-y-1.5 text-sm">
          <dt className="text-slate-500">First seen</dt>
          <dd className="text-slate-900">{formatDateTime(contact.first_seen_at)}</dd>
          <dt className="text-slate-500">Last seen</dt>
          <dd className="text-slate-900">{contact.last_seen_at ? formatDateTime(contact.last_seen_at) : "Never"}</dd>
          <dt className="text-slate-500">Last message in</dt>
          <dd className="text-slate-900">{contact.last_inbound_at ? formatDateTime(contact.last_inbound_at) : "Never"}</dd>
          <dt className="text-slate-500">Last message out</dt>
          <dd className="text-slate-900">{contact.last_outbound_at ? formatDateTime(contact.last_outbound_at) : "Never"}</dd>
          {contact.wa_user_id ? (
            <>
              <dt className="text-slate-500">WhatsApp user id</dt>
              <dd className="break-all font-mono text-xs text-slate-900">{contact.wa_user_id}</dd>
            </>
          ) : null}
        </dl>
      </Section>

      {manager ? (
        <Section title="Data and privacy">
          <AdminActions
            contact={contact}
            onRemoved={onRemoved}
            onMerged={(survivor) => {
              client.setQueryData(contactKeys.detail(survivor.id), survivor);
              // A merge moves the other contact's consent events here: the history loads again.
              void client.invalidateQueries({ queryKey: contactKeys.consent(survivor.id) });
              onMerged(survivor);
            }}
          />
        </Section>
      ) : null}
    </Overlay>
  );
}

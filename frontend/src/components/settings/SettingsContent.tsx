"use client";

import { useEffect } from "react";

import { useSession } from "@/components/app/SessionProvider";
import { PageHeader } from "@/components/app/PageHeader";
import { DomainsPanel } from "@/components/branding/DomainsPanel";
import { RoleBadge } from "@/components/team/RoleBadge";
import { TeamSection } from "@/components/team/TeamSection";
import { WhatsAppSection } from "@/components/whatsapp/WhatsAppSection";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { DataAndDeletion } from "./data/DataAndDeletion";
import { ApiKeys } from "./developer/ApiKeys";
import { Webhooks } from "./developer/Webhooks";
import { PasswordChangeForm } from "./PasswordChangeForm";

/**
 * Settings: Account (who you are, password), Team, WhatsApp, for owners and admins Domains and Developers (API
 * keys), and for owners Data & deletion (the business's export and deletion). Sections have anchors (#account,
 * #team, #whatsapp, #domains, #developers, #data); Contacts, Inbox, Billing and the audit log have pages of their own.
 */
export function SettingsContent() {
  const { user } = useSession();
  const name = `${user.first_name ?? ""} ${user.last_name ?? ""}`.trim();

  // The sections render only after the session has loaded, too late for the browser's own jump to
  // "#team" from a link like /settings#team; do it now that they exist.
  useEffect(() => {
    const id = window.location.hash.slice(1);
    if (id) document.getElementById(id)?.scrollIntoView();
  }, []);

  return (
    <>
      <PageHeader title="Settings" description={user.tenant.name} />
      <nav aria-label="Settings sections" className="mb-8 flex flex-wrap gap-2 text-sm">
        <a href="#account" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
          Account
        </a>
        <a href="#team" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
          Team
        </a>
        <a href="#whatsapp" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
          WhatsApp
        </a>
        {user.capabilities.manage_settings ? (
          <a href="#domains" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
            Domains
          </a>
        ) : null}
        {user.capabilities.manage_settings ? (
          <a href="#developers" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
            Developers
          </a>
        ) : null}
        <a href="/settings/contacts" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
          Contacts
        </a>
        <a href="/settings/inbox" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
          Inbox
        </a>
        <a href="/settings/billing" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
          Billing
        </a>
        {user.capabilities.view_audit_log ? (
          <a href="/settings/audit" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
            Audit log
          </a>
        ) : null}
        {user.capabilities.business_data ? (
          <a href="#data" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
            Data & deletion
          </a>
        ) : null}
      </nav>

      <section id="account" aria-labelledby="account-heading" className="scroll-mt-20 space-y-6">
        <h2 id="account-heading" className="text-lg font-semibold text-slate-900">
          Account
        </h2>
        <Card>
          <CardHeader title="Profile" />
          <CardBody>
            <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[8rem_1fr]">
              {name ? (
                <>
                  <dt className="text-slate-500">Name</dt>
                  <dd className="text-slate-900">{name}</dd>
                </>
              ) : null}
              <dt className="text-slate-500">Email</dt>
              <dd className="text-slate-900">{user.email}</dd>
              <dt className="text-slate-500">Role</dt>
              <dd>
                <RoleBadge role={user.role} />
              </dd>
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Password" />
          <CardBody>
            <PasswordChangeForm />
          </CardBody>
        </Card>
      </section>

      <section id="team" aria-labelledby="team-heading" className="mt-12 scroll-mt-20 space-y-6">
        <h2 id="team-heading" className="text-lg font-semibold text-slate-900">
          Team
        </h2>
        <TeamSection viewer={user} />
      </section>

      <section id="whatsapp" aria-labelledby="whatsapp-heading" className="mt-12 scroll-mt-20 space-y-6">
        <h2 id="whatsapp-heading" className="text-lg font-semibold text-slate-900">
          WhatsApp
        </h2>
        <WhatsAppSection canManage={user.capabilities.manage_settings} />
      </section>

      {user.capabilities.manage_settings ? (
        <section id="domains" aria-labelledby="domains-heading" className="mt-12 scroll-mt-20 space-y-6">
          <h2 id="domains-heading" className="text-lg font-semibold text-slate-900">
            Domains
          </h2>
          <DomainsPanel scope="business" canManage />
        </section>
      ) : null}

      {user.capabilities.manage_settings ? (
        <section id="developers" aria-labelledby="developers-heading" className="mt-12 scroll-mt-20 space-y-6">
          <h2 id="developers-heading" className="text-lg font-semibold text-slate-900">
            Developers
          </h2>
          <ApiKeys />
          <Webhooks />
        </section>
      ) : null}

      {user.capabilities.business_data ? (
        <section id="data" aria-labelledby="data-heading" className="mt-12 scroll-mt-20 space-y-6">
          <h2 id="data-heading" className="text-lg font-semibold text-slate-900">
            Data & deletion
          </h2>
          <DataAndDeletion slug={user.tenant.slug} />
        </section>
      ) : null}
    </>
  );
}

"use client";

import Link from "next/link";
import { useEffect, useState } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { canManageTeam } from "@/components/team/permissions";
import { Alert, Card, CardBody, CardHeader, Spinner } from "@/components/ui";
import { getInboxSettings } from "@/lib/api/inbox";
import type { InboxSettings, Role } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { CannedReplies } from "./CannedReplies";
import { InboxSettingsForm } from "./InboxSettingsForm";

/** Settings → Inbox for the logged-in member. */
export function InboxSettingsContent() {
  const { user } = useSession();
  return <InboxSettingsView viewerRole={user.role} />;
}

/** /settings/inbox: automations, business hours, visibility, canned replies. Owners and admins edit. */
export function InboxSettingsView({ viewerRole }: { viewerRole: Role }) {
  const manager = canManageTeam(viewerRole);
  const [settings, setSettings] = useState<InboxSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    getInboxSettings().then(setSettings, (err: unknown) => setError(toApiError(err).message));
  }, []);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/settings" className="font-medium text-brand-700 hover:underline">
          ← Settings
        </Link>
      </p>
      <PageHeader title="Inbox settings" description="Automatic replies, business hours, who sees which conversations, and canned replies." />
      {error ? <Alert className="mb-6">{error}</Alert> : null}
      <div className="space-y-6">
        {settings ? (
          <InboxSettingsForm settings={settings} manager={manager} onSaved={setSettings} />
        ) : !error ? (
          <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
            <Spinner /> Loading…
          </p>
        ) : null}
        <Card>
          <CardHeader title="Canned replies" description="Saved answers; in the inbox, type / and the shortcut." />
          <CardBody>
            <CannedReplies manager={manager} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}

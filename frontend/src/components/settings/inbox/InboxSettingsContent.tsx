"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";

import { SettingsPageHeader } from "@/components/settings/SettingsPageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { Card, CardBody, CardHeader, Spinner } from "@/components/ui";
import { getInboxSettings } from "@/lib/api/inbox";
import type { InboxSettings } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { inboxKeys } from "@/lib/query/keys";
import { CannedReplies } from "./CannedReplies";
import { InboxSettingsForm } from "./InboxSettingsForm";

/** Settings → Inbox for the logged-in member. */
export function InboxSettingsContent() {
  const { user } = useSession();
  return <InboxSettingsView canManage={user.capabilities.manage_settings} />;
}

/** /settings/inbox: automations, business hours, visibility, canned replies. Owners and admins edit. */
export function InboxSettingsView({ canManage: manager }: { canManage: boolean }) {
  const client = useQueryClient();
  const loaded = useQuery({ queryKey: inboxKeys.settings(), queryFn: getInboxSettings });
  const settings = loaded.data ?? null;
  const error = loaded.error ? toApiError(loaded.error).message : null;
  const setSettings = (saved: InboxSettings) => client.setQueryData(inboxKeys.settings(), saved);

  return (
    <>
      <SettingsPageHeader title="Inbox settings" description="Automatic replies, business hours, who sees which conversations, and canned replies." error={error} />
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

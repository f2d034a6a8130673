"use client";

import Link from "next/link";
import type { ComponentType } from "react";

import { DashboardAnalytics } from "@/components/analytics/DashboardAnalytics";
import { InboxIcon, TemplatesIcon, UsersIcon } from "@/components/icons";
import { RoleBadge } from "@/components/team/RoleBadge";
import { buttonClasses, Card, CardBody, CardHeader } from "@/components/ui";
import { WhatsAppDashboardCard } from "@/components/whatsapp/WhatsAppDashboardCard";
import { PageHeader } from "./PageHeader";
import { useSession } from "./SessionProvider";

/** A dashboard card that says what a part of the app is for and links to it. */
function LinkCard({ title, icon: Icon, text, href, action, primary = false }: {
  title: string;
  icon: ComponentType<{ className?: string }>;
  text: string;
  href: string;
  action: string;
  primary?: boolean;
}) {
  return (
    <Card>
      <CardHeader title={title} />
      <CardBody className="flex flex-col items-start gap-3 text-sm text-slate-700">
        <p className="flex items-start gap-2">
          <Icon className="mt-0.5 size-5 shrink-0 text-brand-700" />
          {text}
        </p>
        <Link href={href} className={buttonClasses(primary ? "primary" : "secondary", "sm")}>
          {action}
        </Link>
      </CardBody>
    </Card>
  );
}

/** The business's figures (DashboardAnalytics: real numbers from the daily tables), then where to go next. */
export function DashboardContent() {
  const { user } = useSession();
  const canManageTeam = user.capabilities.manage_team;

  return (
    <>
      <PageHeader title={user.tenant.name} description="Your ConvoNest dashboard." />

      <DashboardAnalytics />

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="You" />
          <CardBody className="space-y-2 text-sm text-slate-700">
            <p>
              Logged in as <strong>{user.email}</strong>
            </p>
            <p className="flex items-center gap-2">
              Your role: <RoleBadge role={user.role} />
            </p>
          </CardBody>
        </Card>

        <LinkCard
          title="Your team"
          icon={UsersIcon}
          text={canManageTeam ? "Invite colleagues and choose who can manage the team." : "See who else works in this business."}
          href="/settings#team"
          action={canManageTeam ? "Manage your team" : "View your team"}
        />
        <LinkCard
          title="Inbox"
          icon={InboxIcon}
          text="Answer WhatsApp conversations as a team, live as customers write."
          href="/inbox"
          action="Open the inbox"
          primary
        />
        <LinkCard
          title="Templates"
          icon={TemplatesIcon}
          text="Approved templates start conversations and reach customers outside the 24-hour window."
          href="/templates"
          action={user.capabilities.manage_templates ? "Write and manage templates" : "View templates"}
        />

        <WhatsAppDashboardCard />
      </div>
    </>
  );
}

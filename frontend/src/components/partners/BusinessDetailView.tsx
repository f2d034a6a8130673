"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { getBusiness } from "@/lib/api/partners";
import type { PartnerBusiness } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { partnerKeys } from "@/lib/query/keys";
import { formatDate } from "@/components/settings/billing/format";
import { formatWhen } from "@/components/templates/format";
import { Alert, Badge, buttonClasses, Card, CardBody, CardHeader, EmptyState, Spinner } from "@/components/ui";
import { ActivityList } from "./ActivityList";
import { BusinessWallet } from "./BusinessWallet";
import { EnterBusiness } from "./EnterBusiness";
import { businessStatus, formatCount, hostOf, planStatus } from "./format";
import { QualityBadge } from "./NumberHealth";
import { usePartnerSession } from "./PartnerSessionProvider";
import { SuspendControl } from "./SuspendControl";
import { UsageMeter } from "./UsageMeter";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function Header({ business }: { business: PartnerBusiness }) {
  const { capabilities } = usePartnerSession();
  const status = businessStatus(business);
  return (
    <div className="mb-8 space-y-4">
      <p className="text-sm">
        <Link href="/partners" className="text-brand-700 hover:underline">
          ← Businesses
        </Link>
      </p>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{business.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <span>{hostOf(business.url)}</span>
            <Badge tone={status.tone}>{status.label}</Badge>
            {business.suspended_at ? <span className="text-xs text-slate-500">since {formatWhen(business.suspended_at)}</span> : null}
          </p>
        </div>
        <div className="flex flex-wrap items-start gap-3">
          {capabilities.enter_businesses ? <EnterBusiness business={business} /> : null}
          {capabilities.manage_businesses ? <SuspendControl business={business} /> : null}
        </div>
      </div>
      {business.reseller_access ? null : (
        <Alert tone="info">
          {business.name}&apos;s owner has turned off access for your reseller: your team can&apos;t enter it until they turn it
          back on.
        </Alert>
      )}
    </div>
  );
}

function NumbersCard({ business }: { business: PartnerBusiness }) {
  return (
    <Card>
      <CardHeader title="WhatsApp numbers" description="Meta's quality rating and messaging limit of each number." />
      {business.numbers.length === 0 ? (
        <CardBody className="text-sm text-slate-500">No number is connected yet. The business connects its numbers in its Settings → WhatsApp.</CardBody>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">Number</th>
                <th scope="col" className="px-3 py-2 font-medium">Quality</th>
                <th scope="col" className="px-3 py-2 font-medium">Name</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-5 py-2 font-medium">Messaging limit</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {business.numbers.map((number) => (
                <tr key={number.phone_number_id}>
                  <td className="px-5 py-3 tabular-nums text-slate-900">{number.display_phone_number}</td>
                  <td className="px-3 py-3">
                    <QualityBadge rating={number.quality_rating} />
                  </td>
                  <td className="px-3 py-3 text-slate-700">{number.verified_name || "—"}</td>
                  <td className="px-3 py-3 text-slate-700">{number.status || "—"}</td>
                  <td className="px-5 py-3 text-slate-700">{number.messaging_limit_tier || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function Details({ business }: { business: PartnerBusiness }) {
  const plan = planStatus(business.plan.status);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader title="Overview" />
        <CardBody>
          <dl className="grid grid-cols-2 gap-4">
            <Fact label="Plan">
              {business.plan.name}{" "}
              <Badge tone={plan.tone} className="ml-1">
                {plan.label}
              </Badge>
            </Fact>
            <Fact label="Created">{formatDate(business.created_at)}</Fact>
            <Fact label="Members">{formatCount(business.member_count)}</Fact>
            <Fact label="Numbers">{formatCount(business.number_count)}</Fact>
            <Fact label="Last activity">{business.last_activity_at ? formatWhen(business.last_activity_at) : "None yet"}</Fact>
            <Fact label="Address">
              <a href={business.url} className="break-all text-brand-700 hover:underline" rel="noreferrer">
                {hostOf(business.url)}
              </a>
            </Fact>
          </dl>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Usage this month" description={`Since ${formatDate(business.usage.month)}`} />
        <CardBody>
          <dl className="grid grid-cols-2 gap-4">
            <Fact label="Messages sent">
              <UsageMeter usage={business.usage} />
            </Fact>
            <Fact label="Messages received">{formatCount(business.usage.messages_received)}</Fact>
          </dl>
        </CardBody>
      </Card>
    </div>
  );
}

/** One client business: what it runs on, how it is doing, entering it, suspending it, and what happened to it. */
export function BusinessDetailView({ id }: { id: number }) {
  const loaded = useQuery({ queryKey: partnerKeys.business(id), queryFn: () => getBusiness(id) });
  const error = loaded.error ? toApiError(loaded.error) : null;

  if (error && !loaded.data) {
    return error.status === 404 ? (
      <EmptyState
        title="Business not found"
        description="It doesn't exist, or it isn't one of your reseller's businesses."
        action={
          <Link href="/partners" className={buttonClasses("secondary")}>
            Back to businesses
          </Link>
        }
      />
    ) : (
      <Alert>{error.message}</Alert>
    );
  }
  if (!loaded.data) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
        <Spinner /> Loading business…
      </p>
    );
  }

  const business = loaded.data;
  return (
    <>
      <Header business={business} />
      <div className="space-y-6">
        <Details business={business} />
        <NumbersCard business={business} />
        <BusinessWallet business={business} />
        <Card>
          <CardHeader title="Activity" description="What your team did with this business, and its owner's access changes." />
          <ActivityList business={business.id} />
        </Card>
      </div>
    </>
  );
}

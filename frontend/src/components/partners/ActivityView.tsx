"use client";

import { PageHeader } from "@/components/app/PageHeader";
import { Card } from "@/components/ui";
import { ActivityList } from "./ActivityList";

/** Everything your reseller's people did, and what your businesses' owners changed about your access. */
export function ActivityView() {
  return (
    <>
      <PageHeader title="Activity" description="Who created, suspended, resumed or entered a business, and changes to your team." />
      <Card>
        <ActivityList />
      </Card>
    </>
  );
}

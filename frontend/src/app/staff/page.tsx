import { StaffConsole } from "@/components/staff/StaffConsole";
import { StaffSessionProvider } from "@/components/staff/StaffSession";
import { resellerFilter, staffTab } from "@/components/staff/tabs";
import { firstParam, type SearchParams } from "@/lib/searchParams";

/** The staff console: `?tab=businesses|resellers|webhooks|failed-jobs` (and `&reseller=` for the business list). */
export default async function StaffPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <StaffSessionProvider>
      <StaffConsole tab={staffTab(firstParam(params.tab))} reseller={resellerFilter(firstParam(params.reseller))} />
    </StaffSessionProvider>
  );
}

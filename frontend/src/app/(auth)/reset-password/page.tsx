import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { ResetPassword } from "@/components/auth/ResetPasswordForms";
import { WorkspaceFinder } from "@/components/auth/WorkspaceFinder";
import { HostProblem } from "@/components/HostProblem";
import { firstParam, type SearchParams } from "@/lib/searchParams";
import { lookupSite, publicOrigin } from "@/lib/server/site";

export const metadata: Metadata = { title: "Reset password", referrer: "no-referrer" };

/** Without uid+token: ask for a link. With them (the emailed link, in its #fragment): choose a new password. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const [lookup, params] = await Promise.all([lookupSite(), searchParams]);
  if (!lookup.ok) return <HostProblem message={lookup.message} publicUrl={publicOrigin(lookup)} />;

  if (lookup.site.kind === "public") {
    return (
      <AuthCard title="Reset your password" subtitle="Passwords are reset on your business's own address.">
        <WorkspaceFinder host={lookup.host} proto={lookup.proto} path="/reset-password" />
      </AuthCard>
    );
  }

  return <ResetPassword query={{ uid: firstParam(params.uid), token: firstParam(params.token) }} />;
}

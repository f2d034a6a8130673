import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { ResetConfirmForm, ResetRequestForm } from "@/components/auth/ResetPasswordForms";
import { WorkspaceFinder } from "@/components/auth/WorkspaceFinder";
import { HostProblem } from "@/components/HostProblem";
import { firstParam, type SearchParams } from "@/lib/searchParams";
import { lookupSite, publicOrigin } from "@/lib/server/site";

export const metadata: Metadata = { title: "Reset password", referrer: "no-referrer" };

/** Without uid+token: ask for a link. With them (the emailed link): choose a new password. */
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

  const uid = firstParam(params.uid);
  const token = firstParam(params.token);
  if (uid && token) {
    return (
      <AuthCard title="Choose a new password">
        <ResetConfirmForm uid={uid} token={token} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Reset your password" subtitle="We'll email you a link to choose a new one.">
      <ResetRequestForm />
    </AuthCard>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { AuthCard } from "@/components/auth/AuthCard";
import { LoginForm } from "@/components/auth/LoginForm";
import { WorkspaceFinder } from "@/components/auth/WorkspaceFinder";
import { HostProblem } from "@/components/HostProblem";
import { safeNextPath } from "@/lib/navigation";
import { firstParam, type SearchParams } from "@/lib/searchParams";
import { lookupSite, publicOrigin } from "@/lib/server/site";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const [lookup, params] = await Promise.all([lookupSite(), searchParams]);
  if (!lookup.ok) return <HostProblem message={lookup.message} publicUrl={publicOrigin(lookup)} />;

  // The partner console has a sign-in of its own (reseller people are no business's members).
  if (lookup.site.kind === "partners") redirect("/partners/login");

  if (lookup.site.kind === "public") {
    // Accounts belong to a business, so logging in happens on the business's own address.
    return (
      <AuthCard
        title="Log in"
        subtitle="Log in on your business's own ConvoNest address."
        footer={
          <>
            New to ConvoNest?{" "}
            <Link href="/signup" className="font-medium text-brand-700 hover:underline">
              Create a business account
            </Link>
          </>
        }
      >
        <WorkspaceFinder host={lookup.host} proto={lookup.proto} />
      </AuthCard>
    );
  }

  const tenant = lookup.site.tenant;
  return (
    <AuthCard title="Log in" subtitle={tenant ? <>to <strong>{tenant.name}</strong></> : undefined}>
      <LoginForm next={safeNextPath(firstParam(params.next))} />
    </AuthCard>
  );
}

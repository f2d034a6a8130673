import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { AuthCard } from "@/components/auth/AuthCard";
import { HostProblem } from "@/components/HostProblem";
import { ResellerSignupForm } from "@/components/partners/ResellerSignupForm";
import { buttonClasses } from "@/components/ui";
import { lookupSite, publicOrigin } from "@/lib/server/site";
import { RESELLER_SIGNUP_PATH } from "../../_lib/console";

export const metadata: Metadata = { title: "Become a reseller" };

/** Reseller signup exists only on the public site; the console goes to its businesses, a business's host points there. */
export default async function ResellerSignupPage() {
  const lookup = await lookupSite();
  if (!lookup.ok) return <HostProblem message={lookup.message} publicUrl={publicOrigin(lookup)} />;
  if (lookup.site.kind === "partners") redirect("/partners");

  if (lookup.site.kind === "tenant") {
    return (
      <AuthCard title="Become a reseller" subtitle="Resellers sign up on the ConvoNest site.">
        <a href={`${publicOrigin(lookup, lookup.site.base_domain)}${RESELLER_SIGNUP_PATH}`} className={buttonClasses("primary", "md", "w-full")}>
          Go to reseller signup
        </a>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Become a ConvoNest reseller"
      subtitle="Run ConvoNest businesses for your clients from one partner console: create them, follow their usage and number health, and step in to help."
      footer={
        <>
          Running one business of your own?{" "}
          <Link href="/signup" className="font-medium text-brand-700 hover:underline">
            Create a business account
          </Link>
        </>
      }
    >
      <ResellerSignupForm />
    </AuthCard>
  );
}

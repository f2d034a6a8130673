import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { AuthCard } from "@/components/auth/AuthCard";
import { SignupForm } from "@/components/auth/SignupForm";
import { HostProblem } from "@/components/HostProblem";
import { buttonClasses } from "@/components/ui";
import { lookupSite, publicOrigin } from "@/lib/server/site";

export const metadata: Metadata = { title: "Sign up" };

/** Signup only exists on the public site; a business's own address points there. */
export default async function SignupPage() {
  const lookup = await lookupSite();
  if (!lookup.ok) return <HostProblem message={lookup.message} publicUrl={publicOrigin(lookup)} />;

  // Businesses are signed up on the public site; the partner console creates its clients' from its own pages.
  if (lookup.site.kind === "partners") redirect("/partners");

  if (lookup.site.kind === "tenant") {
    const signupUrl = `${publicOrigin(lookup, lookup.site.base_domain)}/signup`;
    return (
      <AuthCard
        title="Create a new business"
        subtitle={
          <>
            You&apos;re on the address of <strong>{lookup.site.tenant?.name}</strong>. New businesses sign up on the
            ConvoNest site.
          </>
        }
      >
        <a href={signupUrl} className={buttonClasses("primary", "md", "w-full")}>
          Go to ConvoNest signup
        </a>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Create your business account"
      subtitle="Your business gets its own address. You'll be its owner and can invite your team."
      footer={
        <>
          Already have an account?{" "}
          <Link href="/login" className="font-medium text-brand-700 hover:underline">
            Log in
          </Link>
        </>
      }
    >
      <SignupForm host={lookup.host} />
    </AuthCard>
  );
}

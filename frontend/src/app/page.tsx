import { redirect } from "next/navigation";

import { HostProblem } from "@/components/HostProblem";
import { Logo } from "@/components/Logo";
import { Landing } from "@/components/marketing/Landing";
import { lookupSite, publicOrigin } from "@/lib/server/site";

/**
 * "/" depends on the host: the public site shows the landing page; a business's own address goes
 * straight to its dashboard (which sends visitors who are not logged in on to /login), and the partner
 * console's to its businesses (likewise on to /partners/login).
 */
export default async function HomePage() {
  const lookup = await lookupSite();
  if (!lookup.ok) {
    return (
      <main className="flex min-h-dvh flex-col items-center justify-center gap-6 px-6">
        <Logo />
        <HostProblem message={lookup.message} publicUrl={lookup.status === 404 ? publicOrigin(lookup) : undefined} />
      </main>
    );
  }
  if (lookup.site.kind === "tenant") redirect("/dashboard");
  if (lookup.site.kind === "partners") redirect("/partners");
  return <Landing baseDomain={lookup.site.base_domain} host={lookup.host} proto={lookup.proto} />;
}

import Link from "next/link";

import { WorkspaceFinder } from "@/components/auth/WorkspaceFinder";
import { CampaignsIcon, InboxIcon, TemplatesIcon, UsersIcon } from "@/components/icons";
import { Logo } from "@/components/Logo";
import { Badge, buttonClasses, Card, CardBody } from "@/components/ui";

const FEATURES = [
  { icon: <UsersIcon />, title: "Your team, one account", text: "Invite colleagues as owners, admins or agents.", ready: true },
  { icon: <InboxIcon />, title: "Shared inbox", text: "Answer WhatsApp conversations together.", ready: true },
  { icon: <TemplatesIcon />, title: "Message templates", text: "Write and submit templates for approval.", ready: true },
  { icon: <CampaignsIcon />, title: "Campaigns", text: "Send approved templates to your contacts.", ready: false },
];

/** The public site's front page: what ConvoNest is, sign up, and where to log in. */
export function Landing({ host, proto, baseDomain }: { host: string; proto: string; baseDomain: string }) {
  return (
    <div className="min-h-dvh bg-gradient-to-b from-brand-50 to-slate-50">
      <header className="mx-auto flex max-w-5xl items-center justify-between px-6 py-5">
        <Logo />
        <Link href="/signup" className={buttonClasses("primary", "sm")}>
          Sign up
        </Link>
      </header>

      <main className="mx-auto max-w-5xl px-6 pb-20">
        <section className="py-14 text-center sm:py-20">
          <h1 className="mx-auto max-w-2xl text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
            WhatsApp Business messaging for your whole team
          </h1>
          <p className="mx-auto mt-5 max-w-xl text-lg text-slate-600">
            Give your business its own ConvoNest address, bring your team in, and handle customer conversations
            together.
          </p>
          <div className="mt-8 flex justify-center">
            <Link href="/signup" className={buttonClasses("primary", "md", "h-12 px-6 text-base")}>
              Create your business account
            </Link>
          </div>
          <p className="mt-4 text-sm text-slate-600">
            An agency running WhatsApp for clients?{" "}
            <Link href="/partners/signup" className="font-medium text-brand-700 hover:underline">
              Become a reseller
            </Link>
          </p>
        </section>

        <section aria-labelledby="features" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <h2 id="features" className="sr-only">
            Features
          </h2>
          {FEATURES.map((feature) => (
            <Card key={feature.title}>
              <CardBody>
                <div className="mb-3 inline-flex rounded-lg bg-brand-50 p-2 text-brand-700">{feature.icon}</div>
                <h3 className="font-semibold text-slate-900">{feature.title}</h3>
                <p className="mt-1 text-sm text-slate-600">{feature.text}</p>
                {feature.ready ? null : (
                  <Badge tone="amber" className="mt-3">
                    Coming soon
                  </Badge>
                )}
              </CardBody>
            </Card>
          ))}
        </section>

        <section aria-labelledby="login-help" className="mx-auto mt-14 max-w-md">
          <Card>
            <CardBody className="space-y-3">
              <h2 id="login-help" className="font-semibold text-slate-900">
                Already have an account?
              </h2>
              <p className="text-sm text-slate-600">
                Every business has its own address, such as <strong>your-business.{baseDomain}</strong>. Log in there.
              </p>
              <WorkspaceFinder host={host} proto={proto} />
            </CardBody>
          </Card>
        </section>
      </main>
    </div>
  );
}

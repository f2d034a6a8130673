import type { ReactNode } from "react";

import { Card } from "@/components/ui";

/** The card every auth page sits in: a heading, an optional line under it, the form, a footer. */
export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      {subtitle ? <p className="mt-1.5 text-sm text-slate-600">{subtitle}</p> : null}
      <div className="mt-6">{children}</div>
      {footer ? <div className="mt-6 border-t border-slate-100 pt-4 text-sm text-slate-600">{footer}</div> : null}
    </Card>
  );
}

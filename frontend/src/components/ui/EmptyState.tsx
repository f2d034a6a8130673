import type { ReactNode } from "react";

import { Badge } from "./Badge";

export interface EmptyStateProps {
  title: string;
  description: ReactNode;
  icon?: ReactNode;
  /** Marks a feature that is not built yet, so nobody mistakes the empty page for "no data". */
  comingSoon?: boolean;
  action?: ReactNode;
}

export function EmptyState({ title, description, icon, comingSoon = false, action }: EmptyStateProps) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
      {icon ? <div className="mb-4 rounded-full bg-brand-50 p-3 text-brand-700">{icon}</div> : null}
      <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
      {comingSoon ? (
        <Badge tone="amber" className="mt-2">
          Coming soon
        </Badge>
      ) : null}
      <div className="mt-3 max-w-md text-sm text-slate-600">{description}</div>
      {action ? <div className="mt-6">{action}</div> : null}
    </div>
  );
}

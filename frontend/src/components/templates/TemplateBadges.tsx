import { Badge } from "@/components/ui";
import type { Template } from "@/lib/api/templates";
import { categoryLabel, qualityInfo, statusInfo } from "./format";

export function StatusBadge({ status }: { status: string }) {
  const info = statusInfo(status);
  return (
    <Badge tone={info.tone} className="whitespace-nowrap">
      <span data-testid="template-status">{info.label}</span>
    </Badge>
  );
}

export function QualityBadge({ score }: { score: string }) {
  const info = qualityInfo(score);
  return info ? <Badge tone={info.tone}>{info.label}</Badge> : <span className="text-slate-400">—</span>;
}

/** The category, and the one Meta announced it will move to. */
export function CategoryText({ template }: { template: Pick<Template, "category" | "pending_category"> }) {
  return (
    <span>
      {template.category ? categoryLabel(template.category) : "—"}
      {template.pending_category ? (
        <span className="block text-xs text-amber-700">Changing to {categoryLabel(template.pending_category)}</span>
      ) : null}
    </span>
  );
}

import { cx } from "@/components/ui";

const QUALITY: Record<string, { label: string; dot: string; ring: string }> = {
  GREEN: { label: "High quality", dot: "bg-green-500", ring: "bg-green-50 text-green-800 ring-green-200" },
  YELLOW: { label: "Medium quality", dot: "bg-amber-400", ring: "bg-amber-50 text-amber-800 ring-amber-200" },
  RED: { label: "Low quality", dot: "bg-red-500", ring: "bg-red-50 text-red-700 ring-red-200" },
};

/** Meta's quality rating as a traffic light: GREEN, YELLOW, RED (anything else: unknown). */
export function QualityBadge({ rating }: { rating: string }) {
  const quality = QUALITY[rating.toUpperCase()] ?? { label: "Quality unknown", dot: "bg-slate-400", ring: "bg-slate-100 text-slate-700 ring-slate-200" };
  return (
    <span
      className={cx("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", quality.ring)}
      data-quality={rating || "UNKNOWN"}
    >
      <span aria-hidden="true" className={cx("size-2 rounded-full", quality.dot)} />
      {quality.label}
    </span>
  );
}

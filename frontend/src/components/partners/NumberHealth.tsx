import type { ReactNode } from "react";

import type { PartnerNumberHealth } from "@/lib/api/types";
import { cx } from "@/components/ui";
import { qualityInfo, type Tone } from "./format";

const DOTS: Record<Tone, string> = {
  brand: "bg-green-500",
  amber: "bg-amber-400",
  red: "bg-red-500",
  blue: "bg-sky-500",
  neutral: "bg-slate-400",
};

const RINGS: Record<Tone, string> = {
  brand: "bg-green-50 text-green-800 ring-green-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  red: "bg-red-50 text-red-700 ring-red-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-200",
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
};

function Pill({ rating, title, children }: { rating: string; title?: string; children: ReactNode }) {
  const tone = qualityInfo(rating).tone;
  return (
    <span
      className={cx("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", RINGS[tone])}
      data-quality={rating.toUpperCase() || "UNKNOWN"}
      title={title}
    >
      <span aria-hidden="true" className={cx("size-2 rounded-full", DOTS[tone])} />
      {children}
    </span>
  );
}

/** One number as a traffic light of Meta's quality rating; the rating is in the label, not only the colour. */
export function NumberHealthBadge({ number }: { number: PartnerNumberHealth }) {
  const quality = qualityInfo(number.quality_rating);
  return (
    <Pill rating={number.quality_rating} title={`${number.display_phone_number}: ${quality.label}`}>
      <span className="tabular-nums">{number.display_phone_number}</span>
      <span className="sr-only">{quality.label}</span>
    </Pill>
  );
}

/** The rating alone, in words (a table with the number in its own column). */
export function QualityBadge({ rating }: { rating: string }) {
  return <Pill rating={rating}>{qualityInfo(rating).label}</Pill>;
}

/** Every number of a business, or a quiet dash when it has none yet. */
export function NumberHealthList({ numbers }: { numbers: readonly PartnerNumberHealth[] }) {
  if (numbers.length === 0) return <span className="text-xs text-slate-400">No numbers</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="WhatsApp numbers">
      {numbers.map((number) => (
        <li key={number.phone_number_id}>
          <NumberHealthBadge number={number} />
        </li>
      ))}
    </ul>
  );
}

import type { ReactNode } from "react";

import { cx } from "./cx";

type Tone = "error" | "success" | "info";

const TONES: Record<Tone, string> = {
  error: "border-red-200 bg-red-50 text-red-800",
  success: "border-brand-200 bg-brand-50 text-brand-900",
  info: "border-sky-200 bg-sky-50 text-sky-900",
};

/** A message about a whole form or page. Errors are announced at once (role="alert"). */
export function Alert({ tone = "error", children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cx("rounded-lg border px-3 py-2 text-sm", TONES[tone], className)}>
      {children}
    </div>
  );
}

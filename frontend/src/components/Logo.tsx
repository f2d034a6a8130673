import { cx } from "./ui/cx";

/** The ConvoNest mark (a chat bubble) and name. */
export function Logo({ className, showName = true }: { className?: string; showName?: boolean }) {
  return (
    <span className={cx("inline-flex items-center gap-2 font-semibold text-slate-900", className)}>
      <svg viewBox="0 0 32 32" aria-hidden="true" className="size-8">
        <rect width="32" height="32" rx="9" className="fill-brand-700" />
        <path d="M9 10.5h14v9.5h-8.5L10 24v-4H9z" fill="none" stroke="white" strokeWidth="2" strokeLinejoin="round" />
        <path d="M13 15.2l2 2 4-4" fill="none" stroke="white" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {showName ? <span className="text-lg tracking-tight">ConvoNest</span> : null}
    </span>
  );
}

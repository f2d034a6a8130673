"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

import { CloseIcon } from "@/components/icons";
import { cx } from "@/components/ui";

interface OverlayProps {
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** "dialog": centred card; "drawer": full-height panel on the right. */
  variant?: "dialog" | "drawer";
  className?: string;
}

/**
 * A modal surface: Escape and the backdrop close it, focus moves in when it opens and back where it
 * was when it closes, and the page behind doesn't scroll.
 */
export function Overlay({ title, description, onClose, children, footer, variant = "dialog", className }: OverlayProps) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);

  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  const drawer = variant === "drawer";

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // A dialog is there to be filled in: focus its first field. A drawer is mostly read: focus the
    // panel itself, so no input looks "being edited" (and phones don't open the keyboard).
    const first = drawer ? null : panel.current?.querySelector<HTMLElement>("[data-autofocus], input, select, textarea");
    (first ?? panel.current)?.focus();
    const onKey = (event: KeyboardEvent) => {
      // Only the top-most overlay answers Escape (a merge dialog above the drawer, for example).
      if (event.key !== "Escape" || !panel.current) return;
      const overlays = document.querySelectorAll("[data-overlay]");
      if (overlays[overlays.length - 1] === panel.current) close.current();
    };
    document.addEventListener("keydown", onKey);
    const overflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    return () => {
      document.removeEventListener("keydown", onKey);
      document.body.style.overflow = overflow;
      previous?.focus?.();
    };
  }, [drawer]);

  return (
    <div className={cx("fixed inset-0 z-40 flex", drawer ? "justify-end" : "items-start justify-center overflow-y-auto p-4 sm:pt-20")}>
      <div aria-hidden="true" className="fixed inset-0 bg-slate-900/30" onClick={onClose} />
      <div
        ref={panel}
        data-overlay=""
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={cx(
          "relative flex flex-col bg-white shadow-xl outline-none",
          drawer ? "h-dvh w-full max-w-xl" : "w-full max-w-lg rounded-xl",
          className,
        )}
      >
        <div className="flex items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
          <div className="min-w-0">
            <h2 id={titleId} className="truncate text-base font-semibold text-slate-900">
              {title}
            </h2>
            {description ? <div className="mt-0.5 text-sm text-slate-500">{description}</div> : null}
          </div>
          <button type="button" onClick={onClose} className="-m-1 rounded-lg p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900">
            <CloseIcon />
            <span className="sr-only">Close</span>
          </button>
        </div>
        <div className={cx("px-5 py-4", drawer && "flex-1 overflow-y-auto")}>{children}</div>
        {footer ? <div className="flex flex-wrap justify-end gap-2 border-t border-slate-100 px-5 py-3">{footer}</div> : null}
      </div>
    </div>
  );
}

"use client";

import type { ReactNode } from "react";

import { Alert, Button, Card, Spinner } from "@/components/ui";
import type { CursorList } from "@/lib/query/useCursorQuery";

/**
 * A cursor list's states, the same on every list: loading, a failure (the envelope's message, with Retry), empty,
 * or the table with "Load more" while `next` has more.
 */
export function CursorListFrame<T>({ list, what, empty, children }: { list: CursorList<T>; what: string; empty: ReactNode; children: ReactNode }) {
  if (list.loading) {
    return (
      <Card>
        <p role="status" className="flex items-center gap-2 px-5 py-6 text-sm text-slate-500">
          <Spinner /> Loading {what}…
        </p>
      </Card>
    );
  }
  if (list.error && list.items.length === 0) {
    return (
      <Card className="space-y-3 px-5 py-4">
        <Alert>{list.error}</Alert>
        <Button variant="secondary" size="sm" onClick={list.refetch}>
          Try again
        </Button>
      </Card>
    );
  }
  if (list.items.length === 0) return <>{empty}</>;
  return (
    <Card aria-busy={list.updating || undefined} className={list.updating ? "opacity-60" : undefined}>
      <div className="overflow-x-auto">{children}</div>
      {list.error ? <Alert className="m-3">{list.error}</Alert> : null}
      {list.hasMore ? (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button variant="secondary" size="sm" loading={list.loadingMore} onClick={list.loadMore}>
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

/** A table header cell as every cursor list draws it. */
export function Th({ children, className = "px-3" }: { children: ReactNode; className?: string }) {
  return (
    <th scope="col" className={`${className} py-2 font-medium`}>
      {children}
    </th>
  );
}

export const TABLE = "w-full text-left text-sm";
export const THEAD = "border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500";
export const ROW = "border-b border-slate-50 align-top last:border-0";

"use client";

import Link from "next/link";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";

import { finishEmbeddedSignup } from "@/lib/api/whatsapp";
import type { PhoneNumber } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Alert, buttonClasses, Card, CardBody, CardHeader, Spinner } from "@/components/ui";
import { QualityBadge } from "./QualityBadge";
import { CONNECTED_EVENT, FAILED_EVENT } from "./signup";

export interface EmbeddedSignupCallbackProps {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
}

type Result = { status: "working" } | { status: "done"; numbers: PhoneNumber[] } | { status: "failed"; message: string };

/** Tells the settings page that opened this popup, if there is one (only on our own origin). */
function tellOpener(data: Record<string, unknown>): void {
  const opener = window.opener as Window | null;
  if (!opener || opener.closed) return;
  try {
    opener.postMessage(data, window.location.origin);
  } catch {
    // The opener navigated elsewhere: nobody to tell.
  }
}

const noSubscription = () => () => {};

/**
 * /settings/whatsapp/callback?code=&state=: where the signup dialog returns. Trades the code for the
 * new numbers (once: the code works once), shows them, and tells the opener window when in a popup.
 */
export function EmbeddedSignupCallback({ code, state, error, errorDescription }: EmbeddedSignupCallbackProps) {
  const initial: Result = error
    ? { status: "failed", message: errorDescription || "The signup was cancelled." }
    : !code || !state
      ? { status: "failed", message: "This page needs the code and state the signup dialog sends back. Start again from Settings." }
      : { status: "working" };
  const [result, setResult] = useState<Result>(initial);
  // window.opener never changes while the page is open; on the server there is none.
  const inPopup = useSyncExternalStore(noSubscription, () => Boolean(window.opener), () => false);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (!code || !state || error) {
      tellOpener({ type: FAILED_EVENT, message: errorDescription || "The signup was cancelled." });
      return;
    }
    finishEmbeddedSignup({ code, state })
      .then((numbers) => {
        setResult({ status: "done", numbers });
        tellOpener({ type: CONNECTED_EVENT, numbers });
      })
      .catch((err: unknown) => {
        const message = toApiError(err).message;
        setResult({ status: "failed", message });
        tellOpener({ type: FAILED_EVENT, message });
      });
  }, [code, state, error, errorDescription]);

  const actions = (
    <div className="flex flex-wrap gap-2">
      {inPopup ? (
        <button type="button" className={buttonClasses("primary", "sm")} onClick={() => window.close()}>
          Close this window
        </button>
      ) : null}
      <Link href="/settings#whatsapp" className={buttonClasses(inPopup ? "secondary" : "primary", "sm")}>
        Back to WhatsApp settings
      </Link>
    </div>
  );

  return (
    <div className="mx-auto max-w-xl">
      <Card>
        <CardHeader title="Connect WhatsApp" description="Embedded Signup" />
        <CardBody className="space-y-4">
          {result.status === "working" ? (
            <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
              <Spinner /> Connecting your numbers…
            </p>
          ) : null}
          {result.status === "failed" ? <Alert>{result.message}</Alert> : null}
          {result.status === "done" ? (
            <>
              <Alert tone="success">
                Connected {result.numbers.length} number{result.numbers.length === 1 ? "" : "s"} to this business.
              </Alert>
              <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" aria-label="Connected numbers">
                {result.numbers.map((number) => (
                  <li key={number.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                    <span>
                      <span className="block font-medium text-slate-900">{number.display_phone_number || number.phone_number_id}</span>
                      <span className="block text-slate-500">{number.verified_name}</span>
                    </span>
                    <QualityBadge rating={number.quality_rating} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {result.status !== "working" ? actions : null}
        </CardBody>
      </Card>
    </div>
  );
}

"use client";

import { useEffect, useRef, useState } from "react";

import { startEmbeddedSignup } from "@/lib/api/whatsapp";
import type { PhoneNumber } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Alert, Button, Spinner } from "@/components/ui";
import { callbackUrl, CONNECTED_EVENT, FAILED_EVENT, sandboxOrigin, useSignupInfo } from "./signup";

type Phase = { kind: "idle" } | { kind: "waiting" } | { kind: "finishing" } | { kind: "done"; count: number } | { kind: "error"; message: string };

/** Meta's (and the sandbox's) popup message: a JSON string {type: "WA_EMBEDDED_SIGNUP", event, data}. */
function signupEvent(data: unknown): { event?: string } | null {
  try {
    const parsed: unknown = typeof data === "string" ? JSON.parse(data) : data;
    if (typeof parsed === "object" && parsed !== null && (parsed as { type?: unknown }).type === "WA_EMBEDDED_SIGNUP") {
      return parsed as { event?: string };
    }
  } catch {
    // Not ours: other windows post messages too.
  }
  return null;
}

/**
 * "Connect with Facebook": against the sandbox, its signup page opens in a popup and comes back to
 * /settings/whatsapp/callback, which finishes the signup and tells this page. With real Meta, the
 * Facebook JS SDK is needed; it is not loaded here.
 */
export function EmbeddedSignupConnect({ onConnected }: { onConnected: (numbers: PhoneNumber[]) => void }) {
  const info = useSignupInfo(true);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const popupRef = useRef<Window | null>(null);
  const onConnectedRef = useRef(onConnected);
  useEffect(() => {
    onConnectedRef.current = onConnected;
  }, [onConnected]);

  const sandbox = sandboxOrigin(info.status === "ready" ? info.info : null);

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      if (event.origin === window.location.origin && typeof event.data === "object" && event.data !== null) {
        const data = event.data as { type?: string; numbers?: PhoneNumber[]; message?: string };
        if (data.type === CONNECTED_EVENT && Array.isArray(data.numbers)) {
          onConnectedRef.current(data.numbers);
          setPhase({ kind: "done", count: data.numbers.length });
        } else if (data.type === FAILED_EVENT) {
          setPhase({ kind: "error", message: data.message ?? "The signup did not finish." });
        }
        return;
      }
      if (sandbox && event.origin === sandbox) {
        const signup = signupEvent(event.data);
        if (signup?.event === "CANCEL") setPhase({ kind: "error", message: "The signup was cancelled." });
        else if (signup?.event === "FINISH") setPhase({ kind: "finishing" });
      }
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [sandbox]);

  // A popup closed by hand before finishing: stop waiting for it.
  useEffect(() => {
    if (phase.kind !== "waiting") return;
    const timer = setInterval(() => {
      if (popupRef.current?.closed) setPhase((p) => (p.kind === "waiting" ? { kind: "idle" } : p));
    }, 800);
    return () => clearInterval(timer);
  }, [phase.kind]);

  async function start() {
    // Open the window in the click itself (popup blockers allow that), then point it at a fresh start.
    const popup = window.open("", "wa-embedded-signup", "popup,width=560,height=720");
    popupRef.current = popup;
    setPhase({ kind: "waiting" });
    try {
      const fresh = await startEmbeddedSignup(callbackUrl());
      if (popup) popup.location.href = fresh.signup_url;
      else window.location.assign(fresh.signup_url); // popups blocked: do it in this window
    } catch (err) {
      popup?.close();
      setPhase({ kind: "error", message: toApiError(err).message });
    }
  }

  if (info.status === "failed") return <Alert>{info.message}</Alert>;
  if (info.status !== "ready") {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
        <Spinner /> Checking how to connect…
      </p>
    );
  }

  if (info.info.mode === "facebook") {
    return (
      <div className="space-y-3 text-sm text-slate-700">
        <Button disabled>Connect with Facebook (Embedded Signup)</Button>
        <Alert tone="info">
          This server talks to Meta&apos;s real Graph API. Embedded Signup then runs in Meta&apos;s own dialog, opened by the Facebook JavaScript
          SDK with app id <span className="font-mono">{info.info.app_id}</span>; that SDK is not part of this build yet. Until it is, connect
          the number by hand below.
        </Alert>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={() => void start()} loading={phase.kind === "waiting" || phase.kind === "finishing"}>
          Connect with Facebook (Embedded Signup)
        </Button>
        <span className="text-xs text-slate-500">Sandbox mode: Meta&apos;s dialog is played by the local WhatsApp sandbox.</span>
      </div>
      {phase.kind === "waiting" ? <p className="text-sm text-slate-600">Finish the steps in the popup window…</p> : null}
      {phase.kind === "finishing" ? <p className="text-sm text-slate-600">Connecting your numbers…</p> : null}
      {phase.kind === "done" ? (
        <Alert tone="success">
          Connected {phase.count} number{phase.count === 1 ? "" : "s"}.
        </Alert>
      ) : null}
      {phase.kind === "error" ? <Alert>{phase.message}</Alert> : null}
    </div>
  );
}

"use client";

/**
 * The reply box under a thread. Text by default (Enter sends, Shift+Enter is a new line, "/" opens the
 * canned replies); attachments by link, reply buttons, lists and templates reuse the composer's editors,
 * its message builder and its checks. Outside the 24-hour window only a template may go, so the box
 * switches to the template editor and says why.
 */
import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import { buildMessage } from "@/components/composer/build";
import { checkMessage } from "@/components/composer/checks";
import { FieldErrorsContext, SelectInput } from "@/components/composer/controls";
import { MediaEditor } from "@/components/composer/editors/basic";
import { ButtonsEditor, InteractiveCommonEditor, ListEditor } from "@/components/composer/editors/interactive";
import { TemplateEditor } from "@/components/composer/editors/template";
import { mapFieldErrors, mergeErrors } from "@/components/composer/errors";
import { initialComposerState, type ComposerState, type MediaKind } from "@/components/composer/model";
import { TemplateSendPicker } from "@/components/templates/TemplateSendPicker";
import { Alert, Button, cx } from "@/components/ui";
import { replyToConversation } from "@/lib/api/inbox";
import { replyWithTemplate } from "@/lib/api/templates";
import type { CannedReply, Conversation, Message } from "@/lib/api/types";
import { toApiError, type ApiError, type FieldErrors } from "@/lib/apiClient";
import { CannedReplyMenu, cannedQuery, useCannedReplies } from "./CannedReplyMenu";

export type ReplyMode = "text" | "attachment" | "button" | "list" | "template";

const MODES: ReadonlyArray<{ value: ReplyMode; label: string }> = [
  { value: "text", label: "Text" },
  { value: "attachment", label: "Attachment" },
  { value: "button", label: "Buttons" },
  { value: "list", label: "List" },
  { value: "template", label: "Template" },
];

const ATTACHMENTS: ReadonlyArray<{ value: MediaKind; label: string }> = [
  { value: "image", label: "Image" },
  { value: "document", label: "Document" },
  { value: "video", label: "Video" },
  { value: "audio", label: "Audio" },
];

function kindOf(mode: ReplyMode, attachment: MediaKind): ComposerState["kind"] {
  return mode === "attachment" ? attachment : mode;
}

export interface InboxComposerProps {
  conversation: Conversation;
  /** Whether free-form messages may go (the 24-hour window); the server has the last word. */
  windowOpen: boolean;
  contactName: string;
  onSent: (message: Message) => void;
  /** The server said the window is closed: refetch the conversation so the page agrees. */
  onWindowClosed: () => void;
}

export function InboxComposer({ conversation, windowOpen, contactName, onSent, onWindowClosed }: InboxComposerProps) {
  const [chosenMode, setMode] = useState<ReplyMode>("text");
  const [attachment, setAttachment] = useState<MediaKind>("image");
  const [state, setState] = useState<ComposerState>(initialComposerState);
  const [attempted, setAttempted] = useState(false);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  const [activeReply, setActiveReply] = useState(0);
  const [menuClosed, setMenuClosed] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const menuId = useId();
  const hintId = useId();

  const mode: ReplyMode = windowOpen ? chosenMode : "template";
  const draft = state.text.body;
  const query = mode === "text" && !menuClosed ? cannedQuery(draft) : null;
  const canned = useCannedReplies(query);
  const menuOpen = query !== null;

  const built = useMemo(() => buildMessage({ ...state, kind: kindOf(mode, attachment), replyTo: "" }), [state, mode, attachment]);
  const clientErrors: FieldErrors = attempted && mode !== "text" ? checkMessage(built.message) : {};
  const mapped = mapFieldErrors(mergeErrors(clientErrors, serverError?.fieldErrors ?? {}), built.fields);
  // The window rule names `type`, which no input owns: its message says it better.
  const general = serverError?.code === "window_closed" ? [serverError.message] : [...mapped.general];
  if (serverError && serverError.code !== "window_closed" && Object.keys(serverError.fieldErrors).length === 0) general.unshift(serverError.message);

  const set = <K extends keyof ComposerState>(key: K, value: ComposerState[K]) => setState((s) => ({ ...s, [key]: value }));

  async function send() {
    setAttempted(true);
    if (mode === "text" ? !draft.trim() : Object.keys(checkMessage(built.message)).length > 0) return;
    setSending(true);
    setServerError(null);
    try {
      const queued = await replyToConversation(conversation.id, built.message);
      onSent(queued);
      setAttempted(false);
      // Only what was sent is cleared; the other editors keep their drafts.
      const fresh = initialComposerState();
      if (mode === "text") set("text", fresh.text);
      else if (mode === "attachment") set("media", fresh.media);
      else if (mode === "template") set("template", fresh.template);
      else setState((s) => ({ ...s, interactive: fresh.interactive, buttons: fresh.buttons, list: fresh.list }));
    } catch (err) {
      const error = toApiError(err);
      setServerError(error);
      if (error.code === "window_closed") onWindowClosed();
    } finally {
      setSending(false);
      if (mode === "text") textRef.current?.focus();
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send();
  }

  function pick(reply: CannedReply) {
    set("text", { ...state.text, body: reply.body });
    setMenuClosed(true);
    textRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (menuOpen && canned.replies.length > 0) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActiveReply((i) => (i + step + canned.replies.length) % canned.replies.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pick(canned.replies[Math.min(activeReply, canned.replies.length - 1)]!);
        return;
      }
    }
    if (menuOpen && event.key === "Escape") {
      event.preventDefault();
      setMenuClosed(true);
      return;
    }
    // Enter sends, Shift+Enter is a new line; not while an input method is composing a character.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (!sending) void send();
    }
  }

  return (
    <FieldErrorsContext.Provider value={mapped.byField}>
      <form onSubmit={onSubmit} noValidate aria-label="Reply" className="border-t border-slate-200 bg-white p-3">
        {!windowOpen ? (
          <Alert tone="info" className="mb-3">
            <strong>The 24-hour window is closed.</strong> {contactName} hasn&apos;t written in the last 24 hours, so WhatsApp only accepts an
            approved template until they reply. Pick one below: its variables are filled in from the contact.
          </Alert>
        ) : (
          <div role="group" aria-label="Message kind" className="mb-2 flex flex-wrap gap-1">
            {MODES.map((m) => (
              <button
                key={m.value}
                type="button"
                aria-pressed={mode === m.value}
                onClick={() => {
                  setMode(m.value);
                  setAttempted(false);
                  setServerError(null);
                }}
                className={cx(
                  "rounded-md px-2.5 py-1 text-xs font-medium",
                  mode === m.value ? "bg-brand-700 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200",
                )}
              >
                {m.label}
              </button>
            ))}
          </div>
        )}

        {general.length > 0 ? (
          <Alert className="mb-2">
            {general.length === 1 ? general[0] : (
              <ul className="list-disc space-y-0.5 pl-4">
                {general.map((text, i) => (
                  <li key={i}>{text}</li>
                ))}
              </ul>
            )}
          </Alert>
        ) : null}

        {mode === "text" ? (
          <div className="flex items-end gap-2">
            <div className="relative min-w-0 flex-1">
              {menuOpen ? <CannedReplyMenu id={menuId} replies={canned.replies} error={canned.error} active={activeReply} onPick={pick} /> : null}
              <label htmlFor={`${menuId}-text`} className="sr-only">
                Message
              </label>
              <textarea
                ref={textRef}
                id={`${menuId}-text`}
                rows={2}
                value={draft}
                placeholder="Type a reply — Enter sends, Shift+Enter for a new line, / for canned replies"
                aria-describedby={hintId}
                aria-controls={menuOpen ? menuId : undefined}
                aria-activedescendant={menuOpen && canned.replies.length > 0 ? `${menuId}-${activeReply}` : undefined}
                aria-invalid={(attempted && !draft.trim()) || undefined}
                onChange={(event) => {
                  set("text", { ...state.text, body: event.target.value });
                  setActiveReply(0);
                  setMenuClosed(false);
                }}
                onKeyDown={onKeyDown}
                className={cx(
                  "block max-h-48 w-full resize-y rounded-lg border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400",
                  "focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-600/30",
                  attempted && !draft.trim() ? "border-red-500" : "border-slate-300",
                )}
              />
              <p id={hintId} className="sr-only">
                Enter sends; Shift+Enter starts a new line; a slash at the start searches the canned replies.
              </p>
            </div>
            <Button type="submit" loading={sending}>
              Send
            </Button>
          </div>
        ) : (
          <div className="max-h-[45vh] space-y-4 overflow-y-auto pr-1">
            {mode === "attachment" ? (
              <>
                <SelectInput label="Attachment type" errorKey="type" value={attachment} onChange={setAttachment} options={ATTACHMENTS} />
                <MediaEditor kind={attachment} value={state.media} onChange={(v) => set("media", v)} />
              </>
            ) : null}
            {mode === "button" || mode === "list" ? <InteractiveCommonEditor kind={mode} value={state.interactive} onChange={(v) => set("interactive", v)} /> : null}
            {mode === "button" ? <ButtonsEditor value={state.buttons} onChange={(v) => set("buttons", v)} /> : null}
            {mode === "list" ? <ListEditor value={state.list} onChange={(v) => set("list", v)} /> : null}
            {mode === "template" ? (
              <TemplateSendPicker
                contactId={conversation.contact.id}
                recipientLabel={contactName}
                onSend={(template, parameters) => replyWithTemplate(conversation.id, template.id, parameters)}
                onSent={onSent}
              />
            ) : null}
            {mode === "template" ? (
              <details className="rounded-lg border border-slate-200 p-3">
                <summary className="cursor-pointer text-sm font-medium text-slate-700">Or send by name, typing the parameters</summary>
                <div className="mt-3 space-y-4">
                  <TemplateEditor value={state.template} onChange={(v) => set("template", v)} />
                  <div className="flex items-center gap-3">
                    <Button type="submit" loading={sending}>
                      Send template
                    </Button>
                    {attempted && Object.keys(mapped.byField).length > 0 ? <p className="text-sm text-red-700">Fix the highlighted fields first.</p> : null}
                  </div>
                </div>
              </details>
            ) : (
              <div className="flex items-center gap-3">
                <Button type="submit" loading={sending}>
                  Send
                </Button>
                {attempted && Object.keys(mapped.byField).length > 0 ? <p className="text-sm text-red-700">Fix the highlighted fields first.</p> : null}
              </div>
            )}
          </div>
        )}
      </form>
    </FieldErrorsContext.Provider>
  );
}

"use client";

import Link from "next/link";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";

import { useSession } from "@/components/app/SessionProvider";
import { PageHeader } from "@/components/app/PageHeader";
import { Alert, Button, buttonClasses, Card, CardBody, EmptyState, Field, Select, Spinner, TextField } from "@/components/ui";
import { TemplateSendPicker } from "@/components/templates/TemplateSendPicker";
import { sandboxOrigin, useSignupInfo } from "@/components/whatsapp/signup";
import { sendMessage } from "@/lib/api/messages";
import { sendTemplate } from "@/lib/api/templates";
import type { Message, MessageSend, PhoneNumber } from "@/lib/api/types";
import { listAllNumbers } from "@/lib/api/whatsapp";
import { toApiError, type FieldErrors } from "@/lib/apiClient";
import { whatsappKeys } from "@/lib/query/keys";
import { buildMessage, buildSendBody, checkRecipient, normalizePhone, parseJsonObject, REQUEST_FIELDS, type WhatsAppMessage } from "./build";
import { checkMessage } from "./checks";
import { FieldErrorsContext, TextArea, TextInput, Checkbox } from "./controls";
import { ContactEditor, LocationInputs, MediaEditor, ReactionEditor, TextEditor } from "./editors/basic";
import { ButtonsEditor, CarouselEditor, CtaEditor, FlowEditor, InteractiveCommonEditor, ListEditor } from "./editors/interactive";
import { TemplateEditor } from "./editors/template";
import { mapFieldErrors, mergeErrors } from "./errors";
import { MessagePreview } from "./MessagePreview";
import { initialComposerState, isMediaKind, KIND_GROUPS, type ComposerKind, type ComposerState } from "./model";
import { SendResult } from "./SendResult";

type NumbersState = { status: "loading" } | { status: "ready"; numbers: PhoneNumber[] } | { status: "failed"; message: string };

function useNumbers(): NumbersState {
  const { data, error } = useQuery({ queryKey: whatsappKeys.allNumbers(), queryFn: listAllNumbers });
  if (error) return { status: "failed", message: toApiError(error).message };
  return data ? { status: "ready", numbers: data } : { status: "loading" };
}

function numberLabel(number: PhoneNumber): string {
  return `${number.display_phone_number || number.phone_number_id}${number.verified_name ? ` · ${number.verified_name}` : ""}`;
}

/** A label over a value that can't be edited here, with room for the server's error about it. */
function StaticField({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <div>
      <p className="mb-1.5 text-sm font-medium text-slate-800">{label}</p>
      <p className="flex min-h-10 items-center text-sm text-slate-700">{children}</p>
      {error ? <p className="mt-1.5 text-sm text-red-700">{error}</p> : null}
    </div>
  );
}

function KindSelect({ value, onChange, error }: { value: ComposerKind; onChange: (kind: ComposerKind) => void; error?: string }) {
  return (
    <Field label="Message type" error={error}>
      {(control) => (
        <Select {...control} value={value} onChange={(event) => onChange(event.target.value as ComposerKind)}>
          {KIND_GROUPS.map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.kinds.map((kind) => (
                <option key={kind.value} value={kind.value}>
                  {kind.label}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
      )}
    </Field>
  );
}

/** The editor for the chosen type; every slice of the form state keeps its values across switches. */
function MessageEditor({
  state,
  set,
  templatePicker,
}: {
  state: ComposerState;
  set: <K extends keyof ComposerState>(key: K, value: ComposerState[K]) => void;
  templatePicker?: ReactNode;
}) {
  const kind = state.kind;
  if (kind === "text") return <TextEditor value={state.text} onChange={(v) => set("text", v)} />;
  if (isMediaKind(kind)) return <MediaEditor kind={kind} value={state.media} onChange={(v) => set("media", v)} />;
  if (kind === "location") return <LocationInputs keyPrefix="location" value={state.location} onChange={(v) => set("location", v)} />;
  if (kind === "contacts") return <ContactEditor value={state.contact} onChange={(v) => set("contact", v)} />;
  if (kind === "reaction") return <ReactionEditor value={state.reaction} onChange={(v) => set("reaction", v)} />;
  if (kind === "template") return <TemplateEditor value={state.template} onChange={(v) => set("template", v)} picker={templatePicker} />;
  return (
    <div className="space-y-5">
      <InteractiveCommonEditor kind={kind} value={state.interactive} onChange={(v) => set("interactive", v)} />
      {kind === "button" ? <ButtonsEditor value={state.buttons} onChange={(v) => set("buttons", v)} /> : null}
      {kind === "list" ? <ListEditor value={state.list} onChange={(v) => set("list", v)} /> : null}
      {kind === "cta_url" ? <CtaEditor value={state.cta} onChange={(v) => set("cta", v)} /> : null}
      {kind === "carousel" ? <CarouselEditor value={state.carousel} onChange={(v) => set("carousel", v)} /> : null}
      {kind === "flow" ? <FlowEditor value={state.flow} onChange={(v) => set("flow", v)} /> : null}
      {kind === "location_request" ? <p className="text-sm text-slate-500">The customer gets a “Send location” button under your text.</p> : null}
    </div>
  );
}

/**
 * /messages/new: pick the sending number, the recipient and a message type, fill in the form (or edit
 * the JSON), watch the preview, send. Field errors from the browser's checks and from the server are
 * both keyed by Meta path and shown next to the input that produced the path.
 */
export interface ComposerProps {
  /** Prefills from the URL (/messages/new?from=&to=&reply_to=), e.g. from a number's card or a message. */
  initialFrom?: string;
  initialTo?: string;
  initialReplyTo?: string;
}

export function Composer({ initialFrom = "", initialTo = "", initialReplyTo = "" }: ComposerProps) {
  const { user } = useSession();
  const numbers = useNumbers();
  const signup = useSignupInfo(user.capabilities.manage_settings);
  const sandbox = signup.status === "ready" ? sandboxOrigin(signup.info) : null;

  const [state, setState] = useState<ComposerState>(() => ({ ...initialComposerState(), replyTo: initialReplyTo }));
  const [to, setTo] = useState(initialTo);
  const [chosenNumber, setChosenNumber] = useState(initialFrom);
  const [jsonMode, setJsonMode] = useState(false);
  const [jsonText, setJsonText] = useState("");
  const [attempted, setAttempted] = useState(false);
  const send = useMutation({ mutationFn: (body: MessageSend) => sendMessage(body), onSuccess: () => setAttempted(false) });
  const serverError = send.error ? toApiError(send.error) : null;
  // A template sent through its mapping dialog (POST /api/messages/template/) shows the same result.
  const [templateSent, setTemplateSent] = useState<Message | null>(null);
  const sent = templateSent ?? send.data ?? null;
  const formRef = useRef<HTMLFormElement>(null);

  const set = <K extends keyof ComposerState>(key: K, value: ComposerState[K]) => setState((s) => ({ ...s, [key]: value }));

  const numberList = numbers.status === "ready" ? numbers.numbers : [];
  // The number asked for in the URL only if this business has it; else the first one.
  const phoneNumberId = numberList.find((n) => n.phone_number_id === chosenNumber)?.phone_number_id ?? numberList[0]?.phone_number_id ?? "";
  const sender = numberList.find((n) => n.phone_number_id === phoneNumberId);

  const built = useMemo(() => buildMessage(state), [state]);
  const jsonMessage = useMemo(() => (jsonMode ? (parseJsonObject(jsonText) as WhatsAppMessage | undefined) : undefined), [jsonMode, jsonText]);
  const message: WhatsAppMessage | undefined = jsonMode ? jsonMessage : built.message;

  // Browser checks show once a send was tried; server errors stay until the next send.
  const clientErrors: FieldErrors = useMemo(() => {
    if (!attempted) return {};
    const errors: FieldErrors = jsonMode ? {} : checkMessage(message);
    const recipient = checkRecipient(to);
    if (recipient) errors.to = [recipient];
    return errors;
  }, [attempted, jsonMode, message, to]);
  const fields = jsonMode ? REQUEST_FIELDS : { ...built.fields, ...REQUEST_FIELDS };
  const mapped = mapFieldErrors(mergeErrors(clientErrors, serverError?.fieldErrors ?? {}), fields);
  const byField = { ...mapped.byField };
  if (!jsonMode && attempted) for (const [key, text] of Object.entries(built.formErrors)) byField[key] = [...(byField[key] ?? []), text];
  const general = [...mapped.general];
  if (serverError && Object.keys(serverError.fieldErrors).length === 0) general.unshift(serverError.message);
  const jsonProblem = jsonMode && jsonMessage === undefined ? "The JSON must be one object, like {\"type\": \"text\", \"text\": {\"body\": \"Hi\"}}." : null;

  function toggleJson(on: boolean) {
    if (on) setJsonText(JSON.stringify(built.message, null, 2));
    setJsonMode(on);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAttempted(true);
    const blocking =
      Boolean(checkRecipient(to)) ||
      (jsonMode ? jsonMessage === undefined : Object.keys(checkMessage(built.message)).length > 0 || Object.keys(built.formErrors).length > 0);
    if (blocking || !message) {
      // After React paints the errors, take the person to the first one.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());
      return;
    }
    send.reset();
    setTemplateSent(null);
    await send.mutateAsync(buildSendBody(message, to, phoneNumberId || undefined)).catch(() => {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());
    });
  }

  const header = (
    <PageHeader
      title="New message"
      description="Send any WhatsApp message type to one phone number."
      actions={
        <Link href="/messages" className={buttonClasses("secondary", "sm")}>
          Recent messages
        </Link>
      }
    />
  );

  if (numbers.status === "loading") {
    return (
      <>
        {header}
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading your WhatsApp numbers…
        </p>
      </>
    );
  }
  if (numbers.status === "failed") {
    return (
      <>
        {header}
        <Alert>{numbers.message}</Alert>
      </>
    );
  }
  if (numberList.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          title="No WhatsApp number yet"
          description="Messages are sent from one of your business's WhatsApp numbers. Connect one first."
          action={
            <Link href="/settings#whatsapp" className={buttonClasses("primary")}>
              Connect a number
            </Link>
          }
        />
      </>
    );
  }

  return (
    <>
      {header}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem] xl:grid-cols-[minmax(0,1fr)_22rem]">
        <FieldErrorsContext.Provider value={byField}>
          <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Compose a WhatsApp message" className="min-w-0 space-y-6">
            {general.length > 0 ? (
              <Alert>
                {general.length === 1 ? (
                  general[0]
                ) : (
                  <ul className="list-disc space-y-0.5 pl-4">
                    {general.map((text, i) => (
                      <li key={i}>{text}</li>
                    ))}
                  </ul>
                )}
              </Alert>
            ) : null}

            <Card>
              <CardBody className="grid gap-4 sm:grid-cols-2">
                {numberList.length > 1 ? (
                  <Field label="From" error={byField.phone_number_id?.join(" ")}>
                    {(control) => (
                      <Select {...control} value={phoneNumberId} onChange={(event) => setChosenNumber(event.target.value)}>
                        {numberList.map((n) => (
                          <option key={n.id} value={n.phone_number_id}>
                            {numberLabel(n)}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                ) : (
                  <StaticField label="From" error={byField.phone_number_id?.join(" ")}>
                    {sender ? numberLabel(sender) : phoneNumberId}
                  </StaticField>
                )}
                <TextField
                  label="To"
                  type="tel"
                  inputMode="tel"
                  autoComplete="off"
                  value={to}
                  onChange={(event) => setTo(event.target.value)}
                  error={byField.to?.join(" ")}
                  placeholder="+16505550101"
                  hint="International format with the country code."
                />
                {jsonMode ? (
                  <StaticField label="Message type" error={byField.type?.join(" ")}>
                    <span className="font-mono">{typeof jsonMessage?.type === "string" ? jsonMessage.type : "set in the JSON"}</span>
                  </StaticField>
                ) : (
                  <KindSelect value={state.kind} onChange={(kind) => set("kind", kind)} error={byField.type?.join(" ")} />
                )}
                {state.kind !== "reaction" && !jsonMode ? (
                  <TextInput
                    label="Reply to (optional)"
                    errorKey="context.message_id"
                    value={state.replyTo}
                    onChange={(replyTo) => set("replyTo", replyTo)}
                    placeholder="wamid.…"
                    hint="Quote an earlier message by its wamid."
                  />
                ) : null}
              </CardBody>
            </Card>

            <Card>
              <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-3">
                <h2 className="text-base font-semibold text-slate-900">{jsonMode ? "Message JSON" : "Content"}</h2>
                <Checkbox label="Edit JSON" checked={jsonMode} onChange={toggleJson} />
              </div>
              <CardBody>
                {jsonMode ? (
                  <div className="space-y-2">
                    <label htmlFor="composer-json" className="sr-only">
                      Message object (JSON)
                    </label>
                    <TextArea
                      id="composer-json"
                      rows={18}
                      spellCheck={false}
                      value={jsonText}
                      onChange={(event) => setJsonText(event.target.value)}
                      invalid={Boolean(jsonProblem && attempted)}
                      className="font-mono text-xs"
                    />
                    {jsonProblem ? <p className="text-sm text-red-700">{jsonProblem}</p> : null}
                    <p className="text-sm text-slate-500">
                      Meta&apos;s message object, sent exactly as written (with To and From above); the server checks it. Switching back to
                      the form drops these edits.
                    </p>
                  </div>
                ) : (
                  <MessageEditor
                    state={state}
                    set={set}
                    templatePicker={
                      <TemplateSendPicker
                        to={normalizePhone(to)}
                        recipientLabel={to}
                        businessName={sender?.verified_name || user.tenant.name}
                        blocked={checkRecipient(to) ?? null}
                        onSend={(template, parameters) =>
                          sendTemplate({ template_id: template.id, to: normalizePhone(to), phone_number_id: phoneNumberId || undefined, parameters })
                        }
                        onSent={(message) => {
                          send.reset();
                          setTemplateSent(message);
                        }}
                      />
                    }
                  />
                )}
              </CardBody>
            </Card>

            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" loading={send.isPending}>
                Send message
              </Button>
              {attempted && Object.keys(byField).length > 0 ? <p className="text-sm text-red-700">Fix the highlighted fields first.</p> : null}
            </div>
          </form>
        </FieldErrorsContext.Provider>

        {/* min-w-0: the carousel strip scrolls inside the phone instead of widening the column. */}
        <div className="min-w-0 space-y-4 lg:sticky lg:top-6 lg:self-start">
          <MessagePreview
            message={message ?? {}}
            templateText={!jsonMode && state.kind === "template" ? state.template.previewText : undefined}
            businessName={sender?.verified_name || user.tenant.name}
          />
          {sent ? <SendResult key={sent.id} initial={sent} sandboxOrigin={sandbox} /> : null}
        </div>
      </div>
    </>
  );
}

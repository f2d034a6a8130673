"use client";

/**
 * One message of a thread as WhatsApp shows it: the customer's on the left in white, ours on the right
 * in green, with the time and (ours) the delivery ticks. `payload` is Meta's message object, inbound
 * (as the webhook delivered it) or outbound (as we sent it), so it is read loosely.
 */
import { useState, type ReactNode } from "react";

import { formatWhatsApp } from "@/components/composer/MessagePreview";
import { StatusTicks } from "@/components/composer/StatusTicks";
import { cx } from "@/components/ui";
import type { Message } from "@/lib/api/types";
import { AUTOMATION_LABELS, clockTime } from "./format";

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");

const MEDIA_WORDS: Record<string, [string, string]> = {
  image: ["🖼", "Photo"],
  video: ["▶", "Video"],
  audio: ["🎵", "Audio"],
  document: ["📄", "Document"],
  sticker: ["🙂", "Sticker"],
};

function Text({ children, className }: { children: string; className?: string }) {
  return <p className={cx("whitespace-pre-wrap break-words", className)}>{formatWhatsApp(children)}</p>;
}

function Chip({ icon, children }: { icon: string; children: ReactNode }) {
  return (
    <p className="flex items-center gap-1.5 rounded-md bg-black/5 px-2 py-1.5 text-[13px]">
      <span aria-hidden="true">{icon}</span>
      <span className="min-w-0 break-words">{children}</span>
    </p>
  );
}

function Buttons({ labels }: { labels: string[] }) {
  if (labels.length === 0) return null;
  return (
    <ul aria-label="Buttons" className="mt-1 grid gap-0.5 border-t border-slate-900/10 pt-1">
      {labels.map((label, i) => (
        <li key={i} className="text-center text-[13px] font-medium text-[#027eb5]">
          {label}
        </li>
      ))}
    </ul>
  );
}

/**
 * A customer's file, downloaded by the backend and served at /api/messages/{id}/media/ (409 while it is
 * still on its way): pictures and players inline, anything else as a download. Until it is there, or
 * if it never comes, the chip says what it is.
 */
function StoredMedia({ messageId, type, label, fallback }: { messageId: string; type: string; label: string; fallback: ReactNode }) {
  const [failed, setFailed] = useState(false);
  const src = `/api/messages/${messageId}/media/`;
  if (failed) return <>{fallback}</>;
  if (type === "image" || type === "sticker") {
    // A private, per-member file from our API: nothing for next/image to optimise.
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={src} alt={label} loading="lazy" onError={() => setFailed(true)} className={cx("rounded-md", type === "sticker" ? "size-32" : "max-h-72")} />;
  }
  if (type === "video") {
    return <video controls preload="metadata" src={src} onError={() => setFailed(true)} aria-label={label} className="max-h-72 rounded-md" />;
  }
  if (type === "audio") {
    return <audio controls preload="metadata" src={src} onError={() => setFailed(true)} aria-label={label} className="w-64" />;
  }
  return (
    <>
      {fallback}
      <a href={src} download className="mt-1 block text-[13px] font-medium text-[#027eb5] hover:underline">
        Download<span className="sr-only"> {label}</span>
      </a>
    </>
  );
}

function Media({ type, media, storedId }: { type: string; media: Obj; storedId?: string }) {
  const [icon, word] = MEDIA_WORDS[type] ?? ["📎", type];
  const name = str(media.filename) || (type === "audio" && media.voice ? "Voice message" : word);
  const chip = <Chip icon={icon}>{name}</Chip>;
  return (
    <>
      {storedId ? <StoredMedia messageId={storedId} type={type} label={str(media.caption) || name} fallback={chip} /> : chip}
      {str(media.caption) ? <Text className="pt-1">{str(media.caption)}</Text> : null}
    </>
  );
}

function Interactive({ value, outbound }: { value: Obj; outbound: boolean }) {
  const type = str(value.type);
  // The customer's answer to our buttons or list.
  if (type === "button_reply" || type === "list_reply") {
    const reply = obj(value[type]);
    return (
      <>
        <Chip icon="↩">{str(reply.title) || str(reply.id)}</Chip>
        {str(reply.description) ? <p className="pt-0.5 text-[12px] text-slate-500">{str(reply.description)}</p> : null}
      </>
    );
  }
  if (type === "nfm_reply") return <Chip icon="▤">Form answers sent</Chip>;
  const header = obj(value.header);
  const action = obj(value.action);
  const params = obj(action.parameters);
  const labels =
    type === "button"
      ? arr(action.buttons).map((b) => str(obj(obj(b).reply).title))
      : type === "list"
        ? [`☰ ${str(action.button)}`]
        : type === "cta_url"
          ? [`↗ ${str(params.display_text)}`]
          : type === "flow"
            ? [str(params.flow_cta)]
            : type === "location_request_message"
              ? ["📍 Send location"]
              : [];
  return (
    <>
      {str(header.type) === "text" ? <p className="font-semibold">{str(header.text)}</p> : null}
      {str(header.type) && str(header.type) !== "text" ? <Media type={str(header.type)} media={obj(header[str(header.type)])} /> : null}
      {str(obj(value.body).text) ? <Text>{str(obj(value.body).text)}</Text> : null}
      {str(obj(value.footer).text) ? <p className="text-[12px] text-slate-500">{str(obj(value.footer).text)}</p> : null}
      {outbound ? <Buttons labels={labels} /> : null}
      {type === "carousel" ? <p className="text-[12px] text-slate-500">{arr(action.cards).length} cards</p> : null}
    </>
  );
}

function Template({ template }: { template: Obj }) {
  const language = str(obj(template.language).code) || str(template.language);
  const body = arr(template.components)
    .map(obj)
    .find((c) => str(c.type).toLowerCase() === "body");
  const values = arr(body?.parameters)
    .map((p) => str(obj(p).text))
    .filter(Boolean);
  return (
    <>
      <p className="text-[12px] text-slate-500">
        Template <span className="font-mono">{str(template.name)}</span>
        {language ? ` · ${language}` : ""}
      </p>
      {values.length > 0 ? <p className="text-[13px]">{values.join(" · ")}</p> : null}
    </>
  );
}

/** The readable content of a message; `quoted` finds the message a reply or reaction points at. */
export function MessageContent({ message }: { message: Message }) {
  const payload = obj(message.payload);
  const type = message.type || str(payload.type);
  const value = payload[type];
  const outbound = message.direction === "out";
  switch (type) {
    case "text":
      return <Text>{str(obj(value).body)}</Text>;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      // Only a customer's files are kept by the backend; ours were sent by link or media id.
      return <Media type={type} media={obj(value)} storedId={outbound ? undefined : message.id} />;
    case "location": {
      const l = obj(value);
      return (
        <Chip icon="📍">
          {str(l.name) || "Location"}
          {str(l.address) ? ` · ${str(l.address)}` : ""}
          <span className="block text-[11px] text-slate-500">
            {str(l.latitude)}, {str(l.longitude)}
          </span>
        </Chip>
      );
    }
    case "contacts":
      return (
        <>
          {arr(value).map((card, i) => {
            const c = obj(card);
            return (
              <Chip key={i} icon="👤">
                {str(obj(c.name).formatted_name) || "Contact"}
                {arr(c.phones).map((p, n) => (
                  <span key={n} className="block text-[12px] text-slate-500">
                    {str(obj(p).phone)}
                  </span>
                ))}
              </Chip>
            );
          })}
        </>
      );
    case "interactive":
      return <Interactive value={obj(value)} outbound={outbound} />;
    case "button":
      // A tap on a template's quick-reply button.
      return <Chip icon="↩">{str(obj(value).text) || str(obj(value).payload)}</Chip>;
    case "template":
      return <Template template={obj(value)} />;
    case "reaction": {
      const emoji = str(obj(value).emoji);
      return <p className="text-[13px] text-slate-600">{emoji ? `Reacted ${emoji}` : "Removed a reaction"}</p>;
    }
    case "order":
      return <Chip icon="🛒">Order with {arr(obj(value).product_items).length} items</Chip>;
    default:
      return <p className="text-[13px] italic text-slate-500">This message type ({type || "unknown"}) can&apos;t be shown here.</p>;
  }
}

/** The id of the message this one replies or reacts to (a wamid). */
export function quotedWamid(message: Message): string {
  const payload = obj(message.payload);
  if (message.type === "reaction") return str(obj(payload.reaction).message_id);
  const context = obj(payload.context);
  return str(context.id) || str(context.message_id);
}

/** A one-line excerpt of a message, for quotes. */
export function excerpt(message: Message): string {
  const payload = obj(message.payload);
  const value = obj(payload[message.type]);
  const text =
    str(value.body) ||
    str(value.caption) ||
    str(obj(value.body).text) ||
    str(obj(value.button_reply).title) ||
    str(obj(value.list_reply).title) ||
    str(value.text) ||
    str(value.name) ||
    message.type;
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function MessageBubble({ message, quoted }: { message: Message; quoted?: Message }) {
  const outbound = message.direction === "out";
  const failed = message.status === "failed";
  const automation = message.automation ? AUTOMATION_LABELS[message.automation] ?? message.automation : "";
  const time = message.created_at;
  return (
    <li className={cx("flex flex-col", outbound ? "items-end" : "items-start")} data-testid="thread-message" data-direction={message.direction}>
      {automation ? (
        <p className="mb-0.5 px-1 text-[11px] font-medium text-slate-500" title={automation}>
          Automatic reply · {automation}
        </p>
      ) : null}
      <div
        className={cx(
          "w-fit max-w-[85%] rounded-lg px-2 pb-1 pt-1.5 text-[14px] leading-snug text-[#111b21] shadow-sm",
          outbound ? "rounded-tr-none bg-[#d9fdd3]" : "rounded-tl-none bg-white",
          failed && "ring-1 ring-red-300",
        )}
      >
        {quoted && message.type !== "reaction" ? (
          <p className="mb-1 rounded-md border-l-4 border-[#06cf9c] bg-black/5 px-2 py-1 text-[12px] text-slate-600">
            <span className="sr-only">Replying to: </span>
            {excerpt(quoted)}
          </p>
        ) : null}
        <MessageContent message={message} />
        {quoted && message.type === "reaction" ? <p className="text-[12px] text-slate-500">to “{excerpt(quoted)}”</p> : null}
        <p className="flex items-center justify-end gap-1 pt-0.5 text-[11px] text-slate-500">
          <time dateTime={time}>{clockTime(time)}</time>
          {outbound ? <StatusTicks status={message.status} className="h-3 w-4" /> : null}
        </p>
      </div>
      {failed ? (
        <div role="note" aria-label="Why it failed" className="mt-0.5 max-w-[85%] px-1 text-right text-[12px] text-red-700">
          <p className="font-medium">
            Not delivered{message.error_title ? `: ${message.error_title}` : ""}
            {message.error_code ? ` (${message.error_code})` : ""}
          </p>
          {message.error_details ? <p>{message.error_details}</p> : null}
        </div>
      ) : null}
    </li>
  );
}

"use client";

/**
 * A WhatsApp-style rendering of Meta's message object: the outgoing bubble on the chat wallpaper, with
 * reply buttons under it, a list's button opening its sheet, carousel cards scrolling sideways. It
 * reads the object loosely (it also renders hand-edited JSON) and loads nothing: media are placeholders.
 */
import { useState, type ReactNode } from "react";

import { cx } from "@/components/ui";
import { StatusTicks } from "./StatusTicks";

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");

export interface MessagePreviewProps {
  message: unknown;
  /** The approved template's body text ("Hi {{1}}"), to show a template with its parameters filled in. */
  templateText?: string;
  businessName?: string;
  /** Shown beside the time in the bubble; a draft shows none. */
  status?: string;
  className?: string;
}

// --- small parts --------------------------------------------------------------------------------

function Bubble({ children, status, className }: { children: ReactNode; status?: string; className?: string }) {
  return (
    <div
      data-testid="preview-bubble"
      className={cx("relative ml-auto w-fit max-w-[88%] rounded-lg rounded-tr-none bg-[#d9fdd3] p-1 text-[14px] leading-snug text-[#111b21] shadow-sm", className)}
    >
      {children}
      <div className="flex items-center justify-end gap-1 px-1.5 pb-0.5 text-[11px] text-slate-500">
        <span>12:00</span>
        {status ? <StatusTicks status={status} className="h-3 w-4" /> : null}
      </div>
    </div>
  );
}

// WhatsApp's inline formatting: *bold*, _italic_, ~strike~, ```monospace``` (not nested, within a line).
const FORMAT = /```([^`]+)```|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~/g;

/** Text with WhatsApp's formatting marks turned into bold, italic, strike-through and monospace. */
export function formatWhatsApp(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(FORMAT)) {
    const at = match.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const [, mono, bold, italic, strike] = match;
    const key = out.length;
    if (mono !== undefined) out.push(<code key={key} className="font-mono text-[13px]">{mono}</code>);
    else if (bold !== undefined) out.push(<strong key={key}>{bold}</strong>);
    else if (italic !== undefined) out.push(<em key={key}>{italic}</em>);
    else out.push(<s key={key}>{strike}</s>);
    last = at + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function Body({ children, className }: { children: ReactNode; className?: string }) {
  const content = typeof children === "string" ? formatWhatsApp(children) : children;
  return <p className={cx("whitespace-pre-wrap break-words px-1.5 pt-1", className)}>{content}</p>;
}

function MediaBox({ kind, source, tall }: { kind: string; source: Obj; tall?: boolean }) {
  const where = source.id ? `media id ${str(source.id)}` : hostOf(str(source.link));
  const icon = kind === "video" ? "▶" : kind === "document" ? "📄" : kind === "audio" ? "🎵" : kind === "location" ? "📍" : "🖼";
  return (
    <div
      data-testid="preview-media"
      className={cx("grid min-w-48 place-items-center rounded-md bg-slate-300/80 text-center text-slate-600", tall ? "aspect-[4/3]" : "aspect-video")}
    >
      <span>
        <span aria-hidden="true" className="block text-3xl">
          {icon}
        </span>
        <span className="block text-xs font-medium capitalize">{kind}</span>
        {where ? <span className="block max-w-44 truncate px-2 text-[11px]">{where}</span> : null}
      </span>
    </div>
  );
}

function hostOf(link: string): string {
  try {
    return new URL(link).host;
  } catch {
    return link;
  }
}

/** WhatsApp's buttons under a bubble: white pills, one per line, in the link colour. */
function ButtonsUnder({ labels, icon = "↩" }: { labels: string[]; icon?: string }) {
  if (labels.length === 0) return null;
  return (
    <div className="ml-auto mt-0.5 grid w-[88%] max-w-72 gap-0.5" data-testid="preview-buttons">
      {labels.map((label, i) => (
        <div key={i} className="flex items-center justify-center gap-1.5 rounded-lg bg-white px-3 py-2 text-center text-[14px] font-medium text-[#027eb5] shadow-sm">
          <span aria-hidden="true">{icon}</span>
          <span className="truncate">{label || "…"}</span>
        </div>
      ))}
    </div>
  );
}

/** A button inside the bubble, under a hairline (CTA URL, flow, location request). */
function InlineButton({ icon, label, onClick }: { icon: string; label: string; onClick?: () => void }) {
  const content = (
    <>
      <span aria-hidden="true">{icon}</span> {label || "…"}
    </>
  );
  const className = "mt-1 flex w-full items-center justify-center gap-1.5 border-t border-slate-900/10 px-2 py-2 text-[14px] font-medium text-[#027eb5]";
  return onClick ? (
    <button type="button" onClick={onClick} className={className}>
      {content}
    </button>
  ) : (
    <div className={className}>{content}</div>
  );
}

function Quote({ messageId }: { messageId: string }) {
  return (
    <div data-testid="preview-quote" className="mb-1 rounded-md border-l-4 border-[#06cf9c] bg-black/5 px-2 py-1 text-[12px]">
      <span className="block font-medium text-[#06cf9c]">Replying to</span>
      <span className="block max-w-56 truncate text-slate-600">{messageId || "…"}</span>
    </div>
  );
}

function InteractiveHeader({ header }: { header: Obj }) {
  const type = str(header.type);
  if (!type) return null;
  if (type === "text") return <p className="px-1.5 pt-1 font-semibold">{str(header.text)}</p>;
  return <MediaBox kind={type} source={obj(header[type])} />;
}

function Footer({ text }: { text: string }) {
  return text ? <p className="px-1.5 pt-0.5 text-[12px] text-slate-500">{text}</p> : null;
}

// --- types --------------------------------------------------------------------------------------

function LocationCard({ location }: { location: Obj }) {
  return (
    <div data-testid="preview-location" className="w-60">
      <div
        aria-hidden="true"
        className="grid aspect-[2/1] place-items-center rounded-md bg-[#dfe9d8] text-2xl"
        style={{
          backgroundImage:
            "linear-gradient(#c9d8c0 1px, transparent 1px), linear-gradient(90deg, #c9d8c0 1px, transparent 1px)",
          backgroundSize: "16px 16px",
        }}
      >
        📍
      </div>
      {str(location.name) ? <p className="px-1.5 pt-1 font-medium">{str(location.name)}</p> : null}
      {str(location.address) ? <p className="px-1.5 text-[12px] text-slate-600">{str(location.address)}</p> : null}
      <p className="px-1.5 text-[11px] text-slate-500">
        {str(location.latitude) || "?"}, {str(location.longitude) || "?"}
      </p>
    </div>
  );
}

function ContactCard({ card }: { card: Obj }) {
  const name = str(obj(card.name).formatted_name);
  const phone = str(obj(arr(card.phones)[0]).phone);
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part.charAt(0).toUpperCase())
      .join("") || "?";
  return (
    <div data-testid="preview-contact" className="w-60">
      <div className="flex items-center gap-3 px-1.5 py-2">
        <span aria-hidden="true" className="grid size-10 shrink-0 place-items-center rounded-full bg-slate-300 font-semibold text-white">
          {initials}
        </span>
        <span className="min-w-0">
          <span className="block truncate font-medium">{name || "Contact"}</span>
          {phone ? <span className="block truncate text-[12px] text-slate-600">{phone}</span> : null}
        </span>
      </div>
      <div className="grid grid-cols-2 border-t border-slate-900/10 text-center text-[14px] font-medium text-[#027eb5]">
        <span className="py-2">Message</span>
        <span className="border-l border-slate-900/10 py-2">Save contact</span>
      </div>
    </div>
  );
}

function ListSheet({ action, onClose }: { action: Obj; onClose: () => void }) {
  return (
    <div role="dialog" aria-label={str(action.button) || "List"} className="absolute inset-0 z-10 flex flex-col justify-end bg-black/30">
      <div className="max-h-[85%] overflow-y-auto rounded-t-2xl bg-white pb-3 shadow-lg">
        <div className="flex items-center gap-2 border-b border-slate-100 px-4 py-3">
          <button type="button" onClick={onClose} className="text-lg leading-none text-slate-500" aria-label="Close list">
            ×
          </button>
          <p className="flex-1 text-center font-semibold text-slate-900">{str(action.button) || "…"}</p>
        </div>
        {arr(action.sections).map((section, s) => {
          const sec = obj(section);
          return (
            <div key={s} className="px-4 pt-3">
              {str(sec.title) ? <p className="pb-1 text-[13px] font-medium text-[#008069]">{str(sec.title)}</p> : null}
              <ul>
                {arr(sec.rows).map((row, r) => {
                  const rowObj = obj(row);
                  return (
                    <li key={r} className="flex items-center justify-between gap-3 border-b border-slate-100 py-2">
                      <span>
                        <span className="block text-[14px] text-slate-900">{str(rowObj.title) || "…"}</span>
                        {str(rowObj.description) ? <span className="block text-[12px] text-slate-500">{str(rowObj.description)}</span> : null}
                      </span>
                      <span aria-hidden="true" className="size-4 shrink-0 rounded-full border-2 border-slate-400" />
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function Carousel({ body, action, status }: { body: string; action: Obj; status?: string }) {
  return (
    <>
      <Bubble status={status}>
        <Body>{body}</Body>
      </Bubble>
      <div data-testid="preview-carousel" className="-mx-3 mt-1 flex snap-x gap-2 overflow-x-auto px-3 pb-2">
        {arr(action.cards).map((card, i) => {
          const k = obj(card);
          const header = obj(k.header);
          const type = str(header.type) || "image";
          const params = obj(obj(k.action).parameters);
          return (
            <div key={i} data-testid="preview-card" className="w-52 shrink-0 snap-start rounded-lg bg-white p-1 shadow-sm">
              <MediaBox kind={type} source={obj(header[type])} tall />
              {str(obj(k.body).text) ? <Body className="text-[13px]">{str(obj(k.body).text)}</Body> : null}
              <InlineButton icon="↗" label={str(params.display_text)} />
            </div>
          );
        })}
      </div>
    </>
  );
}

/** "Hi {{1}}" / "Hi {{first_name}}" with the body parameters put in. */
export function fillTemplate(text: string, params: Obj[]): string {
  return text.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi, (whole, key: string) => {
    const found = /^\d+$/.test(key) ? params[Number(key) - 1] : params.find((p) => str(p.parameter_name) === key);
    if (!found) return whole;
    return str(found.text) || str(obj(found.currency).fallback_value) || str(obj(found.date_time).fallback_value) || whole;
  });
}

function Template({ template, templateText, status }: { template: Obj; templateText?: string; status?: string }) {
  const components = arr(template.components).map(obj);
  const header = components.find((c) => str(c.type).toLowerCase() === "header");
  const body = components.find((c) => str(c.type).toLowerCase() === "body");
  const buttons = components.filter((c) => str(c.type).toLowerCase() === "button");
  const headerParam = obj(arr(header?.parameters)[0]);
  const headerType = str(headerParam.type);
  const bodyParams = arr(body?.parameters).map(obj);
  const language = str(obj(template.language).code) || str(template.language);

  const quickReplies = buttons.filter((b) => str(b.sub_type) === "quick_reply");
  const inline = buttons.filter((b) => str(b.sub_type) !== "quick_reply");
  const param = (b: Obj) => {
    const p = obj(arr(b.parameters)[0]);
    return str(p[str(p.type)]);
  };

  return (
    <>
      <Bubble status={status}>
        {headerType === "text" ? <p className="px-1.5 pt-1 font-semibold">{str(headerParam.text)}</p> : null}
        {headerType === "location" ? <LocationCard location={obj(headerParam.location)} /> : null}
        {headerType && headerType !== "text" && headerType !== "location" ? <MediaBox kind={headerType} source={obj(headerParam[headerType])} /> : null}
        {templateText?.trim() ? (
          <Body>{fillTemplate(templateText, bodyParams)}</Body>
        ) : (
          <div className="px-1.5 pt-1">
            <p className="text-[12px] text-slate-500">
              Template <span className="font-mono">{str(template.name) || "…"}</span>
              {language ? ` · ${language}` : ""}
            </p>
            {bodyParams.length > 0 ? (
              <ul className="mt-1 text-[13px]">
                {bodyParams.map((p, i) => (
                  <li key={i}>
                    <span className="font-mono text-slate-500">{`{{${str(p.parameter_name) || i + 1}}}`}</span> {str(p.text)}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        )}
        {inline.map((b, i) =>
          str(b.sub_type) === "copy_code" ? (
            <InlineButton key={i} icon="⧉" label={`Copy code ${param(b)}`} />
          ) : (
            <InlineButton key={i} icon="↗" label={str(b.sub_type) === "url" ? `Link …/${param(b)}` : str(b.sub_type)} />
          ),
        )}
      </Bubble>
      <ButtonsUnder labels={quickReplies.map((b) => `Quick reply · ${param(b)}`)} />
    </>
  );
}

function Interactive({ value, status, onOpenList }: { value: Obj; status?: string; onOpenList: () => void }) {
  const type = str(value.type);
  const body = str(obj(value.body).text);
  const footer = str(obj(value.footer).text);
  const action = obj(value.action);
  if (type === "carousel") return <Carousel body={body} action={action} status={status} />;
  const params = obj(action.parameters);
  return (
    <>
      <Bubble status={status}>
        <InteractiveHeader header={obj(value.header)} />
        <Body>{body || <span className="text-slate-400">Body text</span>}</Body>
        <Footer text={footer} />
        {type === "list" ? <InlineButton icon="☰" label={str(action.button)} onClick={onOpenList} /> : null}
        {type === "cta_url" ? <InlineButton icon="↗" label={str(params.display_text)} /> : null}
        {type === "flow" ? <InlineButton icon="▤" label={str(params.flow_cta)} /> : null}
        {type === "location_request_message" ? <InlineButton icon="📍" label="Send location" /> : null}
      </Bubble>
      {type === "button" ? <ButtonsUnder labels={arr(action.buttons).map((b) => str(obj(obj(b).reply).title))} /> : null}
    </>
  );
}

function Content({ message, templateText, status, onOpenList }: { message: Obj; templateText?: string; status?: string; onOpenList: () => void }) {
  const type = str(message.type);
  const value = message[type];
  const quote = message.context ? <Quote messageId={str(obj(message.context).message_id)} /> : null;

  switch (type) {
    case "text": {
      const text = obj(value);
      const link = str(text.body).match(/https?:\/\/\S+/)?.[0];
      return (
        <Bubble status={status}>
          {quote}
          {text.preview_url && link ? (
            <div data-testid="preview-link" className="mb-1 rounded-md bg-black/5 px-2 py-1.5 text-[12px]">
              <span className="block font-medium">{hostOf(link)}</span>
              <span className="block text-slate-500">Link preview</span>
            </div>
          ) : null}
          <Body>{str(text.body) || <span className="text-slate-400">Your message</span>}</Body>
        </Bubble>
      );
    }
    case "image":
    case "video":
    case "audio":
    case "document": {
      const m = obj(value);
      return (
        <Bubble status={status}>
          {quote}
          {type === "document" ? (
            <div className="flex w-60 items-center gap-2 rounded-md bg-black/5 px-2 py-2">
              <span aria-hidden="true" className="text-2xl">
                📄
              </span>
              <span className="min-w-0">
                <span className="block truncate text-[13px] font-medium">{str(m.filename) || "Document"}</span>
                <span className="block truncate text-[11px] text-slate-500">{m.id ? `media id ${str(m.id)}` : hostOf(str(m.link))}</span>
              </span>
            </div>
          ) : type === "audio" ? (
            <div className="flex w-60 items-center gap-2 px-1.5 py-2" data-testid="preview-media">
              <span aria-hidden="true">▶</span>
              <span className="h-1 flex-1 rounded bg-slate-400" />
              <span className="text-[11px] text-slate-500">{m.voice ? "Voice note" : "Audio"}</span>
            </div>
          ) : (
            <MediaBox kind={type} source={m} />
          )}
          {str(m.caption) ? <Body>{str(m.caption)}</Body> : null}
        </Bubble>
      );
    }
    case "sticker":
      return (
        <div className="ml-auto w-fit" data-testid="preview-sticker">
          {quote}
          <div className="grid size-32 place-items-center rounded-xl border-2 border-dashed border-slate-400/70 text-4xl" aria-label="Sticker">
            🙂
          </div>
        </div>
      );
    case "location":
      return (
        <Bubble status={status}>
          {quote}
          <LocationCard location={obj(value)} />
        </Bubble>
      );
    case "contacts":
      return (
        <Bubble status={status}>
          {quote}
          {arr(value).map((card, i) => (
            <ContactCard key={i} card={obj(card)} />
          ))}
        </Bubble>
      );
    case "reaction": {
      const r = obj(value);
      return (
        <div className="ml-auto w-fit max-w-[88%]" data-testid="preview-reaction">
          <div className="rounded-lg bg-white/70 px-3 py-2 text-[13px] text-slate-500 shadow-sm">
            Message <span className="font-mono">{str(r.message_id) || "…"}</span>
          </div>
          <span className="relative -mt-2 ml-2 inline-block rounded-full bg-white px-1.5 text-lg shadow">{str(r.emoji) || "∅"}</span>
          {!str(r.emoji) ? <p className="text-right text-[11px] text-slate-500">Removes the reaction</p> : null}
        </div>
      );
    }
    case "template":
      return (
        <>
          {quote ? <div className="ml-auto w-fit max-w-[88%]">{quote}</div> : null}
          <Template template={obj(value)} templateText={templateText} status={status} />
        </>
      );
    case "interactive":
      return (
        <>
          {quote ? <div className="ml-auto w-fit max-w-[88%]">{quote}</div> : null}
          <Interactive value={obj(value)} status={status} onOpenList={onOpenList} />
        </>
      );
    default:
      return <p className="rounded-lg bg-white/80 px-3 py-2 text-center text-[13px] text-slate-500">No preview for this message.</p>;
  }
}

export function MessagePreview({ message, templateText, businessName = "Your business", status, className }: MessagePreviewProps) {
  const [listOpen, setListOpen] = useState(false);
  const m = obj(message);
  const interactive = obj(m.interactive);
  const showSheet = listOpen && m.type === "interactive" && interactive.type === "list";

  return (
    <section aria-label="Message preview" className={cx("overflow-hidden rounded-[1.75rem] border-[6px] border-slate-800 bg-slate-800 shadow-lg", className)}>
      <div className="flex items-center gap-2 bg-[#008069] px-3 py-2 text-white">
        <span aria-hidden="true" className="grid size-8 place-items-center rounded-full bg-white/25 text-sm font-semibold">
          {businessName.charAt(0).toUpperCase()}
        </span>
        <span className="min-w-0">
          <span className="block truncate text-sm font-medium">{businessName}</span>
          <span className="block text-[11px] text-white/75">WhatsApp preview</span>
        </span>
      </div>
      <div
        className="relative min-h-[26rem] space-y-1 bg-[#efeae2] p-3"
        style={{ backgroundImage: "radial-gradient(rgba(0,0,0,0.035) 1px, transparent 1px)", backgroundSize: "12px 12px" }}
      >
        <p className="mx-auto mb-2 w-fit rounded-md bg-white/90 px-2 py-0.5 text-[11px] uppercase text-slate-500 shadow-sm">Today</p>
        <Content message={m} templateText={templateText} status={status} onOpenList={() => setListOpen(true)} />
        {showSheet ? <ListSheet action={obj(interactive.action)} onClose={() => setListOpen(false)} /> : null}
      </div>
    </section>
  );
}

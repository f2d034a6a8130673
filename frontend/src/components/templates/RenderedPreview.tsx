"use client";

/**
 * A template as the server's renderer made it (`rendered` of the preview endpoints), in a WhatsApp-style
 * phone: header (text, or a media / location placeholder), body with WhatsApp's formatting, footer,
 * buttons under the bubble, carousel cards. The renderer is the same one that builds the send payload,
 * so this is what the customer gets.
 */
import type { ReactNode } from "react";

import { formatWhatsApp } from "@/components/composer/MessagePreview";
import { cx, Spinner } from "@/components/ui";
import type { Rendered, RenderedButton } from "@/lib/api/templates";

type Obj = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");

const MEDIA_ICONS: Record<string, string> = { IMAGE: "🖼️", VIDEO: "🎬", DOCUMENT: "📄", LOCATION: "📍" };

function Header({ header, localMedia }: { header: Rendered["header"]; localMedia?: string }) {
  if (!header) return null;
  if (typeof header === "string") return <p className="px-1.5 pt-1 font-semibold">{formatWhatsApp(header)}</p>;
  const h = header as Obj;
  const format = (str(h.format) || str(h.type)).toUpperCase();
  if (format === "TEXT" || (!format && h.text)) return <p className="px-1.5 pt-1 font-semibold">{formatWhatsApp(str(h.text))}</p>;
  if (format === "IMAGE" && localMedia) {
    // A sample picked in the builder: show it (a blob: URL of the local file, nothing fetched).
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={localMedia} alt="Header image sample" className="max-h-48 w-full rounded-md object-cover" />;
  }
  const label = str(h.filename) || str(h.name) || str(h.address) || format.toLowerCase();
  return (
    <div data-testid="preview-header-media" className="grid aspect-[2/1] place-items-center rounded-md bg-[#dfe9d8] text-center text-2xl">
      <span>
        {MEDIA_ICONS[format] ?? "📎"}
        <span className="block text-[11px] text-slate-600">{label}</span>
      </span>
    </div>
  );
}

function buttonIcon(button: RenderedButton): string {
  const type = str(button.type).toUpperCase();
  if (type === "URL") return "↗";
  if (type === "PHONE_NUMBER") return "📞";
  if (type === "COPY_CODE") return "⧉";
  return "↩";
}

function Buttons({ buttons }: { buttons: RenderedButton[] }) {
  if (!buttons.length) return null;
  return (
    <div data-testid="preview-buttons" className="ml-auto mt-0.5 w-fit min-w-[60%] max-w-[88%] space-y-0.5">
      {buttons.map((button, i) => (
        <div key={i} className="rounded-lg bg-white px-3 py-1.5 text-center text-[13px] font-medium text-[#0a7cff] shadow-sm" title={str(button.url) || undefined}>
          <span aria-hidden="true">{buttonIcon(button)} </span>
          {str(button.text) || (str(button.type).toUpperCase() === "COPY_CODE" ? "Copy code" : "Button")}
          {button.url ? <span className="block truncate text-[10px] font-normal text-slate-500">{str(button.url)}</span> : null}
        </div>
      ))}
    </div>
  );
}

function Message({ rendered, localMedia }: { rendered: Rendered; localMedia?: string }) {
  return (
    <>
      <div
        data-testid="preview-bubble"
        className="relative ml-auto w-fit max-w-[88%] rounded-lg rounded-tr-none bg-[#d9fdd3] p-1 text-[14px] leading-snug text-[#111b21] shadow-sm"
      >
        <Header header={rendered.header} localMedia={localMedia} />
        {rendered.body ? (
          <p data-testid="preview-body" className="whitespace-pre-wrap break-words px-1.5 pt-1">
            {formatWhatsApp(rendered.body)}
          </p>
        ) : null}
        {rendered.footer ? <p className="px-1.5 pt-1 text-[12px] text-slate-500">{rendered.footer}</p> : null}
        <div className="px-1.5 pb-0.5 text-right text-[11px] text-slate-500">12:00</div>
      </div>
      <Buttons buttons={rendered.buttons ?? []} />
      {rendered.cards?.length ? (
        <div className="flex gap-2 overflow-x-auto pb-1">
          {rendered.cards.map((card, i) => (
            <div key={i} className="w-48 shrink-0 rounded-lg bg-white p-1 text-[13px] shadow-sm">
              <Header header={card.header} />
              {card.body ? <p className="px-1.5 pt-1">{formatWhatsApp(card.body)}</p> : null}
              <Buttons buttons={card.buttons ?? []} />
            </div>
          ))}
        </div>
      ) : null}
    </>
  );
}

export interface RenderedPreviewProps {
  rendered: Rendered | null | undefined;
  businessName?: string;
  /** A local sample (blob: URL) for an image header, shown instead of the placeholder. */
  localMedia?: string;
  loading?: boolean;
  /** Shown when there is nothing rendered yet. */
  empty?: ReactNode;
  className?: string;
}

export function RenderedPreview({ rendered, businessName = "Your business", localMedia, loading = false, empty, className }: RenderedPreviewProps) {
  return (
    <section aria-label="Template preview" className={cx("overflow-hidden rounded-[1.75rem] border-[6px] border-slate-800 bg-slate-800 shadow-lg", className)}>
      <div className="flex items-center gap-2 bg-[#008069] px-3 py-2 text-white">
        <span aria-hidden="true" className="grid size-8 place-items-center rounded-full bg-white/25 text-sm font-semibold">
          {businessName.charAt(0).toUpperCase()}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium">{businessName}</span>
          <span className="block text-[11px] text-white/75">WhatsApp preview</span>
        </span>
        {loading ? <Spinner /> : null}
      </div>
      <div
        className="relative min-h-[18rem] space-y-1 bg-[#efeae2] p-3"
        style={{ backgroundImage: "radial-gradient(rgba(0,0,0,0.035) 1px, transparent 1px)", backgroundSize: "12px 12px" }}
      >
        {rendered ? (
          <Message rendered={rendered} localMedia={localMedia} />
        ) : (
          <p className="rounded-lg bg-white/80 px-3 py-2 text-center text-[13px] text-slate-500">{empty ?? "Nothing to preview yet."}</p>
        )}
      </div>
    </section>
  );
}

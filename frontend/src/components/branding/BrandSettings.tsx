"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type CSSProperties, type FormEvent } from "react";

import { getBrand, LOGO_MAX_BYTES, LOGO_TYPES, removeLogo, updateBrand, uploadLogo } from "@/lib/api/brand";
import type { PartnerBrand } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { brandInitial, brandPaletteVars, isHexColor, safeLogoUrl } from "@/lib/brand";
import { brandingKeys } from "@/lib/query/keys";
import { Alert, Badge, Button, Card, CardBody, CardHeader, Field, Input, Spinner, TextField, cx } from "@/components/ui";
import { DomainsPanel } from "./DomainsPanel";

/** ConvoNest's own brand green (globals.css, --color-brand-700): what a blank colour means. */
export const DEFAULT_BRAND_COLOR = "#027a48";

export interface BrandSettingsProps {
  /** May change the brand and the console's domains: the console session's `capabilities.manage_brand`. */
  canManage: boolean;
  /** The reseller's own name: what the brand is called while its display name is blank. */
  resellerName?: string;
  /** Where a console domain's CNAME should point (the console's address); by default the address this page is on. */
  consoleAddress?: string;
}

/** "#1F8A70", "1f8a70" → "#1f8a70"; anything else as typed (the field then says what's wrong). */
function normaliseHex(text: string): string {
  const trimmed = text.trim();
  const withHash = trimmed.startsWith("#") ? trimmed : `#${trimmed}`;
  return isHexColor(withHash) ? withHash.toLowerCase() : trimmed;
}

/** What the brand will look like: its mark and name, and the app's brand colours in its shades. */
function BrandPreview({ name, color, logoUrl }: { name: string; color: string | null; logoUrl: string | null }) {
  const vars = brandPaletteVars(color ?? DEFAULT_BRAND_COLOR);
  return (
    <div
      role="group"
      aria-label="Preview"
      data-testid="brand-preview"
      style={vars as CSSProperties | undefined}
      className="space-y-4 rounded-xl border border-slate-200 bg-slate-50 p-4"
    >
      <div className="flex items-center gap-2 font-semibold text-slate-900">
        {logoUrl ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={logoUrl} alt={`${name} logo`} className="h-8 w-auto max-w-40 object-contain" />
        ) : (
          <span aria-hidden="true" className={cx("flex size-8 items-center justify-center rounded-[9px] text-white", color ? "bg-brand-700" : "bg-slate-700")}>
            {brandInitial(name)}
          </span>
        )}
        <span className="truncate text-lg tracking-tight">{name}</span>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <span className="inline-flex h-8 items-center rounded-lg bg-brand-700 px-3 text-sm font-medium text-white">Primary button</span>
        <Badge tone="brand">Badge</Badge>
        <span className="text-sm font-medium text-brand-700 underline">A link</span>
      </div>
      <div className="flex overflow-hidden rounded-md ring-1 ring-slate-200" aria-hidden="true">
        {(["bg-brand-50", "bg-brand-100", "bg-brand-200", "bg-brand-300", "bg-brand-400", "bg-brand-500", "bg-brand-600", "bg-brand-700", "bg-brand-800", "bg-brand-900"] as const).map(
          (shade) => (
            <span key={shade} className={cx("h-6 flex-1", shade)} />
          ),
        )}
      </div>
    </div>
  );
}

interface BrandFormProps {
  brand: PartnerBrand;
  canManage: boolean;
  resellerName?: string;
  logoUrl: string | null;
  onSaved: (brand: PartnerBrand) => void;
}

function BrandForm({ brand, canManage, resellerName, logoUrl, onSaved }: BrandFormProps) {
  const [displayName, setDisplayName] = useState(brand.display_name ?? "");
  const [colorText, setColorText] = useState(brand.primary_color ?? "");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  // A half-typed colour isn't an error yet: it is once the field is left or six digits are in.
  const [colorLeft, setColorLeft] = useState(false);
  const pickerId = useId();

  const color = colorText.trim() === "" ? null : normaliseHex(colorText);
  const colorInvalid = color !== null && !isHexColor(color);
  const name = displayName.trim() || resellerName || "Your brand";

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (colorInvalid) return;
    setPending(true);
    setError(null);
    setSaved(false);
    try {
      const fresh = await updateBrand({ display_name: displayName.trim(), primary_color: color ?? "" });
      setDisplayName(fresh.display_name ?? "");
      setColorText(fresh.primary_color ?? "");
      setSaved(true);
      onSaved(fresh);
    } catch (err) {
      setError(toApiError(err));
    }
    setPending(false);
  }

  const colorError =
    colorInvalid && (colorLeft || colorText.replace("#", "").trim().length >= 6) ? "Use a colour like #1f8a70." : error?.fieldError("primary_color");
  const nameError = error?.fieldError("display_name");
  const formError = error && !nameError && !error.fieldError("primary_color") ? (error.nonFieldErrors[0] ?? error.message) : null;

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Brand" className="grid gap-6 lg:grid-cols-[1fr_18rem]" noValidate>
      <div className="space-y-5">
        <TextField
          label="Display name"
          name="display_name"
          maxLength={100}
          placeholder={resellerName}
          value={displayName}
          disabled={!canManage}
          onChange={(event) => {
            setDisplayName(event.target.value);
            setSaved(false);
          }}
          error={nameError}
          hint={`Shown instead of ConvoNest: in page titles, next to your logo, on your console and your businesses' app.${resellerName ? ` Blank: ${resellerName}.` : ""}`}
        />
        <Field
          label="Primary colour"
          error={colorError}
          hint="Buttons, links and highlights. A light colour is darkened where text must stay readable. Blank: ConvoNest's green."
        >
          {(control) => (
            <div className="flex flex-wrap items-center gap-2">
              <input
                id={pickerId}
                type="color"
                aria-label="Pick the primary colour"
                value={color && !colorInvalid ? color : DEFAULT_BRAND_COLOR}
                disabled={!canManage}
                onChange={(event) => {
                  setColorText(event.target.value);
                  setSaved(false);
                }}
                className="h-10 w-14 cursor-pointer rounded-lg border border-slate-300 bg-white p-1 disabled:cursor-not-allowed"
              />
              <Input
                {...control}
                name="primary_color"
                className="w-32 font-mono"
                placeholder={DEFAULT_BRAND_COLOR}
                spellCheck={false}
                autoComplete="off"
                maxLength={7}
                value={colorText}
                disabled={!canManage}
                onBlur={() => setColorLeft(true)}
                onChange={(event) => {
                  setColorText(event.target.value);
                  setColorLeft(false);
                  setSaved(false);
                }}
              />
              {canManage && colorText ? (
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => {
                    setColorText("");
                    setSaved(false);
                  }}
                >
                  Use ConvoNest&apos;s colour
                </Button>
              ) : null}
            </div>
          )}
        </Field>
        {formError ? <Alert>{formError}</Alert> : null}
        {saved ? (
          <Alert tone="success">Saved. Your console and your businesses&apos; app wear it from their next page.</Alert>
        ) : null}
        {canManage ? (
          <Button type="submit" loading={pending} disabled={colorInvalid}>
            Save brand
          </Button>
        ) : null}
      </div>
      <BrandPreview name={name} color={color && !colorInvalid ? color : null} logoUrl={logoUrl} />
    </form>
  );
}

function LogoControl({ brand, canManage, logoUrl, onChanged }: { brand: PartnerBrand; canManage: boolean; logoUrl: string | null; onChanged: (brand: PartnerBrand) => void }) {
  const [busy, setBusy] = useState<"upload" | "remove" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const fieldId = useId();

  async function run(kind: "upload" | "remove", action: () => Promise<PartnerBrand>) {
    setBusy(kind);
    setError(null);
    try {
      onChanged(await action());
    } catch (err) {
      const apiError = toApiError(err);
      setError(apiError.fieldError("logo") ?? apiError.message);
    }
    setBusy(null);
    if (input.current) input.current.value = "";
  }

  function onFile(file: File | undefined) {
    if (!file) return;
    // The API checks the bytes; this only saves a round trip for the obvious cases.
    if (!(LOGO_TYPES as readonly string[]).includes(file.type)) {
      setError("Upload a PNG, JPEG or WebP image.");
      if (input.current) input.current.value = "";
      return;
    }
    if (file.size > LOGO_MAX_BYTES) {
      setError(`The logo must be at most ${LOGO_MAX_BYTES / 1024} KB.`);
      if (input.current) input.current.value = "";
      return;
    }
    void run("upload", () => uploadLogo(file));
  }

  const hasLogo = Boolean(brand.logo_url);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-4">
        <div className="flex h-16 w-40 items-center justify-center rounded-lg border border-dashed border-slate-300 bg-slate-50">
          {logoUrl ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img src={logoUrl} alt="Current logo" className="max-h-12 max-w-36 object-contain" />
          ) : (
            <span className="text-sm text-slate-500">No logo</span>
          )}
        </div>
        {canManage ? (
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={fieldId} className="sr-only">
              Logo file
            </label>
            <input
              ref={input}
              id={fieldId}
              type="file"
              accept={LOGO_TYPES.join(",")}
              className="sr-only"
              tabIndex={-1}
              aria-describedby={error ? `${fieldId}-error` : `${fieldId}-hint`}
              onChange={(event) => onFile(event.target.files?.[0])}
            />
            <Button variant="secondary" size="sm" loading={busy === "upload"} disabled={busy !== null} onClick={() => input.current?.click()}>
              {hasLogo ? "Replace logo" : "Upload logo"}
            </Button>
            {hasLogo ? (
              <Button variant="ghost" size="sm" className="text-red-700" loading={busy === "remove"} disabled={busy !== null} onClick={() => void run("remove", removeLogo)}>
                Remove logo
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
      {error ? (
        <p id={`${fieldId}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : (
        <p id={`${fieldId}-hint`} className="text-sm text-slate-500">
          PNG, JPEG or WebP, at most {LOGO_MAX_BYTES / 1024} KB. Shown about 32 pixels high, so a wide logo works best.
        </p>
      )}
    </div>
  );
}

/**
 * The partner console's Brand page: the white label the console and every business of the reseller wear (display
 * name, primary colour with a live preview, logo) and the console's own custom domains. Read-only without
 * `canManage` (support staff see it, admins change it).
 */
export function BrandSettings({ canManage, resellerName, consoleAddress }: BrandSettingsProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const brand = useQuery({ queryKey: brandingKeys.brand(), queryFn: getBrand });

  // The logo keeps its URL when it changes: the time of the answer tells the browser it is another image.
  const logoUrl = brand.data?.logo_url ? safeLogoUrl(`${brand.data.logo_url}?v=${brand.dataUpdatedAt}`) : null;

  const onChanged = (fresh: PartnerBrand) => {
    queryClient.setQueryData(brandingKeys.brand(), fresh);
    // The console itself wears the brand (the root layout reads it on the server): show it now.
    router.refresh();
  };

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title="Brand"
          description={
            canManage
              ? "Your console and every business you manage show this name, colour and logo instead of ConvoNest's."
              : "Your console and every business you manage show this name, colour and logo. Only your admins can change it."
          }
        />
        {brand.isPending ? (
          <p role="status" className="flex items-center gap-2 px-5 py-4 text-sm text-slate-500">
            <Spinner /> Loading your brand…
          </p>
        ) : brand.error ? (
          <CardBody>
            <Alert>{toApiError(brand.error).message}</Alert>
          </CardBody>
        ) : (
          <>
            <CardBody>
              <BrandForm brand={brand.data} canManage={canManage} resellerName={resellerName} logoUrl={logoUrl} onSaved={onChanged} />
            </CardBody>
            <div className="border-t border-slate-100 px-5 py-4">
              <h3 className="mb-3 text-sm font-semibold text-slate-900">Logo</h3>
              <LogoControl brand={brand.data} canManage={canManage} logoUrl={logoUrl} onChanged={onChanged} />
            </div>
          </>
        )}
      </Card>
      <DomainsPanel scope="console" canManage={canManage} target={consoleAddress} />
    </div>
  );
}

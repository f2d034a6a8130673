/**
 * The reseller's white label, on the partner console: name, colour and logo that its console and every business
 * of the reseller wear instead of ConvoNest's. Everyone on the console may read it; admins (`manage_brand`) change it.
 */
import { api, unwrap } from "@/lib/apiClient";
import type { PartnerBrand, PartnerBrandPatch, PartnerLogoUpload } from "./types";

/** PNG, JPEG or WebP, at most 256 KB: what the API accepts (it checks the bytes, this is only for the form). */
export const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export const LOGO_MAX_BYTES = 256 * 1024;

export async function getBrand(): Promise<PartnerBrand> {
  return unwrap(api.GET("/api/partners/brand/"));
}

/** 400 `errors.primary_color` for anything but #rrggbb; blank fields go back to the default. */
export async function updateBrand(patch: PartnerBrandPatch): Promise<PartnerBrand> {
  return unwrap(api.PATCH("/api/partners/brand/", { body: patch }));
}

/**
 * Uploads (replaces) the logo: a multipart PUT through the typed client (same refresh rule and errors). The schema
 * types the binary field as a string, so the body names the field and the serializer puts the file in the form.
 * 400 `errors.logo` for another type or a larger file.
 */
export async function uploadLogo(file: File): Promise<PartnerBrand> {
  const body = { logo: file } as unknown as PartnerLogoUpload;
  return unwrap(
    api.PUT("/api/partners/brand/logo/", {
      body,
      bodySerializer: () => {
        const form = new FormData();
        form.append("logo", file);
        return form;
      },
    }),
  );
}

export async function removeLogo(): Promise<PartnerBrand> {
  return unwrap(api.DELETE("/api/partners/brand/logo/"));
}

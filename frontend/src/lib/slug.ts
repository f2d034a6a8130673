/** Subdomain rules, mirrored from the backend (tenants/slugs.py) for instant feedback only. */
export const SLUG_MIN = 3;
export const SLUG_MAX = 40;

/**
 * A subdomain suggestion from a business name: "Café Ñandú & Co." -> "cafe-nandu-co".
 * Accents are folded to ASCII, anything else that is not a letter or digit becomes one hyphen.
 */
export function suggestSlug(businessName: string): string {
  const slug = businessName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, SLUG_MAX).replace(/-+$/, "");
}

/** What the slug input keeps while someone types: lowercase letters, digits and hyphens. */
export function sanitizeSlugInput(value: string): string {
  return value.toLowerCase().replace(/\s+/g, "-").replace(/[^a-z0-9-]/g, "").slice(0, SLUG_MAX);
}

/**
 * Only same-site paths are accepted as a post-login destination, so a crafted
 * "/login?next=https://evil.example" can't send someone elsewhere.
 */
export function safeNextPath(next: string | null | undefined, fallback = "/dashboard"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}

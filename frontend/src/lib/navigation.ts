/**
 * Only paths on this site are accepted as a post-login destination, so a crafted
 * "/login?next=..." can't send someone elsewhere after they typed their password.
 *
 * Prefix checks alone are not enough: the URL parser drops tabs and newlines ("/\t/evil" is
 * "//evil", another host), reads "\" as "/", and resolves dot segments ("/.//evil" has the path
 * "//evil", which as a link is protocol-relative). So the candidate is resolved as a browser would,
 * and must stay on the base origin with a path that starts with exactly one "/". The percent-decoded
 * form must pass too, in case something decodes it once more on the way.
 */
const BASE = "http://next.invalid";

// Characters the URL parser strips or treats as a slash: never part of a path we hand out.
const SUSPICIOUS = /[\\\u0000-\u001f\u007f]/;

function sameOriginPath(candidate: string): string | null {
  if (!candidate.startsWith("/") || SUSPICIOUS.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(candidate, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return null;
  return url.pathname + url.search + url.hash;
}

export function safeNextPath(next: string | null | undefined, fallback = "/dashboard"): string {
  if (!next) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback; // "%" not followed by two hex digits: not a URL we produced
  }
  const path = sameOriginPath(next);
  return path !== null && sameOriginPath(decoded) !== null ? path : fallback;
}

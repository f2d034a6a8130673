import { useSyncExternalStore } from "react";

/**
 * One-time secrets in mailed links (reset, invite) travel in the URL fragment (`#token=…`): browsers never
 * send the fragment to a server, so it stays out of access logs and proxies. Only client code can read it.
 */
export function fragmentParams(hash: string): URLSearchParams {
  return new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

/** The page's fragment parameters; null while rendering on the server (and hydrating), which can't know them. */
export function useFragmentParams(): URLSearchParams | null {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash, () => null);
  return hash === null ? null : fragmentParams(hash);
}

import type { NextConfig } from "next";

// No page of ours may be framed by another site (clickjacking: e.g. a hidden /welcome or settings
// page under a decoy). Both headers: CSP frame-ancestors for current browsers, X-Frame-Options for
// old ones. Django's own responses (/api, /media) already send DENY.
const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  // The microphone for WhatsApp calls (components/calls), for our own pages only; nothing else a page could ask for.
  { key: "Permissions-Policy", value: "microphone=(self), camera=(), geolocation=(), payment=(), usb=()" },
];

// Over https (production), browsers must never use plain http for the site again (HSTS). Every tenant is
// a subdomain, hence includeSubDomains. Django sends the same on its own responses (settings.py).
export function securityHeaders(siteScheme = process.env.SITE_SCHEME ?? "http") {
  return siteScheme === "https"
    ? [...SECURITY_HEADERS, { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]
    : SECURITY_HEADERS;
}

const nextConfig: NextConfig = {
  // Django's URLs end with "/". Without this, Next would 308-redirect "/api/auth/login/" to
  // "/api/auth/login" before our proxy route handler sees it (and a POST would lose its body).
  skipTrailingSlashRedirect: true,
  // The dev-mode badge sits on top of the sidebar's user menu.
  devIndicators: false,
  reactStrictMode: true,
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders() }];
  },
};

export default nextConfig;

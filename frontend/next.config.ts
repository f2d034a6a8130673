import type { NextConfig } from "next";

// No page of ours may be framed by another site (clickjacking: e.g. a hidden /welcome or settings
// page under a decoy). Both headers: CSP frame-ancestors for current browsers, X-Frame-Options for
// old ones. Django's own responses (/api, /media) already send DENY.
const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
];

const nextConfig: NextConfig = {
  // Django's URLs end with "/". Without this, Next would 308-redirect "/api/auth/login/" to
  // "/api/auth/login" before our proxy route handler sees it (and a POST would lose its body).
  skipTrailingSlashRedirect: true,
  // The dev-mode badge sits on top of the sidebar's user menu.
  devIndicators: false,
  reactStrictMode: true,
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;

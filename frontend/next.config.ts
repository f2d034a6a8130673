import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Django's URLs end with "/". Without this, Next would 308-redirect "/api/auth/login/" to
  // "/api/auth/login" before our proxy route handler sees it (and a POST would lose its body).
  skipTrailingSlashRedirect: true,
  // The dev-mode badge sits on top of the sidebar's user menu.
  devIndicators: false,
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;

import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

import { QueryProvider } from "@/lib/query/QueryProvider";

import "@/styles/globals.css";

export const metadata: Metadata = {
  title: { default: "ConvoNest", template: "%s · ConvoNest" },
  description: "WhatsApp Business messaging for your whole team.",
};

export const viewport: Viewport = {
  themeColor: "#027a48",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}

import Link from "next/link";

import { Logo } from "@/components/Logo";
import { buttonClasses } from "@/components/ui";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 px-6 text-center">
      <Logo />
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-slate-600">The page you asked for doesn&apos;t exist.</p>
      <Link href="/" className={buttonClasses("secondary")}>
        Go to the start page
      </Link>
    </main>
  );
}

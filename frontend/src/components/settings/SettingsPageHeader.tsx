import Link from "next/link";

import { PageHeader } from "@/components/app/PageHeader";
import { Alert } from "@/components/ui";

/** The header of a settings sub-page: the way back to Settings, the title, and the page's load error if any. */
export function SettingsPageHeader({ title, description, error }: { title: string; description: string; error?: string | null }) {
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/settings" className="font-medium text-brand-700 hover:underline">
          ← Settings
        </Link>
      </p>
      <PageHeader title={title} description={description} />
      {error ? <Alert className="mb-6">{error}</Alert> : null}
    </>
  );
}

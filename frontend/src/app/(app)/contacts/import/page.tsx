import type { Metadata } from "next";

import { ImportContent } from "@/components/contacts/import/ImportWizard";

export const metadata: Metadata = { title: "Import contacts" };

export default function ImportContactsPage() {
  return <ImportContent />;
}

"use client";

import { useQuery } from "@tanstack/react-query";

import { useSession } from "@/components/app/SessionProvider";
import { Alert, Spinner } from "@/components/ui";
import { getTemplate } from "@/lib/api/templates";
import { toApiError } from "@/lib/apiClient";
import { templateKeys } from "@/lib/query/keys";
import { editable } from "../format";
import { fromTemplate } from "./model";
import { TemplateBuilder } from "./TemplateBuilder";

/** /templates/{id}/edit: the builder on the template's components (Meta lets only components and category change). */
export function TemplateEditPage({ id }: { id: number }) {
  const { user } = useSession();
  const detail = useQuery({ queryKey: templateKeys.detail(id), queryFn: () => getTemplate(id) });
  if (detail.isPending) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
        <Spinner /> Loading the template…
      </p>
    );
  }
  if (detail.error) return <Alert>{toApiError(detail.error).message}</Alert>;
  if (!user.capabilities.manage_templates) return <Alert>Only owners and admins edit templates.</Alert>;
  if (!editable(detail.data.status)) return <Alert>Meta lets you edit only approved, rejected or paused templates.</Alert>;
  return <TemplateBuilder editing={detail.data} initial={fromTemplate(detail.data)} />;
}

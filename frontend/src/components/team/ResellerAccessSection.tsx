"use client";

import { useQuery } from "@tanstack/react-query";

import { listResellerAccess } from "@/lib/api/team";
import type { ResellerAccess, Role } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { teamKeys } from "@/lib/query/keys";
import { Alert, Badge, Card, CardBody, CardHeader } from "@/components/ui";
import { RoleBadge } from "./RoleBadge";

const ROLES: readonly string[] = ["owner", "admin", "agent"] satisfies Role[];

function isRole(role: string): role is Role {
  return ROLES.includes(role);
}

function displayName(access: ResellerAccess): string {
  return `${access.first_name} ${access.last_name}`.trim();
}

/**
 * Settings → Team: who acts in this business through its reseller (audit L8). They are not members:
 * the reseller adds and removes them, so this list has no controls. Hidden when there is nobody.
 */
export function ResellerAccessSection() {
  const loaded = useQuery({ queryKey: teamKeys.resellerAccess(), queryFn: listResellerAccess });
  const people = loaded.data ?? null;
  const error = loaded.error ? toApiError(loaded.error).message : null;

  if (error) {
    return (
      <Card>
        <CardHeader title="Access through your reseller" />
        <CardBody>
          <Alert>{error}</Alert>
        </CardBody>
      </Card>
    );
  }
  if (!people || people.length === 0) return null;

  const reseller = people[0]!.reseller;
  return (
    <Card>
      <CardHeader
        title="Access through your reseller"
        description={`${reseller} manages these people. They can act in this business, and only ${reseller} can remove them.`}
      />
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pl-5 pr-3 font-medium">
                Person
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Acts as
              </th>
              <th scope="col" className="py-2 pl-3 pr-5 font-medium">
                <span className="sr-only">Managed by</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {people.map((access) => {
              const name = displayName(access);
              return (
                <tr key={access.user_id} className="align-top">
                  <td className="py-3 pl-5 pr-3">
                    <div className="font-medium text-slate-900">{name || access.email}</div>
                    {name ? <div className="text-slate-500">{access.email}</div> : null}
                  </td>
                  <td className="px-3 py-3">{isRole(access.role) ? <RoleBadge role={access.role} /> : access.role}</td>
                  <td className="py-3 pl-3 pr-5">
                    <Badge>Managed by {access.reseller}</Badge>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

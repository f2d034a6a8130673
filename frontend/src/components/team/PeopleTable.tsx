"use client";

import { useState, type ReactNode } from "react";

import { toApiError } from "@/lib/apiClient";
import { Badge, Button, Select } from "@/components/ui";

/** Someone on a team: a business's member or a reseller's person. */
export interface Person<R extends string> {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  role: R;
  joined_at: string;
  is_you: boolean;
}

export interface PeopleTableProps<R extends string, P extends Person<R>> {
  people: P[];
  /** What the viewer may do with this person: change the role to one of `roles`, remove them (never themselves). */
  editable: (person: P) => boolean;
  roles: (person: P) => R[];
  roleLabel: (role: R) => string;
  roleBadge: (role: R) => ReactNode;
  onRoleChange: (person: P, role: R) => Promise<void>;
  onRemove: (person: P) => Promise<void>;
}

function displayName(person: Person<string>): string {
  return `${person.first_name} ${person.last_name}`.trim();
}

function PersonRow<R extends string, P extends Person<R>>({ person, editable, roles, roleLabel, roleBadge, onRoleChange, onRemove }: Omit<PeopleTableProps<R, P>, "people"> & { person: P }) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canEdit = editable(person);
  const name = displayName(person);
  const who = name || person.email;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      // e.g. 409 last_owner / last_admin: the server's sentence says what would go wrong.
      setError(toApiError(err).message);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr className="align-top">
      <td className="py-3 pl-5 pr-3">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900">{who}</span>
          {person.is_you ? <Badge>You</Badge> : null}
        </div>
        {name ? <div className="text-slate-500">{person.email}</div> : null}
        {error ? (
          <p role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-3">
        {canEdit ? (
          <Select
            aria-label={`Role of ${who}`}
            value={person.role}
            disabled={busy}
            onChange={(event) => {
              const role = event.target.value as R;
              void run(() => onRoleChange(person, role));
            }}
            className="w-32"
          >
            {/* Keep the current role listed even if the viewer couldn't grant it. */}
            {[...new Set<R>([person.role, ...roles(person)])].map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </Select>
        ) : (
          roleBadge(person.role)
        )}
      </td>
      <td className="hidden px-3 py-3 text-slate-500 sm:table-cell">
        <time dateTime={person.joined_at}>{new Date(person.joined_at).toLocaleDateString()}</time>
      </td>
      <td className="py-3 pl-3 pr-5 text-right">
        {canEdit && !person.is_you ? (
          confirming ? (
            <div className="flex flex-wrap justify-end gap-2">
              <span className="sr-only">Remove {who} from the team?</span>
              <Button size="sm" variant="danger" loading={busy} onClick={() => void run(() => onRemove(person))}>
                Confirm remove
              </Button>
              <Button size="sm" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </div>
          ) : (
            <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setConfirming(true)} aria-label={`Remove ${who}`}>
              Remove
            </Button>
          )
        ) : null}
      </td>
    </tr>
  );
}

/** A team's people (a business's members, a reseller's staff). Role selects and Remove appear only where the viewer may use them. */
export function PeopleTable<R extends string, P extends Person<R>>({ people, ...rest }: PeopleTableProps<R, P>) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pl-5 pr-3 font-medium">
              Member
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Role
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
              Joined
            </th>
            <th scope="col" className="py-2 pl-3 pr-5 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {people.map((person) => (
            <PersonRow key={person.id} person={person} {...rest} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

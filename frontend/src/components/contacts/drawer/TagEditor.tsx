"use client";

import { useState, type FormEvent } from "react";

import { updateContact } from "@/lib/api/contacts";
import type { Contact } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { CloseIcon } from "@/components/icons";
import { Button, Input } from "@/components/ui";
import { cleanTags, splitList } from "../filters/model";

/** The contact's tags: remove one with its ×, add some by typing (commas separate). Saved at once. */
export function TagEditor({ contact, onSaved }: { contact: Contact; onSaved: (contact: Contact) => void }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(tags: string[]) {
    setBusy(true);
    setError(null);
    try {
      onSaved(await updateContact(contact.id, { tags }));
      setText("");
    } catch (err) {
      const apiError = toApiError(err);
      setError(apiError.fieldError("tags") ?? apiError.message);
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const added = cleanTags(splitList(text));
    if (added.length) void save(cleanTags([...contact.tags, ...added]));
  }

  return (
    <div className="space-y-2">
      {contact.tags.length ? (
        <ul className="flex flex-wrap gap-1.5" aria-label="Tags">
          {contact.tags.map((tag) => (
            <li key={tag} className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-2.5 pr-1 text-sm text-slate-800 ring-1 ring-slate-200">
              {tag}
              <button
                type="button"
                disabled={busy}
                onClick={() => void save(contact.tags.filter((t) => t !== tag))}
                className="rounded-full p-0.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900"
              >
                <CloseIcon className="size-3.5" />
                <span className="sr-only">Remove tag {tag}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">No tags.</p>
      )}
      <form onSubmit={onSubmit} className="flex gap-2" aria-label="Add tags">
        <Input aria-label="New tags" value={text} onChange={(event) => setText(event.target.value)} placeholder="vip, wholesale" className="h-8" />
        <Button type="submit" size="sm" variant="secondary" loading={busy}>
          Add
        </Button>
      </form>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

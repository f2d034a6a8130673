"use client";

import { useState, type FormEvent } from "react";

import { connectNumber } from "@/lib/api/whatsapp";
import type { NumberConnect, PhoneNumber } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { Alert, Button, TextField } from "@/components/ui";

const FIELDS = ["waba_id", "phone_number_id", "access_token"] as const;
const EMPTY: NumberConnect = { waba_id: "", phone_number_id: "", access_token: "" };

/**
 * Connect one number with ids and a token from Meta's Business Manager. The backend checks them with
 * the Graph API before saving, and keeps the token encrypted: it is never shown again, here or anywhere.
 */
export function ManualConnectForm({ onConnected }: { onConnected: (number: PhoneNumber) => void }) {
  const [values, setValues] = useState<NumberConnect>(EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [connected, setConnected] = useState<PhoneNumber | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const bind = (field: (typeof FIELDS)[number]) => ({
    value: values[field],
    onChange: (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value })),
    error: error?.fieldError(field),
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    setConnected(null);
    try {
      const number = await connectNumber({
        waba_id: values.waba_id.trim(),
        phone_number_id: values.phone_number_id.trim(),
        access_token: values.access_token.trim(),
      });
      setConnected(number);
      setValues(EMPTY);
      onConnected(number);
    } catch (err) {
      setError(toApiError(err));
      // The token is a secret: don't leave it in the page after a failed try either.
      setValues((v) => ({ ...v, access_token: "" }));
    } finally {
      setSubmitting(false);
    }
  }

  const general = error && !FIELDS.some((field) => error.fieldError(field)) ? error.message : null;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Connect a number by hand" className="space-y-4">
      {general ? <Alert>{general}</Alert> : null}
      {connected ? (
        <Alert tone="success">
          Connected {connected.display_phone_number || connected.phone_number_id}
          {connected.verified_name ? ` (${connected.verified_name})` : ""}.
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="WhatsApp Business Account id"
          inputMode="numeric"
          autoComplete="off"
          required
          placeholder="200000000000001"
          {...bind("waba_id")}
        />
        <TextField label="Phone number id" inputMode="numeric" autoComplete="off" required placeholder="100000000000001" {...bind("phone_number_id")} />
      </div>
      <TextField
        label="Access token"
        type="password"
        autoComplete="off"
        required
        hint="A system user token with whatsapp_business_messaging and whatsapp_business_management. It is stored encrypted and never shown again."
        {...bind("access_token")}
      />
      <Button type="submit" loading={submitting}>
        Connect number
      </Button>
    </form>
  );
}

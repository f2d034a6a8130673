"use client";

import { connectNumber } from "@/lib/api/whatsapp";
import type { NumberConnect, PhoneNumber } from "@/lib/api/types";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, TextField } from "@/components/ui";

const EMPTY: NumberConnect = { waba_id: "", phone_number_id: "", access_token: "" };

/**
 * Connect one number with ids and a token from Meta's Business Manager. The backend checks them with
 * the Graph API before saving, and keeps the token encrypted: it is never shown again, here or anywhere.
 */
export function ManualConnectForm({ onConnected }: { onConnected: (number: PhoneNumber) => void }) {
  const form = useApiForm({
    initial: EMPTY,
    submit: (values) =>
      connectNumber({
        waba_id: values.waba_id.trim(),
        phone_number_id: values.phone_number_id.trim(),
        access_token: values.access_token.trim(),
      }),
    onSuccess: (number, { reset }) => {
      reset();
      onConnected(number);
    },
    // The token is a secret: don't leave it in the page after a failed try either.
    onError: (_error, { setValues }) => setValues((v) => ({ ...v, access_token: "" })),
  });
  const connected = form.result;

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Connect a number by hand" className="space-y-4">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
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
          {...form.bind("waba_id")}
        />
        <TextField label="Phone number id" inputMode="numeric" autoComplete="off" required placeholder="100000000000001" {...form.bind("phone_number_id")} />
      </div>
      <TextField
        label="Access token"
        type="password"
        autoComplete="off"
        required
        hint="A system user token with whatsapp_business_messaging and whatsapp_business_management. It is stored encrypted and never shown again."
        {...form.bind("access_token")}
      />
      <Button type="submit" loading={form.submitting}>
        Connect number
      </Button>
    </form>
  );
}

"use client";

import Link from "next/link";

import { buttonClasses, Card, CardBody, CardHeader } from "@/components/ui";

/** The dashboard's way into WhatsApp: send a message, see what was sent, manage the numbers. */
export function WhatsAppDashboardCard() {
  return (
    <Card>
      <CardHeader title="WhatsApp" />
      <CardBody className="flex flex-col items-start gap-3 text-sm text-slate-700">
        <p>Send any WhatsApp message type to a phone number and follow its delivery.</p>
        <div className="flex flex-wrap gap-2">
          <Link href="/messages/new" className={buttonClasses("primary", "sm")}>
            Send a message
          </Link>
          <Link href="/messages" className={buttonClasses("secondary", "sm")}>
            Recent messages
          </Link>
          <Link href="/settings#whatsapp" className={buttonClasses("ghost", "sm")}>
            WhatsApp numbers
          </Link>
        </div>
      </CardBody>
    </Card>
  );
}

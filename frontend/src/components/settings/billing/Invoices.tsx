import type { Billing } from "@/lib/api/types";
import { formatDate, formatMoney } from "./format";

const STATUS: Record<string, string> = { paid: "Paid", open: "Due", draft: "Draft", void: "Void", uncollectible: "Uncollectible" };

/** The business's invoices, from the payment provider (the owner sees them). */
export function Invoices({ billing, canManage }: { billing: Billing; canManage: boolean }) {
  if (!canManage) return <p className="text-sm text-slate-500">Invoices are shown to the business&apos;s owner.</p>;
  if (!billing.invoices_available) return <p className="text-sm text-slate-500">Invoices can&apos;t be loaded right now; try again in a minute.</p>;
  if (!billing.invoices.length) return <p className="text-sm text-slate-500">No invoices yet.</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th scope="col" className="py-1.5 font-medium">
            Date
          </th>
          <th scope="col" className="py-1.5 font-medium">
            Status
          </th>
          <th scope="col" className="py-1.5 text-right font-medium">
            Amount
          </th>
          <th scope="col" className="py-1.5 text-right font-medium">
            <span className="sr-only">Invoice</span>
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {billing.invoices.map((invoice) => (
          <tr key={invoice.id}>
            <td className="py-1.5">{formatDate(invoice.created * 1000)}</td>
            <td className="py-1.5">{STATUS[invoice.status] ?? invoice.status}</td>
            <td className="py-1.5 text-right tabular-nums">{formatMoney(invoice.total, invoice.currency)}</td>
            <td className="py-1.5 text-right">
              {invoice.hosted_invoice_url ? (
                <a href={invoice.hosted_invoice_url} target="_blank" rel="noreferrer" className="font-medium text-brand-700 hover:underline">
                  View
                </a>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

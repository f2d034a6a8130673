import { Alert, Badge, Card, CardBody, CardHeader } from "@/components/ui";
import type { BusinessWallet } from "@/lib/api/types";
import { formatDate } from "./format";

const CATEGORY_LABELS: Record<string, string> = {
  marketing: "Marketing",
  utility: "Utility",
  authentication: "Authentication",
  authentication_international: "Authentication (international)",
};

/** Micro-units (millionths) of the wallet's currency as money: 12_500_000 → "$12.50". Charges can be fractions of a cent. */
export function money(micros: number, currency: string): string {
  const amount = micros / 1_000_000;
  const digits = Math.abs(amount) < 1 && amount !== 0 ? 4 : 2;
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase(), minimumFractionDigits: 2, maximumFractionDigits: digits }).format(amount);
}

/** Settings → Billing for a business its reseller bills wholesale: the prepaid balance, this month's spend, prices. */
export function WalletCard({ wallet }: { wallet: BusinessWallet }) {
  const spent = wallet.spent_this_month.reduce((sum, row) => sum + row.amount_micros, 0);
  return (
    <Card>
      <CardHeader
        id="billing-wallet"
        title={
          <span className="flex flex-wrap items-center gap-2">
            Prepaid balance
            {wallet.low_balance ? <Badge tone="amber">Low</Badge> : null}
          </span>
        }
        description={`${wallet.reseller_name} bills this business: messages are paid from this balance, which ${wallet.reseller_name} tops up.`}
      />
      <CardBody className="space-y-6">
        <p className="text-3xl font-semibold text-slate-900" data-testid="wallet-balance">
          {money(wallet.balance_micros, wallet.currency)}
        </p>
        {wallet.balance_micros <= 0 ? (
          <Alert>The balance is used up: new messages can&apos;t be sent until {wallet.reseller_name} tops it up. Messages from customers still arrive.</Alert>
        ) : wallet.low_balance ? (
          <Alert tone="info">The balance is running low. Ask {wallet.reseller_name} to top it up.</Alert>
        ) : null}
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Spent this month: {money(spent, wallet.currency)}</h3>
          {wallet.spent_this_month.length === 0 ? (
            <p className="text-sm text-slate-500">No paid messages yet this month.</p>
          ) : (
            <ul className="text-sm text-slate-700">
              {wallet.spent_this_month.map((row) => (
                <li key={row.category}>
                  {CATEGORY_LABELS[row.category] ?? row.category}: {row.messages.toLocaleString()} messages, {money(row.amount_micros, wallet.currency)}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Latest entries</h3>
          {wallet.recent_entries.length === 0 ? (
            <p className="text-sm text-slate-500">Nothing yet.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="text-slate-500">
                <tr>
                  <th className="py-1 font-medium">Date</th>
                  <th className="py-1 font-medium">What</th>
                  <th className="py-1 text-right font-medium">Amount</th>
                  <th className="py-1 text-right font-medium">Balance</th>
                </tr>
              </thead>
              <tbody>
                {wallet.recent_entries.map((entry) => (
                  <tr key={entry.id} className="border-t border-slate-100">
                    <td className="py-1">{formatDate(entry.created_at)}</td>
                    <td className="py-1">{entry.kind === "charge" ? `${CATEGORY_LABELS[entry.category] ?? entry.category} message${entry.country ? ` (${entry.country})` : ""}` : entry.kind === "funding" ? "Top-up" : entry.note || "Adjustment"}</td>
                    <td className="py-1 text-right tabular-nums">{money(entry.amount_micros, wallet.currency)}</td>
                    <td className="py-1 text-right tabular-nums">{money(entry.balance_after_micros, wallet.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <p className="text-xs text-slate-500">Prices per delivered message follow Meta&apos;s rate card of {formatDate(wallet.rate_card_date)}; service conversations are free.</p>
      </CardBody>
    </Card>
  );
}

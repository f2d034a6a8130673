"""For tests of anything that moves a wallet's balance (the wallet's own, the partner console's)."""
from tenants.billing.wallet_models import Wallet, WalletEntry


def assert_ledger_balances(wallet: Wallet) -> list[WalletEntry]:
    """The ledger's invariants, read back from the database: in id order each entry's balance_after is the one
    before it plus its amount (from zero: a wallet opens empty), and the amounts sum to the wallet's balance.
    Returns the entries, oldest first."""
    wallet.refresh_from_db()
    entries = list(WalletEntry.objects.filter(wallet=wallet).order_by("id"))
    running = 0
    for entry in entries:
        running += entry.amount_micros
        assert entry.balance_after_micros == running, (
            f"entry {entry.pk} ({entry.kind} {entry.amount_micros}) says {entry.balance_after_micros}, "
            f"the chain says {running}")
    assert running == wallet.balance_micros, f"the entries sum to {running}, the wallet says {wallet.balance_micros}"
    return entries

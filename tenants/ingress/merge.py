"""Status events handled together: under light load Meta posts statuses one per POST, and handling each alone costs
a transaction, the schema switch and the handler's fixed statements for one status. A router hands a run of a
batch's first-attempt events that carry nothing but statuses of one number to the handler as one `messages`
change (the statuses in arrival order, at most MAX_STATUSES, as Meta batches them), in one transaction with those
events' change rows; the handler is batch-aware (one change in a fixed number of statements). Anything else (an
inbound message, a failure) goes the one-event way, which records exactly what happened to each event.
"""
from dataclasses import dataclass, field

# Since 2026 Meta lists the customers (`contacts`, their BSUIDs) beside sent, delivered and read statuses: still
# nothing but statuses.
STATUS_ONLY_KEYS = {"messaging_product", "metadata", "contacts", "statuses"}
MAX_STATUSES = 100


def status_only(parsed: list[dict]) -> dict | None:
    """The event's one change when it carries nothing but statuses of a business's number, else None."""
    if len(parsed) != 1:
        return None
    change = parsed[0]
    value = change["value"]
    if (change["field"] != "messages" or change["problem"] or not change["phone_number_id"]
            or not isinstance(value, dict) or not set(value) <= STATUS_ONLY_KEYS
            or not isinstance(value.get("statuses"), list) or not isinstance(value.get("contacts", []), list)):
        return None
    return change


@dataclass
class StatusRun:
    """Consecutive status-only events of one number (and WABA), in claim order."""
    phone_number_id: str
    waba_id: str
    claims: list = field(default_factory=list)
    values: list[dict] = field(default_factory=list)

    def statuses(self) -> int:
        return sum(len(value["statuses"]) for value in self.values)

    def value(self) -> dict:
        """One change's value holding every status of the run, in order, and every event's contacts (the first
        event's metadata)."""
        merged = {**self.values[0], "statuses": [status for value in self.values for status in value["statuses"]]}
        if any("contacts" in value for value in self.values):
            merged["contacts"] = [contact for value in self.values for contact in value.get("contacts", [])]
        return merged

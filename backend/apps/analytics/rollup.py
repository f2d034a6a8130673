"""How the dashboard's tables stay exact: triggers (installed by migration 0002) and the rebuild from raw rows.

Why triggers, not hooks in the send and status paths or a task folding rows since a watermark:
- every write of a message goes through them, whatever the door (the outbox's ORM create, campaigns' bulk INSERT,
  statuses' batched UPDATE ... FROM unnest, inbound's UPDATE of the conversation, future code), and messaging
  doesn't have to know analytics exists (it sits below it);
- they count *state*, not events: a message adds its current status to its (day, direction, category, agent) row
  and a change of the row moves it from the old state's counts to the new one's. Meta's at-least-once statuses
  and out-of-order deliveries change nothing when they change no row (statuses.py keeps only forward moves), so
  nothing is counted twice, and a rolled-back transaction takes its counts with it;
- they are statement-level with transition tables: statuses.py's batch of 100 is one UPDATE, so its cost is one
  extra grouped INSERT ... ON CONFLICT DO UPDATE (rows in key order, so two batches take the counters' row locks
  in the same order), not 100.
A watermark task would need an index on messages' updated_at (a hot table) and would lag a minute.

The business's time zone decides the day; changing it rebuilds (receivers.py → tasks.analytics_rebuild_task).
"""
from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

# A message's contribution to its day's row. `sg` is +1 for the new state, -1 for the old.
_CONTRIB = """
    SELECT {sign} AS sg, (r.created_at AT TIME ZONE v_tz)::date AS day, r.direction,
           lower(r.pricing_category) AS category, coalesce(r.created_by_id, 0) AS agent_id,
           (r.status IN ('sent', 'delivered', 'read'))::int AS sent,
           (r.status IN ('delivered', 'read'))::int AS delivered,
           (r.status = 'read')::int AS read, (r.status = 'failed')::int AS failed,
           (r.billable IS TRUE)::int AS billable
    FROM {table} r"""

_FOLD = """
    INSERT INTO analytics_dailymessagestats AS s
        (day, direction, category, agent_id, messages, sent, delivered, read, failed, billable)
    SELECT day, direction, category, agent_id, sum(sg), sum(sg * sent), sum(sg * delivered), sum(sg * read),
           sum(sg * failed), sum(sg * billable)
    FROM ({rows}) d
    GROUP BY day, direction, category, agent_id
    HAVING sum(sg) <> 0 OR sum(sg * sent) <> 0 OR sum(sg * delivered) <> 0 OR sum(sg * read) <> 0
        OR sum(sg * failed) <> 0 OR sum(sg * billable) <> 0
    ORDER BY day, direction, category, agent_id
    ON CONFLICT (day, direction, category, agent_id) DO UPDATE SET
        messages = s.messages + EXCLUDED.messages, sent = s.sent + EXCLUDED.sent,
        delivered = s.delivered + EXCLUDED.delivered, read = s.read + EXCLUDED.read,
        failed = s.failed + EXCLUDED.failed, billable = s.billable + EXCLUDED.billable;"""

# Messages that just joined a conversation (inserted with one, or given one: inbound.py sets it after the insert).
# An inbound one opens the conversation's episode if none is open; the first reply by a person (not an automation,
# not a campaign: those have no created_by) after it is the episode's first response.
_CLOCK = """
    INSERT INTO analytics_conversationclock AS c (conversation_id, opened_at, responded)
    SELECT conversation_id, min(created_at), false FROM ({arrived}) a WHERE direction = 'in'
    GROUP BY conversation_id ORDER BY conversation_id
    ON CONFLICT (conversation_id) DO UPDATE SET
        responded = CASE WHEN c.opened_at IS NULL THEN false ELSE c.responded END,
        opened_at = coalesce(c.opened_at, EXCLUDED.opened_at);
    WITH replies AS (
        SELECT DISTINCT ON (conversation_id) conversation_id, created_at, created_by_id FROM ({arrived}) a
        WHERE direction = 'out' AND created_by_id IS NOT NULL AND automation = ''
        ORDER BY conversation_id, created_at),
    hit AS (
        UPDATE analytics_conversationclock c SET responded = true FROM replies r
        WHERE c.conversation_id = r.conversation_id AND c.opened_at IS NOT NULL AND NOT c.responded
          AND r.created_at >= c.opened_at
        RETURNING c.conversation_id, r.created_by_id AS agent_id, c.opened_at, r.created_at),
    facts AS (
        INSERT INTO analytics_responsefact (conversation_id, agent_id, kind, started_at, ended_at)
        SELECT conversation_id, agent_id, 'first_response', opened_at, created_at FROM hit
        RETURNING agent_id, started_at, ended_at)
    INSERT INTO analytics_dailyagentstats AS s
        (day, agent_id, first_responses, first_response_seconds, resolutions, resolution_seconds)
    SELECT (ended_at AT TIME ZONE v_tz)::date, agent_id, count(*),
           sum(extract(epoch FROM ended_at - started_at)), 0, 0
    FROM facts GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (day, agent_id) DO UPDATE SET first_responses = s.first_responses + EXCLUDED.first_responses,
        first_response_seconds = s.first_response_seconds + EXCLUDED.first_response_seconds;"""

# The tables are named without a schema (a pooled schema is renamed at signup, so no name can be baked in): they
# resolve through the search_path django-tenants sets, which must be the written table's schema, or the counts
# would land in another business's tables. Refused loudly instead.
_TZ = """IF TG_TABLE_SCHEMA <> current_schema() THEN
        RAISE EXCEPTION 'analytics: % written with search_path %', TG_TABLE_SCHEMA, current_schema();
    END IF;
    v_tz := coalesce((SELECT nullif(timezone, '') FROM messaging_inboxsettings WHERE id = 1), 'UTC');"""

_ARRIVED_UPDATE = """SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE o.conversation_id IS NULL AND n.conversation_id IS NOT NULL"""

INSTALL_SQL = f"""
CREATE FUNCTION analytics_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_tz text;
BEGIN
    {_TZ}
    IF TG_OP = 'INSERT' THEN
        {_FOLD.format(rows=_CONTRIB.format(sign=1, table='new_rows'))}
        {_CLOCK.format(arrived='SELECT * FROM new_rows WHERE conversation_id IS NOT NULL')}
    ELSIF TG_OP = 'UPDATE' THEN
        {_FOLD.format(rows=_CONTRIB.format(sign=1, table='new_rows') + ' UNION ALL '
                      + _CONTRIB.format(sign=-1, table='old_rows'))}
        {_CLOCK.format(arrived=_ARRIVED_UPDATE)}
    ELSE
        {_FOLD.format(rows=_CONTRIB.format(sign=-1, table='old_rows'))}
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER analytics_messages_inserted AFTER INSERT ON messaging_message
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_messages_changed();
CREATE TRIGGER analytics_messages_updated AFTER UPDATE ON messaging_message
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION analytics_messages_changed();
CREATE TRIGGER analytics_messages_deleted AFTER DELETE ON messaging_message
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_messages_changed();

-- A conversation resolved: its open episode ends, credited to its assignee.
CREATE FUNCTION analytics_conversations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_tz text;
BEGIN
    {_TZ}
    WITH resolved AS (
        SELECT n.id, coalesce(n.assignee_id, 0) AS agent_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.status = 'resolved' AND o.status <> 'resolved'),
    hit AS (
        UPDATE analytics_conversationclock c SET opened_at = NULL, responded = false
        FROM resolved r, analytics_conversationclock before
        WHERE c.conversation_id = r.id AND before.conversation_id = r.id AND c.opened_at IS NOT NULL
        RETURNING c.conversation_id, r.agent_id, before.opened_at),
    facts AS (
        INSERT INTO analytics_responsefact (conversation_id, agent_id, kind, started_at, ended_at)
        SELECT conversation_id, agent_id, 'resolution', opened_at, statement_timestamp() FROM hit
        RETURNING agent_id, started_at, ended_at)
    INSERT INTO analytics_dailyagentstats AS s
        (day, agent_id, first_responses, first_response_seconds, resolutions, resolution_seconds)
    SELECT (ended_at AT TIME ZONE v_tz)::date, agent_id, 0, 0, count(*),
           sum(extract(epoch FROM ended_at - started_at))
    FROM facts GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (day, agent_id) DO UPDATE SET resolutions = s.resolutions + EXCLUDED.resolutions,
        resolution_seconds = s.resolution_seconds + EXCLUDED.resolution_seconds;
    RETURN NULL;
END $$;

CREATE TRIGGER analytics_conversations_updated AFTER UPDATE ON messaging_conversation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION analytics_conversations_changed();
"""

UNINSTALL_SQL = """
DROP TRIGGER IF EXISTS analytics_conversations_updated ON messaging_conversation;
DROP FUNCTION IF EXISTS analytics_conversations_changed();
DROP TRIGGER IF EXISTS analytics_messages_inserted ON messaging_message;
DROP TRIGGER IF EXISTS analytics_messages_updated ON messaging_message;
DROP TRIGGER IF EXISTS analytics_messages_deleted ON messaging_message;
DROP FUNCTION IF EXISTS analytics_messages_changed();
"""

# The same numbers straight from the raw rows (the rebuild, and the tests' "equal to a raw count").
RAW_MESSAGES_SQL = """
    SELECT (created_at AT TIME ZONE %(tz)s)::date AS day, direction, lower(pricing_category) AS category,
           coalesce(created_by_id, 0) AS agent_id, count(*) AS messages,
           count(*) FILTER (WHERE status IN ('sent', 'delivered', 'read')) AS sent,
           count(*) FILTER (WHERE status IN ('delivered', 'read')) AS delivered,
           count(*) FILTER (WHERE status = 'read') AS read,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           count(*) FILTER (WHERE billable) AS billable
    FROM messaging_message
    WHERE created_at >= %(start)s AND created_at < %(end)s
    GROUP BY 1, 2, 3, 4"""

RAW_AGENTS_SQL = """
    SELECT (ended_at AT TIME ZONE %(tz)s)::date AS day, agent_id,
           count(*) FILTER (WHERE kind = 'first_response'),
           coalesce(sum(extract(epoch FROM ended_at - started_at)) FILTER (WHERE kind = 'first_response'), 0),
           count(*) FILTER (WHERE kind = 'resolution'),
           coalesce(sum(extract(epoch FROM ended_at - started_at)) FILTER (WHERE kind = 'resolution'), 0)
    FROM analytics_responsefact
    WHERE ended_at >= %(start)s AND ended_at < %(end)s
    GROUP BY 1, 2"""


def business_tz() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nullif(timezone, '') FROM messaging_inboxsettings WHERE id = 1")
        row = cursor.fetchone()
    return (row and row[0]) or "UTC"


def _bounds(start: dt.date, end: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    return (dt.datetime.combine(start, dt.time(), zone),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone))


def rebuild(start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """Recompute the days start..end (the business's dates; default: every day with a message) from the raw rows,
    in one transaction that locks out concurrent writers of messages and conversations (their triggers would fold
    into rows being replaced). Idempotent."""
    tz = business_tz()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE messaging_message, messaging_conversation IN SHARE ROW EXCLUSIVE MODE")
        if start is None or end is None:  # everything: rows of days a time zone change moved go too
            cursor.execute("""SELECT min(d), max(d) FROM (
                                  SELECT (min(created_at) AT TIME ZONE %(tz)s)::date,
                                         (max(created_at) AT TIME ZONE %(tz)s)::date FROM messaging_message
                                  UNION ALL
                                  SELECT (min(ended_at) AT TIME ZONE %(tz)s)::date,
                                         (max(ended_at) AT TIME ZONE %(tz)s)::date FROM analytics_responsefact) t(a, b),
                              LATERAL (VALUES (a), (b)) v(d)""", {"tz": tz})
            start, end = cursor.fetchone()
            cursor.execute("DELETE FROM analytics_dailymessagestats")
            cursor.execute("DELETE FROM analytics_dailyagentstats")
            if start is None:
                return {"days": 0, "message_rows": 0, "agent_rows": 0}
        else:
            cursor.execute("DELETE FROM analytics_dailymessagestats WHERE day BETWEEN %s AND %s", [start, end])
            cursor.execute("DELETE FROM analytics_dailyagentstats WHERE day BETWEEN %s AND %s", [start, end])
        lower, upper = _bounds(start, end, tz)
        params = {"tz": tz, "start": lower, "end": upper}
        cursor.execute(f"""INSERT INTO analytics_dailymessagestats
                               (day, direction, category, agent_id, messages, sent, delivered, read, failed, billable)
                           {RAW_MESSAGES_SQL}""", params)
        message_rows = cursor.rowcount
        cursor.execute(f"""INSERT INTO analytics_dailyagentstats (day, agent_id, first_responses,
                               first_response_seconds, resolutions, resolution_seconds)
                           {RAW_AGENTS_SQL}""", params)
        agent_rows = cursor.rowcount
    return {"days": (end - start).days + 1, "message_rows": message_rows, "agent_rows": agent_rows}

"""The Business Calling API's request bodies (reference §9): a number's calling settings and the SDP of a call,
checked against Meta's rules before anything is sent, so a refusal names the field instead of coming back as
Meta's code 100.

    check_calling_settings({"status": "ENABLED", "call_hours": {...}})   # the `calling` object of POST /settings
    check_sdp(sdp, "session.sdp")                                          # an RFC 8866 session description
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

from apps.whatsapp.errors import BuilderError

from . import _check as c

CALL_ACTIONS = ("pre_accept", "accept", "reject", "terminate")
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
RANGES_PER_DAY = 2
HOLIDAYS_MAX = 20
SDP_MAX = 20_000  # a WebRTC audio offer is 1-4 KB; anything this long is not one
_HHMM = re.compile(r"([01][0-9]|2[0-3])[0-5][0-9]")
_SWITCH = ("ENABLED", "DISABLED")
_ROOT = "calling"


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _hhmm(value, path: str) -> str:
    if not isinstance(value, str) or not _HHMM.fullmatch(value):
        raise BuilderError(path, "must be a time as HHMM, 0000 to 2359")
    return value


def _range(item: dict, path: str, start_key: str, end_key: str) -> tuple[str, str]:
    start, end = _hhmm(item[start_key], f"{path}.{start_key}"), _hhmm(item[end_key], f"{path}.{end_key}")
    if start >= end:
        raise BuilderError(f"{path}.{end_key}", f"must be after {start_key} ({start})")
    return start, end


def _weekly(value, path: str) -> list[dict]:
    by_day: dict[str, list[tuple[str, str, int]]] = {}
    out = []
    for index, raw in enumerate(c.array(value, path)):
        item_path = f"{path}[{index}]"
        item = c.obj(raw, item_path, ("day_of_week", "open_time", "close_time"),
                     ("day_of_week", "open_time", "close_time"))
        day = c.choice(item["day_of_week"], f"{item_path}.day_of_week", DAYS)
        start, end = _range(item, item_path, "open_time", "close_time")
        ranges = by_day.setdefault(day, [])
        if len(ranges) == RANGES_PER_DAY:
            raise BuilderError(item_path, f"at most {RANGES_PER_DAY} ranges per day ({day})")
        for other_start, other_end, other in ranges:
            if start < other_end and other_start < end:
                raise BuilderError(item_path, f"overlaps {path}[{other}] ({day} {other_start}-{other_end})")
        ranges.append((start, end, index))
        out.append(item)
    return out


def _holidays(value, path: str) -> list[dict]:
    items = c.array(value, path, max_items=HOLIDAYS_MAX)
    out = []
    for index, raw in enumerate(items):
        item_path = f"{path}[{index}]"
        item = c.obj(raw, item_path, ("date", "start_time", "end_time"), ("date", "start_time", "end_time"))
        try:
            dt.date.fromisoformat(c.text(item["date"], f"{item_path}.date"))
        except ValueError:
            raise BuilderError(f"{item_path}.date", "must be a date as YYYY-MM-DD") from None
        _range(item, item_path, "start_time", "end_time")
        out.append(item)
    return out


def _call_hours(value, path: str) -> dict:
    hours = c.obj(value, path, ("status", "timezone_id", "weekly_operating_hours", "holiday_schedule"), ("status",))
    c.choice(hours["status"], f"{path}.status", _SWITCH)
    if hours["status"] == "ENABLED":
        for key in ("timezone_id", "weekly_operating_hours"):
            if key not in hours:
                raise BuilderError(f"{path}.{key}", "is required when call hours are ENABLED")
    if "timezone_id" in hours and c.text(hours["timezone_id"], f"{path}.timezone_id") not in _time_zones():
        raise BuilderError(f"{path}.timezone_id", "must be an IANA time zone, e.g. America/Manaus")
    if "weekly_operating_hours" in hours:
        hours["weekly_operating_hours"] = _weekly(hours["weekly_operating_hours"], f"{path}.weekly_operating_hours")
    if "holiday_schedule" in hours:
        hours["holiday_schedule"] = _holidays(hours["holiday_schedule"], f"{path}.holiday_schedule")
    return hours


def _sip(value, path: str) -> dict:
    sip = c.obj(value, path, ("status", "servers"), ("status",))
    c.choice(sip["status"], f"{path}.status", _SWITCH)
    for index, raw in enumerate(c.array(sip.get("servers", []), f"{path}.servers")):
        server = c.obj(raw, f"{path}.servers[{index}]", ("hostname", "port", "request_uri_user_params"),
                       ("hostname",))
        c.text(server["hostname"], f"{path}.servers[{index}].hostname", max_len=255)
        if "port" in server:
            c.integer(server["port"], f"{path}.servers[{index}].port", minimum=1, maximum=65535)
    return sip


def check_calling_settings(value) -> dict:
    """The `calling` object of `POST /{phone-number-id}/settings`, checked (Meta's rules, reference §9.1): switches
    ENABLED/DISABLED, call hours with an IANA zone, at most 2 non-overlapping HHMM ranges a weekday and 20 holidays."""
    data = c.obj(value, _ROOT, ("status", "call_icon_visibility", "call_icons", "callback_permission_status",
                                "call_hours", "sip"))
    if not data:
        raise BuilderError(_ROOT, "give at least one setting")
    if "status" in data:
        c.choice(data["status"], f"{_ROOT}.status", _SWITCH)
    if "call_icon_visibility" in data:
        c.choice(data["call_icon_visibility"], f"{_ROOT}.call_icon_visibility", ("DEFAULT", "DISABLE_ALL"))
    if "callback_permission_status" in data:
        c.choice(data["callback_permission_status"], f"{_ROOT}.callback_permission_status", _SWITCH)
    if "call_icons" in data:
        icons = c.obj(data["call_icons"], f"{_ROOT}.call_icons", ("restrict_to_user_countries",))
        for index, country in enumerate(c.array(icons.get("restrict_to_user_countries", []),
                                                f"{_ROOT}.call_icons.restrict_to_user_countries")):
            if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country):
                raise BuilderError(f"{_ROOT}.call_icons.restrict_to_user_countries[{index}]",
                                   "must be a two-letter country code, e.g. BR")
    if "call_hours" in data:
        data["call_hours"] = _call_hours(data["call_hours"], f"{_ROOT}.call_hours")
    if "sip" in data:
        data["sip"] = _sip(data["sip"], f"{_ROOT}.sip")
    return data


def check_sdp(value, path: str) -> str:
    """An SDP (RFC 8866) a browser made: text starting with `v=0` and with an audio m-line (Meta calls are audio
    only, Opus). Whether the media really work is WebRTC's business, not Meta's."""
    sdp = c.text(value, path, max_len=SDP_MAX)
    lines = sdp.replace("\r\n", "\n").split("\n")
    if lines[0].strip() != "v=0":
        raise BuilderError(path, "is not a session description (it must start with v=0)")
    if not any(line.startswith("m=audio ") for line in lines):
        raise BuilderError(path, "has no audio media line (m=audio)")
    return sdp

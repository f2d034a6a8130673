"""CSV downloads, one way everywhere: cells a spreadsheet would run as a formula are defused, lines are produced one
at a time (streamed, never the whole file in memory), and `Accept: text/csv` reaches the view.

Cells that a spreadsheet would run as a formula (=, @, +, - followed by something that isn't a number) get a leading
apostrophe (OWASP "CSV injection"); phone numbers like +91... stay as they are.
"""
import csv
import re

from drf_spectacular.types import OpenApiTypes
from rest_framework.renderers import BaseRenderer, JSONRenderer

_NUMBERISH = re.compile(r"[+-][\d\s().-]*")
CSV_RESPONSE = {(200, "text/csv"): OpenApiTypes.STR}


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if text and (text[0] in "=@\t\r" or (text[0] in "+-" and not _NUMBERISH.fullmatch(text))):
        return "'" + text
    return text


class _Line:
    """csv.writer target that hands back each line instead of buffering the file."""

    def write(self, line: str) -> str:
        return line


def csv_writer():
    """A csv.writer whose writerow() returns the line it wrote."""
    return csv.writer(_Line())


class CsvRenderer(BaseRenderer):
    """Lets `Accept: text/csv` reach the CSV views; anything that isn't a stream (errors) is JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, renderer_context=renderer_context)

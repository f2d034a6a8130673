"""Text PostgreSQL can't store is refused at the edge, once for every endpoint.

PostgreSQL `text`/`varchar` cannot hold NUL (U+0000): a NUL reaching a query or an INSERT raises
DataError, a 500. Instead of checking in every view, the URL (path and query string) is checked by
`RejectNulMiddleware`, and request bodies by the parsers below; each answers 400 in the error envelope.
"""
from django.http import JsonResponse
from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL = "\x00"
NUL_MESSAGE = "Text may not contain the NUL character (U+0000, %00)."


def contains_nul(data) -> bool:
    """True if any string (key or value) anywhere in parsed JSON / form data contains NUL. Iterative, so
    a deeply nested document can't exhaust the stack here."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
        elif hasattr(item, "lists"):  # QueryDict / MultiValueDict: every value of every key
            for key, values in item.lists():
                pending.append(key)
                pending.extend(values)
    return False


class RejectNulMiddleware:
    """400 for a NUL in the path or in any query parameter's name or value (`?q=%00`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = [key for key, values in request.GET.lists() if NUL in key or any(NUL in v for v in values)]
        if bad or NUL in request.path:
            from apps.core.errors import envelope  # not at import time: errors -> DRF settings -> this module

            errors = {key.replace(NUL, "\\u0000"): [NUL_MESSAGE] for key in bad}
            return JsonResponse(envelope("malformed_request", NUL_MESSAGE, errors), status=400)
        return self.get_response(request)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing NUL in any string of the document (`"\\u0000"` is valid JSON)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_nul(data):
            raise ParseError(NUL_MESSAGE)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing NUL in form fields (files are bytes and may hold anything)."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        if contains_nul(result.data):
            raise ParseError(NUL_MESSAGE)
        return result

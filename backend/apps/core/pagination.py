from rest_framework.pagination import CursorPagination as DRFCursorPagination


class CursorPagination(DRFCursorPagination):
    """Stable pages under concurrent inserts; lists order newest first unless a view says otherwise."""

    ordering = "-created_at"
    page_size_query_param = "page_size"
    max_page_size = 200

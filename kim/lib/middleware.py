"""Requests refused before any view or query runs."""

import re
from urllib.parse import unquote

from django.http import Http404

# C0 control characters and DEL. A NUL in a lookup is "no row" on SQLite but a DataError (a 500) on
# PostgreSQL; no address of this site holds any of them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


class RefuseControlCharactersMiddleware:
    """A URL whose path or query string holds a control character (typed raw or percent-encoded) is a 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if has_control_characters(request.path_info) or has_control_characters(query):
            raise Http404
        return self.get_response(request)

"""Logging filters: what a log line may never carry.

Request logging (Django's "Not Found"/"Gone" warnings, django-axes' login records) writes
the URL path, and an invitation or password-reset link holds its secret token in the path.
``RedactTokens`` replaces those tokens before any handler writes the line.
"""

import logging
import re

_TOKEN_PATHS = [
    (re.compile(r"(/invite/)[^/\s\"']+"), r"\1[redacted]"),
    (re.compile(r"(/reset/[^/\s\"']+/)[^/\s\"']+"), r"\1[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _TOKEN_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactTokens(logging.Filter):
    """Rewrites the record in place, so every handler after this one sees it redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem to report, not ours
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True

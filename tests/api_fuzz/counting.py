"""The cases sent by this process, per operation and per response status (read by conftest.py's hooks)."""

from collections import Counter

CASES: Counter[str] = Counter()  # "METHOD /path" -> cases
STATUSES: Counter[str] = Counter()  # "200", "404"... -> responses

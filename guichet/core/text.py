"""Text helpers shared by every app: search keys that ignore case, accents and punctuation."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def search_key(text: str) -> str:
    """Fold a label for accent- and case-insensitive search.

    >>> search_key("Saint-Étienne-du-Rouvray")
    'saint etienne du rouvray'
    >>> search_key("L'Haÿ-les-Roses")
    'l hay les roses'
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return _NON_ALNUM.sub(" ", ascii_only).strip()

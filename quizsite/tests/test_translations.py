"""The Chinese catalogue merges by union (.gitattributes), so a string added on two branches could
appear twice, and then msgfmt refuses the file; every entry must also be translated."""

from collections import Counter
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_no_string_is_in_the_catalogue_twice():
    entries = polib.pofile(str(CATALOGUE))
    counts = Counter((e.msgctxt, e.msgid) for e in entries if not e.obsolete)
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_string_is_translated():
    entries = polib.pofile(str(CATALOGUE))
    missing = [e.msgid for e in entries if not e.obsolete and not e.translated()]
    assert missing == []

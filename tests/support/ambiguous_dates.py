"""How the tests spot a date an English reader could take either way."""

from __future__ import annotations

import re

# 12/4/26, 05.12 (a day button), 12-04-2026 — a numeric day and month side by side. ISO
# (2026-12-04), times (10:00-12:00) and "24/7" (open all the time) read one way only.
NUMERIC_DAY_AND_MONTH = re.compile(
    r"(?<![\d./:-])(?!24/7(?![\d./-]))\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?(?![\d./:-])"
)

"""Stage 2, reading a filled workbook that nobody vouches for.

``intake`` refuses what is not a plain xlsx package before any parser sees it; ``reader`` reads its
structure and values trusting nothing it says; ``errorvalues`` finds Excel error cells; ``normalize``
parses what clerks type (full-width digits, units, 无); ``cellref`` converts A1 addresses.
"""

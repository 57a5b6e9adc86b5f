"""Stage 3, the checks: every finding about a workbook or a report, and where it is said.

``findings`` is the one findings model; ``rulekinds`` the rule kinds of the declarations (formula,
Python evaluation and message in one class); ``catalogue`` the checks outside the declaration, each
with its ID, severity and message template.  ``ingest`` runs them over one workbook in ordered
passes, with ``explain`` (the clerk's 说明), ``rollupdraft`` (a region's roll-up) and the facts the
rules use: ``deadlines`` (organ kinds and due dates) and ``decisions`` (review decision words).
``scoring`` (扣分 packs) and ``repetition`` (重复率) measure batches and published reports.
"""

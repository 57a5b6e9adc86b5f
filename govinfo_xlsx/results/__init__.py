"""Stage 4, the results of one checked workbook: what the clerk and the office get back.

``pipeline`` runs one workbook through ingest → annotate → report (``report/`` renders the
narrative); ``annotate`` writes the annotated copy; ``console`` the terminal summary; ``schema`` the
JSON Schema of the ingest JSON.
"""

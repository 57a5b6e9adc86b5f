"""Audit a region's published reports: every saved page, Word file, PDF or text through extract."""

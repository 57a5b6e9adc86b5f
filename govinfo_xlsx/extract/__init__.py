"""Read already-published reports (HTML, DOCX, plain text) back into data."""

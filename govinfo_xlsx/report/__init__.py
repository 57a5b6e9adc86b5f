"""The narrative report (DOCX, HTML, Markdown) rendered from validated data."""

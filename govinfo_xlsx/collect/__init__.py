"""Batch collection for a coordinating office: check many workbooks at once."""

"""govinfo-xlsx: 政府信息公开工作年度报告 templates, validation and reports.

Importing the package stays light; heavy libraries are imported where used.
"""

__version__ = "0.1.0"

"""The case library: case documents with their KPI sets, filters, and comparable-case search.

Used by the critique (comparable cases), the assistant, the web pages and the CLI.
"""

"""Server-side diagrams and charts rendered as inline SVG strings.

Logic chains and PDCA cycles are drawn with drawsvg, bar charts with pygal; nothing here calls an outside
service or ships JavaScript, so the SVG works the same in the browser and in WeasyPrint PDFs. Callers pass
plain, already translated labels: this package imports nothing from other `app.*` packages.
"""

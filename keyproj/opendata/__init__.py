"""Open data: what the office published, as an OC4IDS project package, a workbook and a public site.

Everything here reads a closed month's frozen snapshot (keyproj.supervision.publication),
never the live register, so that what goes out is exactly what was published.
"""

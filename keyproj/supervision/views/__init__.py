"""The pages of 月度督办, one module per subject (keyproj.supervision.urls names them).

A closed month is shown from its snapshot (what was published); a month not yet closed
is previewed, for the office only, from the data as it stands. Everything is cut to what
the user may see (keyproj.supervision.results); changes go through the services.
"""

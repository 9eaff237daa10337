"""The home page.

Every app keeps its pages in a views package, a module per area.
"""

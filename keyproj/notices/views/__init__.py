"""The pages of 通报.

Every app keeps its pages in a views package, a module per area.
"""

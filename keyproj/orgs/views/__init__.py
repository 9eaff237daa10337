"""The pages of 单位.

Every app keeps its pages in a views package, a module per area.
"""

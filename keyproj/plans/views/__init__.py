"""The pages of 年度计划.

Every app keeps its pages in a views package, a module per area.
"""

"""The pages of 数据交换: the returns workbook (blank or prefilled template, upload).

Every app keeps its pages in a views package, a module per area.
"""

"""Reading uploaded workbooks safely: bounds, cells, the reader and the description of a format."""

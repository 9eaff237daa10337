"""The pages of 用户与权限: a user's own tokens, security and password, and the office's lockouts.

Every app keeps its pages in a views package, a module per area.
"""

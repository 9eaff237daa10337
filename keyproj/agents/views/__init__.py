"""The pages of 代建管理: the overview, the directory and a firm's file (directory), the quarterly
inspections (inspections), credit (credit), attendance (attendance), final accounts (accounts).

Every queryset goes through the agents querysets' `visible_to` (keyproj.agents.querysets):
a firm sees its own file only; anything else answers 404. Changes go through the services;
an action the user may not take answers 403.
"""

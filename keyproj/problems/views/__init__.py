"""The pages of 问题协调: the ledger, worklists and a problem's page (problems), meetings and their
minutes (meetings), site visits (visits), statistics (stats), notifications (notifications), and
the panels on a project's page and the dashboard (panels).

Every object comes through `visible_to(request.user)`: out of scope is 404; an action the
user may not take is 403; a refused change shows every reason and writes nothing.
"""

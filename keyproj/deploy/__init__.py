"""What a deployment runs beside the application: gunicorn's configuration (`keyproj.deploy.gunicorn`).

The nginx site, the systemd units and the example environment are files to copy, in deploy/ at
the root of the checkout; docs/deploy.md installs them.
"""

"""Photos are not edited in the admin: they change only through keyproj.photos.services (audited)."""

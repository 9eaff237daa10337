"""The static files' storage of a deployment: compressed, with content-hashed names (whitenoise).

The vendored browser libraries end with a `sourceMappingURL` comment naming a .map file we do not
ship (it is only for debugging the library, and several megabytes). Django's hashing storage fails
the whole `collectstatic` on a reference it cannot resolve; here a reference to a missing source map
is left as it was written, while any other missing file (a stylesheet's image, an imported module)
still fails, as it should.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name: str, hashed_files: dict[str, Any], template: str | None = None) -> Callable[..., str]:
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj: re.Match[str]) -> str:
            try:
                return convert(matchobj)
            except ValueError:
                if matchobj.groupdict().get("url", "").split("?")[0].endswith(".map"):
                    return matchobj.group(0)
                raise

        return converter

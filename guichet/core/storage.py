"""File storage that never leaves a half-written file behind.

Django's FileSystemStorage writes straight under the final name: a full disk (ENOSPC) or a crash in the
middle of a write leaves a truncated file there. This storage writes under a temporary name in the same
folder, then links it to the final name (atomic, and never over an existing file), and removes the
temporary file on any failure. The OSError still propagates: the service rolls its transaction back and
guichet.core.middleware.OutageMiddleware answers the visitor in French.
"""

from __future__ import annotations

import os
import uuid
from contextlib import suppress

from django.core.files.storage import FileSystemStorage

PARTIAL_SUFFIX = ".partial"


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: object) -> str:
        temporary = f"{name}.{uuid.uuid4().hex}{PARTIAL_SUFFIX}"
        try:
            temporary = super()._save(temporary, content)
        except BaseException:
            with suppress(FileNotFoundError):
                os.remove(self.path(temporary))
            raise
        try:
            while True:
                try:
                    os.link(self.path(temporary), self.path(name))
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
        finally:
            os.remove(self.path(temporary))
        return name

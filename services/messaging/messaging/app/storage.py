"""Documents stored by the SHA-256 of their content in a folder (an S3-compatible store in production
implements the same three methods)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


class FileStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, content_hash: str) -> Path:
        if len(content_hash) != 64 or not all(c in "0123456789abcdef" for c in content_hash):
            raise ValueError("not a content hash")
        return self.root / content_hash[:2] / content_hash

    def save(self, content: bytes) -> str:
        """Store (once) and return the content hash; the file appears whole or not at all."""
        content_hash = hashlib.sha256(content).hexdigest()
        path = self._path(content_hash)
        if path.exists():
            return content_hash
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return content_hash

    def read(self, content_hash: str) -> bytes:
        return self._path(content_hash).read_bytes()

    def exists(self, content_hash: str) -> bool:
        return self._path(content_hash).exists()

    def delete(self, content_hash: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(content_hash).unlink()

    def count(self) -> int:
        return sum(1 for p in self.root.glob("??/*") if not p.name.startswith("."))

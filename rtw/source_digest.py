"""A digest of some of the project's source files, for cache keys: a value computed by
code that has since changed is never served after a deploy."""

import hashlib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def source_digest(names: tuple[str, ...]) -> str:
    """Twelve hex digits over ``names`` (files, or folders: their ``*.py`` and ``*.html``),
    from the root."""
    digest = hashlib.sha256()
    for name in names:
        path = ROOT / name
        files = sorted([*path.glob("*.py"), *path.glob("*.html")]) if path.is_dir() else [path]
        for file in files:
            digest.update(file.read_bytes() if file.exists() else name.encode())
    return digest.hexdigest()[:12]

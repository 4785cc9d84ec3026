"""Cache keys for pieces of a page rendered from a flat dict of plain values (thread posts, list rows).

A key hashes the template's source with the dict's repr: any change a reader would notice, or any edit of the
template, gives another key, so nothing is ever invalidated and nothing stale is served.
"""

import hashlib


def content_keys(prefix: str, template, contexts: list[dict]) -> list[str]:
    """One key per context, for a template loaded with `get_template`."""
    version = hashlib.blake2b(template.template.source.encode(), digest_size=20).digest()
    keys = []
    for context in contexts:
        digest = hashlib.blake2b(version, digest_size=20)
        digest.update(repr(context).encode())
        keys.append(f"{prefix}:{digest.hexdigest()}")
    return keys

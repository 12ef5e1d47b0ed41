"""Where Roam should copy from: local paths as ``file://`` URIs, or mounted paths mapped to their storage URI.

A training job often writes to a mount (``/mnt/ckpt`` backed by the bucket ``s3://ckpt/``, a FUSE or CSI mount,
or NFS); Roam's workers read the storage itself, so the event must carry the storage URI, not the job's path.
"""

import os
import posixpath
from collections.abc import Mapping

from .errors import ConfigurationError


class StorageLocations:
    """Turns a path written by a training job into the URI Roam copies from.

    ``prefixes`` maps path prefixes to storage URI prefixes, for example ``{"/mnt/ckpt": "s3://ckpt/"}``: then
    ``/mnt/ckpt/run-42/checkpoint-1000`` is ``s3://ckpt/run-42/checkpoint-1000/``. The longest prefix that matches
    whole path segments wins. A path no prefix matches becomes ``file:///abs/path``; a path that already is a URI
    (``s3://…``, as Lightning writes with a remote ``dirpath``) is kept. Paths are made absolute and normalized
    (no ``.``, ``..`` or doubled ``/``, which Roam refuses) but symbolic links are not resolved: the mount path
    is what a storage profile names. Characters are kept as they are, not percent-encoded, as fsspec does.
    """

    def __init__(self, prefixes=None):
        self._prefixes = sorted(
            ((_normalized_prefix(path), _directory_uri(uri)) for path, uri in dict(prefixes or {}).items()),
            key=lambda prefix: len(prefix[0]),
            reverse=True,
        )

    @classmethod
    def for_option(cls, storage_uri, written_directory):
        """The locations for a callback's ``storage_uri`` option.

        :param storage_uri: None (paths become ``file://`` URIs), a URI string naming where ``written_directory``
            is stored, or a mapping of path prefixes to URI prefixes
        :param written_directory: the directory the framework writes checkpoints under (``output_dir``,
            ``dirpath``), used when ``storage_uri`` is a string
        """
        if storage_uri is None:
            return cls()
        if isinstance(storage_uri, str):
            return cls({written_directory: storage_uri})
        if isinstance(storage_uri, Mapping):
            return cls(storage_uri)
        raise ConfigurationError(f"storage_uri must be a URI string or a mapping of path prefixes to URIs, "
                                 f"was {type(storage_uri).__name__}")

    def directory_uri(self, path):
        """The URI of a directory, ending with ``/``."""
        return _directory_uri(self._uri(path))

    def file_uri(self, path):
        """The URI of a file, without a trailing ``/``."""
        return self._uri(path).rstrip("/")

    def _uri(self, path):
        path = os.fspath(path)
        if _is_uri(path):
            return self._mapped(path) or path
        absolute = posixpath.normpath(os.path.abspath(path))
        return self._mapped(absolute) or "file://" + absolute

    def _mapped(self, path):
        for prefix, uri in self._prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                return uri + path[len(prefix):].lstrip("/")
        return None


def _normalized_prefix(path):
    path = os.fspath(path)
    if _is_uri(path):
        return path.rstrip("/")
    # normpath keeps a leading "//"; "/" itself becomes "" so that every absolute path starts with prefix + "/".
    return posixpath.normpath(os.path.abspath(path)).rstrip("/")


def _directory_uri(uri):
    if not isinstance(uri, str) or not _is_uri(uri):
        raise ConfigurationError(f"storage URI must look like s3://bucket/prefix/ or file:///abs/path/, was {uri!r}")
    return uri if uri.endswith("/") else uri + "/"


def _is_uri(text):
    scheme, separator, _ = text.partition("://")
    return bool(separator) and scheme.isascii() and scheme[:1].isalpha() and all(
        character.isalnum() or character in "+.-" for character in scheme)

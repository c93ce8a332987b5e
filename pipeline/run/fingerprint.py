"""Fingerprints from content: a stage is up to date only while nothing that made its tables has changed.

A stage's fingerprint is a digest of
- `code`: the source of its module and of every module of the package that it imports, transitively
  (found by walking the imports with `ast`, those inside functions included), which takes in the schema,
  the lexicon access code and, for a stage that uses the model, the model's own components;
- `lexicons`: the word lists it declares (`@stage(lexicons=...)`);
- `model`: every file of the model directory (a 34 MB model hashes in about 0.1 s), or the name and spaCy
  version of a pipeline that is no directory, and the segmenter with its Stanza folder;
- `inputs`: for the stage that reads files, their paths and contents;
- `upstream`: the SHA-256 of every table it reads, so a stage re-runs when its input changed and not when
  an earlier stage ran again and produced the same tables.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import json
from pathlib import Path

from pipeline import lexicon

PACKAGE = "pipeline"
MODEL_CODE = "pipeline.model.components"   # loaded by spaCy's entry points, so no import points at it


def hash_payload(payload: object) -> str:
    """SHA-256 of a JSON-able payload, keys sorted: the fingerprint of a stage's parts."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@functools.cache
def _module_file(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):      # `pipeline.run.registry.stage`: a name inside a module
        return None
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


def _imported(name: str, path: Path) -> set[str]:
    """Modules of the package that module `name` (at `path`) imports, anywhere in its code."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)      # `from pipeline.lexicon import names`
    return {m for m in found if m.startswith(PACKAGE + ".") and _module_file(m)}     # not the package's own __init__


def module_closure(names: tuple[str, ...]) -> list[str]:
    """`names` and every package module they import, transitively (parent packages included)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen or not _module_file(name):
            continue
        seen.add(name)
        parents = [".".join(name.split(".")[:n]) for n in range(2, name.count(".") + 1)]
        todo.extend(parents)
        todo.extend(_imported(name, _module_file(name)))
    return sorted(seen)


def code_digest(names: tuple[str, ...]) -> str:
    sha = hashlib.sha256()
    for name in module_closure(names):
        sha.update(name.encode() + b"\0" + _module_file(name).read_bytes() + b"\0")
    return sha.hexdigest()


def _files_key(folder: Path) -> tuple:
    return tuple((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                 for p in sorted(folder.rglob("*")) if p.is_file())


@functools.lru_cache(maxsize=8)
def _folder_digest(folder: Path, key: tuple) -> str:
    sha = hashlib.sha256()
    for relative, _, _ in key:
        sha.update(relative.encode() + b"\0")
        with open(folder / relative, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
    return sha.hexdigest()


def model_digest(model: str) -> str:
    """Digest of every file of a model directory; for a package name or `blank:sv`, name and spaCy version."""
    folder = Path(model)
    if folder.is_dir():
        folder = folder.resolve()
        return _folder_digest(folder, _files_key(folder))
    from importlib.metadata import version  # not `import spacy`: it would load thinc (and torch) in every stage

    return hash_payload({"model": model, "spacy": version("spacy")})


def lexicon_digest(names: tuple[str, ...]) -> str:
    return lexicon.digest(names)

"""The package's structure: layering of imports, the stage registry, module sizes and the model's components."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.run import registry
from pipeline.run.fingerprint import module_closure

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every `pipeline…` module a file imports, anywhere in it (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; the package uses absolute ones")
    return {m for m in found if m == "pipeline" or m.startswith("pipeline.")}


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "stages" else None


def test_lexicon_and_text_import_nothing_else_of_the_package() -> None:
    for module, imports in MODULES.items():
        if module.startswith("pipeline.lexicon") or module == "pipeline.text":
            outside = {m for m in imports if not m.startswith("pipeline.lexicon")}
            assert not outside, f"{module} imports {outside}"


def test_no_stage_imports_another() -> None:
    for module, imports in MODULES.items():
        own = _stage_of(module)
        if own:
            others = {m for m in imports if _stage_of(m) not in (None, own)}
            assert not others, f"{module} imports {others}"


def test_the_model_imports_no_stage_and_evaluation_no_stage_internals() -> None:
    for module, imports in MODULES.items():
        if module.startswith("pipeline.model"):
            assert not {m for m in imports if m.startswith("pipeline.stages") or m.startswith("pipeline.run")}, module
        if module.startswith("pipeline.evaluation"):
            assert not {m for m in imports if m.startswith("pipeline.stages")}, module


def test_no_module_is_over_500_lines() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 500, path


def test_every_table_has_exactly_one_writer_and_the_stages_run_in_order() -> None:
    stages = registry.stages()
    assert list(stages) == ["ingest", "segment", "entities", "quotes", "people", "copies", "spread"]
    writers = [table for s in stages.values() for table in s.writes]
    assert len(writers) == len(set(writers))
    assert stages["people"].writes == ("people", "linked_entities", "linked_quotes")
    assert "entities" not in stages["people"].writes and "quotes" not in stages["people"].writes


def test_the_registry_refuses_a_second_writer_and_a_wrong_signature() -> None:
    registry.stages()
    with pytest.raises(registry.RegistryError, match="already has a writer, stage 'entities'"):
        @registry.stage("entities_again", reads=("documents",), writes=("entities",))
        def again(documents):
            return {}
    with pytest.raises(registry.RegistryError, match="do not match the declaration"):
        @registry.stage("broken", reads=("documents", "tokens"), writes=("people",))
        def broken(tokens, documents):
            return {}
    with pytest.raises(registry.RegistryError, match="no word list"):
        @registry.stage("unknown_list", reads=("documents",), writes=("people",), lexicons=("no_such_list",))
        def unknown(documents):
            return {}
    with pytest.raises(registry.RegistryError, match="columns of 'tokens'"):
        @registry.stage("wrong_columns", reads=("documents", "tokens"), writes=("people",),
                        columns={"tokens": ("doc_id", "no_such_column")})
        def wrong(documents, tokens):
            return {}
    assert {"entities_again", "broken", "unknown_list", "wrong_columns"}.isdisjoint(registry.REGISTRY)


def test_a_stage_reads_only_the_columns_it_declares(tmp_path) -> None:
    """The quotes and entities stages leave the tags they do not use on disk (memory of a huge article)."""
    from conftest import documents_from_texts

    from pipeline.model.loading import load_nlp
    from pipeline.run import store
    from pipeline.stages.segment import segment

    docs = documents_from_texts({"a": "Anna Berg säger att bron byggs.", "b": "Erik Dahl kom hem."})
    store.write_table(tmp_path, "documents", docs)
    store.write_table(tmp_path, "tokens", segment(docs, load_nlp())["tokens"])
    wanted = registry.stages()["entities"].columns_of("tokens")
    assert wanted is not None and "morph" not in wanted
    batch = store.TableReader(tmp_path, "tokens", ["a", "b"], wanted).take(["a"])
    assert list(batch.columns) == list(wanted) and set(batch["doc_id"]) == {"a"}
    assert list(store.read_table(tmp_path, "tokens", columns=wanted).columns) == list(wanted)
    assert registry.stages()["people"].columns_of("entities") is None


def test_a_stage_fingerprint_covers_its_own_code_and_not_other_stages() -> None:
    closure = module_closure(("pipeline.stages.quotes",))
    assert "pipeline.stages.quotes.speakers" in closure and "pipeline.lexicon.verbs" in closure
    assert "pipeline.run.schema" in closure
    assert not [m for m in closure if m.startswith(("pipeline.stages.people", "pipeline.stages.entities"))]


@pytest.mark.slow
def test_the_shipped_model_has_no_pipe_problems() -> None:
    import spacy

    from pipeline.model.loading import DEFAULT_MODEL_DIR

    nlp = spacy.load(DEFAULT_MODEL_DIR)
    analysis = nlp.analyze_pipes(pretty=False)
    assert not any(analysis["problems"].values()), analysis["problems"]
    assigns = {name: meta["assigns"] for name, meta in analysis["summary"].items()}
    assert assigns["citat_title_trim"] == ["doc.ents"]


LEXICON_PROBE = r'''
import importlib, json, sys
from pathlib import Path
from pipeline import lexicon
from pipeline.run import registry, runner
name, module, run = sys.argv[1], sys.argv[2], Path(sys.argv[3])
importlib.import_module(module)                       # what its own import reads
used = set(lexicon.LOADED)
registry.stages()                                     # the other stages, then a clean slate
lexicon.LOADED.clear()
lexicon.load.cache_clear()
runner.run_stage(name, run, runner.Options(inputs=[Path(sys.argv[4])], quiet=True, force=True))
print(json.dumps(sorted(used | lexicon.LOADED)))
'''


@pytest.mark.slow
def test_every_stage_declares_the_word_lists_it_reads(tmp_path: Path) -> None:
    """A stage's fingerprint holds the lists it declares; a list it reads but does not declare would let an
    edited line leave its tables stale. Each stage runs in a fresh process on the samples."""
    import json
    import subprocess
    import sys

    from pipeline.run import runner

    samples = PACKAGE.parent / "data" / "samples"
    run = tmp_path / "run"
    runner.run_all(run, runner.Options(inputs=[samples], quiet=True))
    for declared in registry.stages().values():
        out = subprocess.run([sys.executable, "-c", LEXICON_PROBE, declared.name, declared.module, str(run),
                              str(samples)], capture_output=True, text=True, check=True, cwd=PACKAGE.parent)
        used = set(json.loads(out.stdout.strip().splitlines()[-1]))
        assert used <= set(declared.lexicons), (declared.name, sorted(used - set(declared.lexicons)))

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED

from pipeline.errors import ModelError
from pipeline.model import loading as nlp

STANZA_SV = SHARED / "models" / "stanza-sv"


def test_auto_segmenter_is_spacy_without_stanza_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert nlp.resolve_segmenter("auto", None) == ("spacy", None)
    assert nlp.resolve_segmenter("spacy", None) == ("spacy", None)


@pytest.mark.skipif(not STANZA_SV.is_dir(), reason="needs ../shared/models/stanza-sv")
def test_auto_segmenter_prefers_stanza_where_it_has_swedish_models(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("stanza")
    assert nlp.resolve_segmenter("auto", str(STANZA_SV)) == ("stanza", str(STANZA_SV))
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(STANZA_SV))
    assert nlp.resolve_segmenter("auto", None) == ("stanza", str(STANZA_SV))


def test_unknown_segmenter_is_an_error() -> None:
    with pytest.raises(ModelError, match="unknown segmenter"):
        nlp.load_nlp(None, "nltk", None)

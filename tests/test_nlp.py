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


def test_the_model_loads_without_torch_unless_asked(tmp_path) -> None:
    """thinc would import torch (there for Stanza) in every process that loads the model; with
    CITAT_TORCH_MODELS set it does, for a pipeline with torch layers."""
    import os
    import subprocess
    import sys

    check = "import sys; from pipeline.model.loading import load_nlp; load_nlp(); print('torch' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if k != "CITAT_TORCH_MODELS"}
    plain = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, env=env, check=True)
    assert plain.stdout.strip() == "False"
    try:
        import torch  # noqa: F401
    except ImportError:
        return
    asked = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True,
                           env={**env, "CITAT_TORCH_MODELS": "1"})
    assert asked.stdout.strip() == "True"

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.run import schema
from pipeline.stages import ingest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
SHARED = REPO.parent / "shared"


def documents_from_texts(texts: dict[str, str]) -> pd.DataFrame:
    """A `documents` table from {doc_id: text}, as ingest would make it."""
    rows = [ingest.to_document({"id": doc_id, "text": text}, Path(f"{doc_id}.txt")) for doc_id, text in texts.items()]
    return schema.conform(pd.DataFrame(rows, columns=schema.DOCUMENTS.names), schema.DOCUMENTS)


@pytest.fixture(scope="session")
def nlp():
    from pipeline.model.loading import load_nlp

    return load_nlp()

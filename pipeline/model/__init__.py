"""The Swedish spaCy pipeline `models/sv_citat`: loading, citat's own components, training, benchmarks.

- `loading`: `load_nlp` (the model, or Stanza's tokenizer in front of it), segmenter choice
- `components`: the model's rule components, registered as spaCy factories (entry points)
- `blas`: matrix products through numpy's BLAS, one thread
- `corpora/`: readers of the training corpora, harmonisation of UD v1 Talbanken, conversion to DocBins
- `train`: `citat train` (`make models`); `bench`: `citat bench`

Imports no stage and nothing of `pipeline.run`.
"""

import os
import sys

TORCH_MODELS = "CITAT_TORCH_MODELS"   # set: thinc imports torch as usual (for a pipeline with torch layers)


def _thinc_without_torch() -> None:
    """Import thinc with torch hidden. thinc imports torch whenever it is installed (Stanza brings it), for
    models like ours that never use it: 181 MB and 1.3 s in every process that loads the model, each
    worker included (measured: `import spacy` + `load_nlp()`, 386 MB / 2.6 s -> 205 MB / 1.3 s). Stanza,
    when asked for, imports torch itself afterwards as usual. A spaCy pipeline with torch layers (`--model`
    of spacy-transformers) needs `CITAT_TORCH_MODELS=1`."""
    if "thinc" in sys.modules or "torch" in sys.modules or os.environ.get(TORCH_MODELS):
        return
    sys.modules["torch"] = None  # type: ignore[assignment]   # `import torch` raises ImportError now
    try:
        import thinc.api  # noqa: F401
    finally:
        del sys.modules["torch"]


_thinc_without_torch()

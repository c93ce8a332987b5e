"""The Swedish spaCy pipeline `models/sv_citat`: loading, citat's own components, training, benchmarks.

- `loading`: `load_nlp` (the model, or Stanza's tokenizer in front of it), segmenter choice
- `components`: the model's rule components, registered as spaCy factories (entry points)
- `blas`: matrix products through numpy's BLAS, one thread
- `corpora/`: readers of the training corpora, harmonisation of UD v1 Talbanken, conversion to DocBins
- `train`: `citat train` (`make models`); `bench`: `citat bench`

Imports no stage and nothing of `pipeline.run`.
"""

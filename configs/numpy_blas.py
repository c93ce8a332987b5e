"""Imported by ``spacy train --code``: the models are built on numpy's BLAS (see pipeline/model/blas.py),
which makes training about twice as fast on the project's machines."""
from pipeline.model.blas import use_numpy_blas_for_training

use_numpy_blas_for_training()

"""Matrix products through numpy's BLAS (OpenBLAS) instead of thinc's bundled BLIS.

Almost all of the pipeline's time goes into the tok2vec layers' matrix products. On this project's
machines (AMD EPYC, AVX2) thinc's BLIS reaches about 20 GFLOPS on those shapes and numpy's OpenBLAS
about 65-80 on one core, so the whole pipeline runs about 1.5 times as fast with identical output
(checked token by token on absabank text: same tags, heads, lemmas and entities). thinc itself has
the switch: ``NumpyOps(use_blis=False)`` hands ``gemm`` to numpy.

One BLAS thread is the default: the matrices of one batch are too small for a second thread to pay
(it measured slower on the 2-core machine), and several worker processes must not each start a pool.
"""
from __future__ import annotations

from spacy.language import Language
from thinc.api import Model, NumpyOps, set_current_ops
from threadpoolctl import threadpool_info, threadpool_limits

BLAS_THREADS = 1


def numpy_blas_ops() -> NumpyOps:
    """thinc's CPU ops with matrix products in numpy (OpenBLAS)."""
    return NumpyOps(use_blis=False)


def use_numpy_blas(nlp: Language, threads: int | None = BLAS_THREADS) -> Language:
    """Switch every trainable component of ``nlp`` to :func:`numpy_blas_ops`; returns ``nlp``.

    ``threads`` caps the BLAS thread pool of this process (``None`` leaves it alone). Pipelines on a
    GPU keep their ops.
    """
    ops = numpy_blas_ops()
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if not isinstance(model, Model) or not isinstance(model.ops, NumpyOps):
            continue
        for node in model.walk():
            node.ops = ops
    if threads is not None:
        threadpool_limits(limits=threads, user_api="blas")
    return nlp


def use_numpy_blas_for_training(threads: int | None = BLAS_THREADS) -> None:
    """Make numpy's BLAS the current ops, so that models built from now on (``spacy train``) use it."""
    set_current_ops(numpy_blas_ops())
    if threads is not None:
        threadpool_limits(limits=threads, user_api="blas")


def blas_description(nlp: Language) -> str:
    """Which matrix-product backend the tok2vec of ``nlp`` uses, with the BLAS thread count (for reports)."""
    component = nlp.get_pipe("tok2vec") if "tok2vec" in nlp.pipe_names else None
    ops = getattr(getattr(component, "model", None), "ops", None)
    if ops is None:
        return "none"
    if isinstance(ops, NumpyOps) and not ops.use_blis:
        pools = [f"{p['internal_api']} {p['num_threads']} thread(s)"
                 for p in threadpool_info() if p["user_api"] == "blas"]
        return "numpy: " + (", ".join(pools) or "BLAS")
    return type(ops).__name__ + (" (BLIS)" if getattr(ops, "use_blis", False) else "")


def machine() -> dict:
    """What decides the last digits of a matrix product, for `meta.json`: the CPU, the BLAS library and the
    kernels it chose (`SkylakeX` on an AVX-512 Intel Xeon, `Haswell`/`Zen` on AVX2), and the versions.

    Training is deterministic on one machine, but not across CPUs: 0.5.0's UD weights (an AMD EPYC, AVX2)
    did not come out again on an Intel Xeon (AVX-512), where one matrix product already differs in its last
    digits; `OPENBLAS_CORETYPE=Haswell` there changed the weights again without reproducing them."""
    import platform

    import numpy
    import spacy
    import thinc

    blas = next((p for p in threadpool_info() if p.get("user_api") == "blas"), {})
    cpu = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")),
               platform.processor())
    return {"cpu": cpu, "blas": f"{blas.get('internal_api', '')} {blas.get('version', '')}".strip(),
            "blas_kernels": blas.get("architecture", ""), "numpy": numpy.__version__, "spacy": spacy.__version__,
            "thinc": thinc.__version__, "python": platform.python_version()}


def _cpuinfo() -> list[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return f.read().splitlines()
    except OSError:
        return []

"""Loading the Swedish language pipeline that every stage uses."""

from __future__ import annotations

import functools
import gc
import importlib.util
import json
import logging
import os
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.errors import ModelError
from pipeline.model.blas import use_numpy_blas

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = REPO_ROOT / "models" / "sv_citat"
BLANK_MODEL = "blank:sv"
SEGMENTERS = ("auto", "spacy", "stanza")
# Stanza's lemmatizer without POS scored below the model's own lemmatizer on Talbanken dev
# (0.911 vs 0.921 lemma accuracy), so by default only Stanza's tokenizer/segmenter is used.
STANZA_LEMMAS = False
LEMMA_PIPES = ("form_lemma", "lemma_reset", "lemmatizer", "lemma_rules", "lemma_lookup")


def resolve_model(model: str | None) -> str:
    """The model to use: the given name or path, else the committed default, else a blank one."""
    if model:
        if ("/" in model or model.startswith(".")) and not model.startswith("blank:") and not Path(model).is_dir():
            raise ModelError(f"{model}: no such model directory")
        return model
    if (DEFAULT_MODEL_DIR / "meta.json").exists():
        return str(DEFAULT_MODEL_DIR)
    log.warning("no trained model at %s; falling back to a blank Swedish pipeline", DEFAULT_MODEL_DIR)
    return BLANK_MODEL


class StanzaTokenizer:
    """A spaCy tokenizer that runs Stanza's Swedish tokenizer (and lemmatizer).

    It builds a Doc whose text equals the input (extra whitespace becomes whitespace tokens), with
    Stanza's sentence starts and, if ``lemmas`` is true, Stanza's lemmas (a later spaCy
    lemmatizer with ``overwrite=False`` keeps them).
    """

    def __init__(self, vocab, stanza_dir: str, lemmas: bool = True, use_gpu: bool = False):
        import stanza

        cap_torch_threads()
        self.vocab = vocab
        self.lemmas = lemmas
        processors = "tokenize,lemma" if lemmas else "tokenize"
        self.pipeline = stanza.Pipeline(
            "sv",
            dir=str(stanza_dir),
            processors=processors,
            download_method=None,
            logging_level="WARN",
            use_gpu=use_gpu,
        )

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool | None] = []
        lemmas: list[str | None] = []

        def add_gap(gap: str) -> None:
            if not gap:
                return
            if words and not spaces[-1] and gap == " ":
                spaces[-1] = True
                return
            if words and not spaces[-1] and gap.startswith(" ") and gap[1:].isspace():
                spaces[-1] = True
                gap = gap[1:]
            words.append(gap)
            spaces.append(False)
            starts.append(True if not starts else False)
            lemmas.append(gap)

        if not text.strip():
            return Doc(self.vocab, words=[text] if text else [], spaces=[False] if text else [])
        sdoc = self.pipeline(text)
        pos = 0
        for sent in sdoc.sentences:
            first = True
            for tok in sent.tokens:
                add_gap(text[pos : tok.start_char])
                words.append(text[tok.start_char : tok.end_char])
                spaces.append(False)
                starts.append(first)
                first = False
                lem = tok.words[0].lemma if tok.words else None
                lemmas.append(lem if len(tok.words) == 1 else tok.text)
                pos = tok.end_char
        add_gap(text[pos:])
        if starts:
            starts[0] = True
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=starts, lemmas=lemmas if self.lemmas else None)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for t in texts:
            yield self(t)

    # a loaded tokenizer is not saved with the model
    def to_disk(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError("the Stanza tokenizer is not serialisable; save the spaCy model instead")


def cap_torch_threads(threads: int = 1) -> None:
    """Stanza runs on torch, whose thread pools take every core: on a busy machine that made segmenting
    the held-out news 50 times slower (issue 18). One thread, as for BLAS (`pipeline.model.blas`)."""
    import torch

    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(threads)
    except RuntimeError:        # settable only before torch's first parallel work
        pass


def find_stanza_dir(stanza_dir: str | None = None) -> str | None:
    """A Stanza resources folder with Swedish models: the given one, $STANZA_RESOURCES_DIR or ~/stanza_resources."""
    candidates = [stanza_dir, os.environ.get("STANZA_RESOURCES_DIR"), str(Path.home() / "stanza_resources")]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "sv").is_dir():
            return candidate
    return None


def resolve_segmenter(segmenter: str, stanza_dir: str | None) -> tuple[str, str | None]:
    """`spacy` (the default: fast everywhere), `stanza` (only when asked), or `auto`: Stanza where it is
    installed and has Swedish models (it splits sentences better: sentence F1 0.977 against 0.969 on
    Talbanken dev, at many times the cost), else spaCy's own tokenizer and parser."""
    if segmenter not in SEGMENTERS:
        raise ModelError(f"unknown segmenter {segmenter!r}; choose one of {', '.join(SEGMENTERS)}")
    if segmenter != "auto":
        return segmenter, stanza_dir
    found = find_stanza_dir(stanza_dir)
    if found and importlib.util.find_spec("stanza") is not None:
        return "stanza", found
    return "spacy", None


@functools.lru_cache(maxsize=4)
def load_nlp(model: str | None = None, segmenter: str = "spacy", stanza_dir: str | None = None) -> Language:
    """Load a spaCy pipeline by package name or path; `blank:sv` gives tokenizer + sentencizer.

    ``segmenter="stanza"`` replaces the tokenizer with Stanza's Swedish tokenizer (from the Stanza
    resources folder ``stanza_dir``; with ``STANZA_LEMMAS`` also its lemmatizer); the spaCy
    components then run on its tokens and keep its sentence boundaries.

    The components' matrix products run in numpy's BLAS with one thread (``pipeline.model.blas``).
    """
    if segmenter not in SEGMENTERS:
        raise ModelError(f"unknown segmenter {segmenter!r}; choose one of {SEGMENTERS}")
    segmenter, stanza_dir = resolve_segmenter(segmenter, stanza_dir)
    name = resolve_model(model)
    if name == BLANK_MODEL:
        nlp = spacy.blank("sv")
        nlp.add_pipe("sentencizer")
    else:
        try:
            loaded = spacy.load(name)
        except OSError as err:      # spaCy's E050/E053: no such package or folder, or no config in it
            raise ModelError(f"cannot load the spaCy pipeline {name!r}: {str(err).splitlines()[0]}") from err
        nlp = use_numpy_blas(loaded)
    if segmenter == "stanza":
        if not stanza_dir:
            raise ModelError("segmenter='stanza' needs stanza_dir (a Stanza resources folder)")
        if not Path(stanza_dir).is_dir():
            raise ModelError(f"no Stanza resources folder at {stanza_dir}")
        nlp.tokenizer = StanzaTokenizer(nlp.vocab, stanza_dir, lemmas=STANZA_LEMMAS)
        if STANZA_LEMMAS:  # keep Stanza's lemmas: switch the model's own lemmatizer off
            for name in LEMMA_PIPES:
                if name in nlp.pipe_names:
                    nlp.disable_pipe(name)
        if "sentencizer" in nlp.pipe_names:
            nlp.remove_pipe("sentencizer")
        nlp.meta["segmenter"] = "stanza"
    return nlp


@functools.cache
def freeze_heap() -> None:
    """Once per process, leave everything alive now out of every later garbage collection. `citat run` calls it
    right after loading the model, in its own process and in each worker, where the model lives as long as the
    process; each full collection walked its millions of objects again. In a whole `citat run` of 1,000
    regeringen texts in one process the collections took 0.60 s instead of 1.46 s (of about 32 s; the same
    tables). Objects freed by reference counting are freed as before; only garbage in reference cycles among
    what lived then stays. A library caller of `load_nlp` keeps the collector as it was."""
    gc.collect()
    gc.freeze()


def model_meta(model: str | None = None, segmenter: str = "spacy", stanza_dir: str | None = None) -> dict:
    """`nlp.meta` of the pipeline `load_nlp` would load, read from its meta.json where it is a folder
    (so that a process that hands the work to workers need not load the model itself)."""
    name = resolve_model(model)
    path = Path(name) / "meta.json"
    if name == BLANK_MODEL or not path.is_file():
        return dict(load_nlp(model, segmenter=segmenter, stanza_dir=stanza_dir).meta)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"{path}: cannot be read ({err})") from err
    meta["segmenter"] = resolve_segmenter(segmenter, stanza_dir)[0]
    return meta


def model_identity(nlp: Language) -> str:
    """`name-version` of a loaded pipeline, recorded in run.json to detect model changes."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"

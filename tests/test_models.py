"""The in-house Swedish model, the corpus readers, the scorers and the Stanza segmenter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from pipeline.evaluation.models import evaluate_ner, evaluate_ud, format_scores
from pipeline.model.corpora import (
    MISSING_DEP,
    eukalyptus_lemma,
    harmonise_v1_deps,
    io_to_spans,
    name_pool,
    punct_to_next_conjunct,
    read_conllu,
    read_eukalyptus,
    read_io,
    read_iob2,
    sentences_to_doc,
    spaces_from_text,
    stanza_lemmas,
    substitute_names,
    transliterate,
    write_io,
)
from pipeline.model.loading import DEFAULT_MODEL_DIR

SHARED = Path(__file__).resolve().parents[2] / "shared"
STANZA_DIR = SHARED / "models" / "stanza-sv"
HAS_MODEL = (DEFAULT_MODEL_DIR / "meta.json").exists()
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="no trained model in models/sv_citat")


# ---------------------------------------------------------------------------------------------
# readers


CONLLU = """# newdoc id = d1
# newpar id = d1.p1
# sent_id = s1
# text = Hon bor i Lund.
1\tHon\thon\tPRON\tPN\tCase=Nom\t2\tnsubj\t_\t_
2\tbor\tbo\tVERB\tVB\tTense=Pres\t0\troot\t_\t_
3\ti\ti\tADP\tPP\t_\t4\tcase\t_\t_
4\tLund\tLund\tPROPN\tPM\t_\t2\tobl\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\tMAD\t_\t2\tpunct\t_\t_

# sent_id = s2
# text = Det regnar.
1\tDet\tden\tPRON\tPN\t_\t2\texpl\t_\t_
2\tregnar\tregna\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No
3\t.\t.\tPUNCT\tMAD\t_\t2\tpunct\t_\t_

"""

EUKALYPTUS = """# corpus = eukalyptus_x
# subcorpus = X.1
# sent_id = X.1.1
1001\tEuropaparlamentets\tEuropa|parlament\tNN\t-.GEN.-\tNN.NEU.SIN.DEF\t1002\tDT\t\t
1001a\tfackfientliga\tfack|fientlig\tAJ\t-.-.-\tAJ.POS.PLU\t1002\tMD\t\t
1002\tbeslut\tbeslut\tNN\t-.-.-\tNN.NEU.PLU.IND\t0\t--\t\t
1003\t!\t_\tSY\t-.-.-\tSY.DEL\t1002\t--\t\t

"""


def test_read_conllu_and_doc(tmp_path):
    path = tmp_path / "x.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    sents = list(read_conllu(path))
    assert [s["words"] for s in sents] == [["Hon", "bor", "i", "Lund", "."], ["Det", "regnar", "."]]
    assert sents[0]["spaces"] == [True, True, True, False, True]
    assert sents[0]["new_doc"] and sents[0]["new_par"] and not sents[1]["new_doc"]
    assert sents[1]["lemmas"][0] == "den"
    doc = sentences_to_doc(spacy.blank("sv").vocab, sents)
    assert doc.text.startswith("Hon bor i Lund. Det regnar.")
    assert [s.text.strip() for s in doc.sents] == ["Hon bor i Lund.", "Det regnar."]
    assert doc[1].dep_.upper() == "ROOT" and doc[0].head.i == 1 and doc[3].pos_ == "PROPN"


def _tree(rows: list[tuple]) -> dict:
    """A sentence record from (word, UPOS, head, deprel[, feats]) rows."""
    return {"words": [r[0] for r in rows], "pos": [r[1] for r in rows], "heads": [r[2] for r in rows],
            "deps": [r[3] for r in rows], "morphs": [r[4] if len(r) > 4 else "" for r in rows]}


def test_harmonise_quantifiers_clausal_prepositions_and_both():
    # "Många andra barn leker genom att springa både ute och inne"
    s = harmonise_v1_deps(_tree([
        ("Många", "ADJ", 3, "det"), ("andra", "ADJ", 3, "det"), ("barn", "NOUN", 4, "nsubj"),
        ("leker", "VERB", 0, "root"), ("genom", "ADP", 7, "case"), ("att", "PART", 7, "mark"),
        ("springa", "VERB", 4, "advcl"), ("både", "CCONJ", 9, "advmod"), ("ute", "ADV", 7, "advmod"),
        ("och", "CCONJ", 11, "cc"), ("inne", "ADV", 9, "conj"), ("samma", "DET", 13, "det"),
        ("dag", "NOUN", 4, "obl"),
    ]))
    assert s["deps"][:2] == ["amod", "amod"]
    assert s["deps"][4] == "mark" and s["deps"][7] == "cc"
    assert (s["pos"][11], s["deps"][11]) == ("ADJ", "amod")


def test_harmonise_splits_prepositional_fixed_expressions():
    # "Han kom i dag för att vila": "i dag" and "för att" were fixed expressions in UD v1
    s = harmonise_v1_deps(_tree([
        ("Han", "PRON", 2, "nsubj"), ("kom", "VERB", 0, "root"), ("i", "ADP", 2, "advmod"),
        ("dag", "NOUN", 3, "fixed"), ("för", "ADP", 7, "mark"), ("att", "PART", 5, "fixed"),
        ("vila", "VERB", 2, "advcl"),
    ]))
    assert (s["heads"][3], s["deps"][3]) == (2, "obl")  # dag -> kom
    assert (s["heads"][2], s["deps"][2]) == (4, "case")  # i -> dag
    assert (s["heads"][5], s["deps"][5]) == (7, "mark")  # att -> vila
    assert (s["heads"][4], s["deps"][4]) == (7, "mark")


def test_harmonise_deponents_infinitive_complements_quantity_nouns_and_parataxis():
    # "Det finns en grupp barn ; de försöker delta ."
    s = harmonise_v1_deps(_tree([
        ("Det", "PRON", 2, "expl"), ("finns", "VERB", 0, "root", "Tense=Pres|VerbForm=Fin|Voice=Pass"),
        ("en", "DET", 4, "det"), ("grupp", "NOUN", 5, "det"), ("barn", "NOUN", 2, "nsubj:pass"),
        (";", "PUNCT", 2, "punct"), ("de", "PRON", 8, "nsubj"), ("försöker", "VERB", 2, "conj"),
        ("delta", "VERB", 8, "ccomp", "VerbForm=Inf"), (".", "PUNCT", 2, "punct"),
    ]))
    assert "Voice" not in s["morphs"][1] and s["deps"][4] == "nsubj"  # finnas is deponent
    assert s["deps"][3] == "nmod"  # grupp: a quantity noun
    assert s["deps"][7] == "parataxis" and s["heads"][5] == 2  # the semicolon stays on "finns"
    assert s["deps"][8] == "xcomp"
    # a real passive keeps its voice, a conjunct with "och" stays conj, an infinitive with a subject ccomp
    s = harmonise_v1_deps(_tree([
        ("Boken", "NOUN", 2, "nsubj:pass"), ("lästes", "VERB", 0, "root", "Tense=Past|VerbForm=Fin|Voice=Pass"),
        ("och", "CCONJ", 5, "cc"), ("hon", "PRON", 5, "nsubj"), ("trodde", "VERB", 2, "conj"),
        ("honom", "PRON", 7, "nsubj"), ("ljuga", "VERB", 5, "ccomp", "VerbForm=Inf"),
    ]))
    assert "Voice=Pass" in s["morphs"][1] and s["deps"][0] == "nsubj:pass"
    assert s["deps"][4] == "conj" and s["deps"][6] == "ccomp"
    # "Det är hon som bestämmer": a cleft
    s = harmonise_v1_deps(_tree([
        ("Det", "PRON", 3, "nsubj"), ("är", "AUX", 3, "cop"), ("hon", "PRON", 0, "root"),
        ("som", "PRON", 5, "nsubj"), ("bestämmer", "VERB", 3, "acl:relcl"),
    ]))
    assert s["deps"][4] == "acl:cleft"


def test_unlisted_fixed_expressions_lose_their_gold_arcs():
    # "Han kom så här sent , därför att ..." : "så här" is analysed word by word today, "därför att" is fixed
    s = harmonise_v1_deps(_tree([
        ("Han", "PRON", 2, "nsubj"), ("kom", "VERB", 0, "root"), ("så", "ADV", 5, "advmod"),
        ("här", "ADV", 3, "fixed"), ("sent", "ADV", 2, "advmod"), ("därför", "ADV", 8, "mark"),
        ("att", "SCONJ", 6, "fixed"), ("regnade", "VERB", 2, "advcl"),
    ]))
    assert s["deps"][2:4] == [MISSING_DEP, MISSING_DEP]
    assert s["deps"][5:7] == ["mark", "fixed"]
    doc = sentences_to_doc(spacy.blank("sv").vocab, [dict(s, spaces=[True] * 8)])
    assert not doc[2].has_dep() and not doc[3].has_head() and doc[6].dep_ == "fixed"


def test_comma_hangs_on_the_next_conjunct():
    # "Hon köpte äpplen , päron och plommon ." with v1 attachment: both commas on "äpplen"
    s = punct_to_next_conjunct(_tree([
        ("Hon", "PRON", 2, "nsubj"), ("köpte", "VERB", 0, "root"), ("äpplen", "NOUN", 2, "obj"),
        (",", "PUNCT", 3, "punct"), ("päron", "NOUN", 3, "conj"), ("och", "CCONJ", 7, "cc"),
        ("plommon", "NOUN", 3, "conj"), (",", "PUNCT", 2, "punct"), ("sa", "VERB", 2, "conj"),
        ("hon", "PRON", 9, "nsubj"), (".", "PUNCT", 2, "punct"),
    ]))
    assert s["heads"][3] == 5  # the comma before "päron" hangs on "päron"
    assert s["heads"][7] == 9  # the comma before the conjoined clause on its verb
    assert s["heads"][10] == 2  # the full stop stays on the root


@pytest.mark.skipif(not STANZA_DIR.is_dir(), reason="needs shared/models/stanza-sv")
def test_stanza_lemmas_follow_the_tags():
    sents = [{"words": ["Barnen", "lekte", "i", "parkerna", "."], "pos": ["NOUN", "VERB", "ADP", "NOUN", "PUNCT"]}]
    assert stanza_lemmas(sents, STANZA_DIR) == [["barn", "leka", "i", "park", "."]]


def test_name_swaps_replace_person_names_token_for_token():
    import random

    assert transliterate("Лукашенко") == "Lukasjenko" and transliterate("Шевченко") == "Sjevtjenko"
    firsts, lasts = name_pool(seed=0, per_locale=20)
    assert "Lukasjenko" not in lasts and all(" " not in n for n in firsts + lasts)
    sents = [{"words": ["Putin", "träffade", "Anna", "Lind", "i", "Minsk"],
              "ents": [(0, 1, "PER"), (2, 4, "PER"), (5, 6, "LOC")]},
             {"words": ["Det", "regnar"], "ents": []}]
    (swapped,) = substitute_names(sents, random.Random(1), (firsts, lasts))
    assert swapped["ents"] == sents[0]["ents"] and swapped["words"][1] == "träffade"
    assert swapped["words"][3] in lasts and swapped["words"][2] in firsts and swapped["words"][5] == "Minsk"
    assert swapped["words"] != sents[0]["words"]


def test_foreign_names_dev_swaps_the_persons_of_the_dev_split(tmp_path):
    from pipeline.model.train import foreign_names_dev

    (tmp_path / "snc_dev.txt").write_text("Anna\tPER\nLind\tPER\nbor\t0\ni\t0\nMinsk\tLOC\n\n"
                                          "Det\t0\nregnar\t0\n\n", encoding="utf-8")
    (swapped,) = list(read_io(foreign_names_dev(tmp_path)))
    assert swapped["ents"] == [(0, 2, "PER"), (4, 5, "LOC")]
    assert swapped["words"][2:] == ["bor", "i", "Minsk"] and swapped["words"][:2] != ["Anna", "Lind"]


def test_read_eukalyptus_quirks():
    sents = list(read_eukalyptus(EUKALYPTUS.splitlines(keepends=True)))
    assert sents[0]["words"] == ["Europaparlamentets", "fackfientliga", "beslut", "!"]
    assert sents[0]["lemmas"] == ["Europaparlament", "fackfientlig", "beslut", "!"]
    assert eukalyptus_lemma("sina", "sin", "PO", "PO.DEF.PLU.UTR/NEU.PSS.-") == "sig"
    assert eukalyptus_lemma("t.ex.", "till exempel", "AB", "AB.-.-") == "till_exempel"
    assert eukalyptus_lemma("12", "tolv", "NU", "NU.-") == "12"


def test_read_iob2_and_io(tmp_path):
    iob2 = tmp_path / "x.iob2"
    iob2.write_text("# sent_id = 1\n# text = Anna Berg bor i Nya Zeeland.\n"
                    "1\tAnna\tB-PER\t-\t-\n2\tBerg\tI-PER\t-\t-\n3\tbor\tO\t-\t-\n4\ti\tO\t-\t-\n"
                    "5\tNya\tB-LOC\t-\t-\n6\tZeeland\tI-LOC\t-\t-\n7\t.\tO\t-\t-\n\n", encoding="utf-8")
    (s,) = list(read_iob2(iob2))
    assert s["ents"] == [(0, 2, "PER"), (4, 6, "LOC")]
    assert s["spaces"][5] is False and s["spaces"][4] is True
    io = tmp_path / "x.txt"
    io.write_text("Anna\tPER\nBerg PER\nträffade\t0\nIKEA\tORG\n\nHej\tO\n", encoding="utf-8")
    sents = list(read_io(io))
    assert sents[0]["ents"] == [(0, 2, "PER"), (3, 4, "ORG")]
    assert sents[1]["ents"] == []
    back = tmp_path / "back.txt"
    write_io(sents, back)
    assert [(s["words"], s["ents"]) for s in read_io(back)] == [(s["words"], s["ents"]) for s in sents]


def test_io_to_spans_bio_splits_adjacent():
    assert io_to_spans(["B-PER", "B-PER", "I-PER", "O"]) == [(0, 1, "PER"), (1, 3, "PER")]
    assert io_to_spans(["PER", "PER", "0", "LOC"]) == [(0, 2, "PER"), (3, 4, "LOC")]
    assert spaces_from_text(["a", "(", "b", ")"], "a (b)") == [True, False, False, True]


# ---------------------------------------------------------------------------------------------
# scorers


def _ruler_nlp():
    nlp = spacy.blank("sv")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Anna"}, {"label": "LOC", "pattern": "Lund"},
                        {"label": "ORG", "pattern": "Volvo"}])
    return nlp


def test_evaluate_ner_scores(tmp_path):
    gold = tmp_path / "g.txt"
    # gold: Anna PER, Lund LOC, Volvo LOC (the ruler says ORG): PER tp, LOC tp+fn, ORG fp
    gold.write_text("Anna\tPER\nbor\t0\ni\t0\nLund\tLOC\n\nVolvo\tLOC\nväxer\t0\n", encoding="utf-8")
    scores = evaluate_ner(gold, _ruler_nlp())
    assert scores["PER"]["f"] == 1.0
    assert scores["LOC"]["tp"] == 1 and scores["LOC"]["fn"] == 1
    assert scores["ORG"]["fp"] == 1
    assert scores["overall"]["tp"] == 2 and scores["overall"]["fp"] == 1 and scores["overall"]["fn"] == 1
    assert "overall" in format_scores(scores)


def test_evaluate_ud_scores(tmp_path):
    path = tmp_path / "x.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    nlp = spacy.blank("sv")
    nlp.add_pipe("sentencizer")
    scores = evaluate_ud(path, nlp)
    assert scores["tokens"]["f"] == 1.0
    assert scores["sentences"]["f"] == 1.0
    assert scores["aligned_tokens"] == 8
    assert scores["upos"] == 0.0  # a blank pipeline tags nothing
    assert "upos" in format_scores(scores)


# ---------------------------------------------------------------------------------------------
# the committed model


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(DEFAULT_MODEL_DIR)


@needs_model
@pytest.mark.parametrize("text,expected", [
    ("Putin och Lukasjenko möttes i Minsk, rapporterar Reuters.",
     {("Putin", "PER"), ("Lukasjenko", "PER"), ("Minsk", "LOC"), ("Reuters", "ORG")}),
    ("Stefan Löfven besökte Göteborg i går, uppger TT.",
     {("Stefan Löfven", "PER"), ("Göteborg", "LOC"), ("TT", "ORG")}),
    # the rules after the NER: institution suffix, gazetteer place, title trimmed off the person
    ("Enligt Trafikverket körde ECB-chefen Mario Draghi till Ostrava.",
     {("Trafikverket", "ORG"), ("Mario Draghi", "PER"), ("Ostrava", "LOC")}),
    ("Lukasjenko tog emot Putin i Minsk.", {("Lukasjenko", "PER"), ("Putin", "PER"), ("Minsk", "LOC")}),
])
def test_model_entities(nlp, text, expected):
    ents = {(e.text, e.label_) for e in nlp(text).ents}
    assert expected <= ents, ents


@needs_model
def test_model_meta_and_pipes(nlp):
    assert nlp.meta["name"] == "citat" and nlp.meta["lang"] == "sv"
    assert "CC BY-SA" in nlp.meta["license"]
    for pipe in ("morphologizer", "parser", "lemmatizer", "ner", "org_suffixes", "citat_place_names",
                 "citat_title_trim", "citat_pos_from_relations", "citat_sentence_repair"):
        assert pipe in nlp.pipe_names
    assert nlp.pipe_names.index("parser") - 2 == nlp.pipe_names.index("citat_sentence_starts") == \
        nlp.pipe_names.index("citat_paragraphs") - 1


@needs_model
def test_model_pos_lemma_sentences(nlp):
    doc = nlp("Barnen lekte i parken. Hon sa t.ex. att hon var trött – men glad.")
    words = [t.text for t in doc]
    assert "t.ex." in words and "–" in words
    assert [t.pos_ for t in doc[:4]] == ["NOUN", "VERB", "ADP", "NOUN"]
    assert [t.lemma_ for t in doc[:4]] == ["barn", "leka", "i", "park"]
    assert len(list(doc.sents)) == 2
    questions = nlp("Är kvinnan på väg tillbaka till kök och barnkammare? Börjar hennes jobb att delas?")
    assert [s.text.split()[0] for s in questions.sents] == ["Är", "Börjar"]


@needs_model
def test_model_tokenizer_quotes(nlp):
    words = [t.text for t in nlp.tokenizer("”Det är bra”, sa hon. »Ja« – kl. 10 bl.a. nr 5 ca 3 dvs. s.k. fel")]
    for w in ("”", "»", "«", "–", "kl.", "bl.a.", "dvs.", "s.k."):
        assert w in words


@pytest.mark.skipif(not STANZA_DIR.is_dir() or not HAS_MODEL, reason="needs shared/models/stanza-sv and the model")
def test_stanza_segmenter():
    from pipeline.model.loading import load_nlp

    text = "Putin och Lukasjenko möttes i Minsk.  Det rapporterar Reuters.\n\nNästa stycke här."
    nlp = load_nlp(None, segmenter="stanza", stanza_dir=str(STANZA_DIR))
    doc = nlp(text)
    assert doc.text == text
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents[0] == "Putin och Lukasjenko möttes i Minsk."
    assert len(sents) == 3
    assert ("Reuters", "ORG") in {(e.text, e.label_) for e in doc.ents}
    assert [t.lemma_ for t in doc if t.text == "rapporterar"] == ["rapportera"]  # the model's lemmatizer ran


def test_benchmark_repeats_and_reports_the_median(tmp_path):
    import json

    from pipeline.model.bench import run_benchmark

    folder = tmp_path / "corpora" / "absabank-imm"
    folder.mkdir(parents=True)
    rows = [{"id": i, "text": f"Hon säger att det regnar i Lund för {i}:e dagen."} for i in range(30)]
    (folder / "absabank-imm_train.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    result = run_benchmark(tmp_path, model="blank:sv", max_words=100, repeat=3)
    assert len(result["runs_words_per_s"]) == 3
    assert result["words_per_s"] == sorted(result["runs_words_per_s"])[1]
    assert result["n_words"] >= 100 and result["peak_rss_mb"] > 0


@needs_model
def test_numpy_blas_gives_the_same_analysis_as_blis():
    from thinc.api import NumpyOps

    from pipeline.model.blas import blas_description, use_numpy_blas

    text = ("Putin och Lukasjenko möttes i Minsk, rapporterar Reuters. – Vi är överens, sade presidenten "
            "enligt Belta. Hon sa att mötet var viktigt.")

    def analysis(pipeline):
        return [(t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_) for t in pipeline(text)]

    blis_nlp, numpy_nlp = spacy.load(DEFAULT_MODEL_DIR), use_numpy_blas(spacy.load(DEFAULT_MODEL_DIR), threads=None)
    assert blis_nlp.get_pipe("tok2vec").model.ops.use_blis
    ops = numpy_nlp.get_pipe("tok2vec").model.ops
    assert isinstance(ops, NumpyOps) and not ops.use_blis
    assert all(not node.ops.use_blis for node in numpy_nlp.get_pipe("ner").model.walk())
    assert analysis(numpy_nlp) == analysis(blis_nlp)
    assert blas_description(numpy_nlp).startswith("numpy") and "BLIS" in blas_description(blis_nlp)


def test_run_parallel_chains_the_commands_of_a_job(tmp_path):
    import sys

    from pipeline.model.commands import run_parallel as _run_parallel

    def write(text: str) -> list[str]:
        return [sys.executable, "-c", f"print({text!r})"]

    _run_parallel([("a", [write("first"), write("second")]), ("b", [write("other")])], tmp_path, 2, quiet=True)
    assert (tmp_path / "a.log").read_text().split() == ["first", "second"]
    assert (tmp_path / "b.log").read_text().split() == ["other"]
    with pytest.raises(RuntimeError, match="training c failed"):
        _run_parallel([("c", [[sys.executable, "-c", "raise SystemExit(3)"], write("never")])], tmp_path, 1, True)
    assert "never" not in (tmp_path / "c.log").read_text()


def test_pretraining_comes_first_and_feeds_the_last_epoch_to_training(tmp_path, monkeypatch):
    from pipeline.model import train

    monkeypatch.setattr(train, "PRETRAIN_EPOCHS", {"ud": 3, "ner": 0})
    ud = train._pretrain_and_train("ud", "ud", tmp_path, tmp_path, seed=0)
    assert [c[3] for c in ud] == ["pretrain", "train"]
    assert ud[0][ud[0].index("--pretraining.max_epochs") + 1] == "3"
    assert ud[1][ud[1].index("--paths.init_tok2vec") + 1] == str(tmp_path / "ud_pretrain" / "model2.bin")
    ner = train._pretrain_and_train("ner", "ner", tmp_path, tmp_path, seed=0)
    assert len(ner) == 1 and "--paths.init_tok2vec" not in ner[0]
    assert ner[0][ner[0].index("--paths.train") + 1] == str(tmp_path / "ner_train.spacy")


def test_the_ud_config_can_be_pretrained():
    from spacy.util import load_config

    # spaCy loads --paths.init_tok2vec only through a [pretraining] block that names the component
    config = load_config(Path(__file__).resolve().parents[1] / "configs" / "ud.cfg", interpolate=False)
    assert config["pretraining"]["component"] == "tok2vec"
    assert config["corpora"]["pretrain"]["path"] == "${paths.raw_text}"
    assert config["initialize"]["init_tok2vec"] == "${paths.init_tok2vec}"


def test_write_raw_text_chunks_training_text_once(tmp_path):
    from spacy.tokens import Doc, DocBin

    from pipeline.model.corpora import write_raw_text

    vocab = spacy.blank("sv").vocab
    long_text = " ".join(f"ord{i}" for i in range(100))
    for name, texts in (("ner_train", [long_text, "Putin och Lukasjenko möttes i Minsk ."]),
                        ("ud_train", ["Putin och Lukasjenko möttes i Minsk ."])):
        DocBin(docs=[Doc(vocab, words=t.split()) for t in texts]).to_disk(tmp_path / f"{name}.spacy")
    corpora = tmp_path / "corpora"
    (corpora / "absabank-imm").mkdir(parents=True)
    (corpora / "absabank-imm" / "x_train.jsonl").write_text('{"text": "Det här är en åsikt om saken."}\n')
    (corpora / "eukalyptus").mkdir()
    rows = [("Hon", "hon", "PN"), ("skrev", "skriva", "VB"), ("ett", "en", "DT"), ("långt", "lång", "JJ"),
            ("brev", "brev", "NN"), ("igår", "igår", "AB"), (".", ".", "MAD")]
    (corpora / "eukalyptus" / "e.conllu").write_text(
        "# c\n" + "".join(f"{1001 + i}\t{w}\t{lemma}\t{pos}\t_\n" for i, (w, lemma, pos) in enumerate(rows)))
    n_words = write_raw_text(tmp_path, corpora, chunk_words=80)
    lines = [json.loads(line)["text"] for line in (tmp_path / "raw_text.jsonl").read_text().splitlines()]
    assert lines == [" ".join(long_text.split()[:80]), " ".join(long_text.split()[80:]),
                     "Putin och Lukasjenko möttes i Minsk .", "Det här är en åsikt om saken.",
                     "Hon skrev ett långt brev igår ."]
    assert n_words == sum(len(line.split()) for line in lines)


def test_institution_names_are_org_where_the_ner_found_nothing():
    from pipeline.model.train import add_entity_ruler

    nlp = spacy.blank("sv")
    stand_in = nlp.add_pipe("entity_ruler", name="ner")  # stands in for the statistical NER
    stand_in.add_patterns([{"label": "ORG", "pattern": "Svenska Gymnastikförbundet"}])
    add_entity_ruler(nlp)
    doc = nlp("Trafikverket och Försäkringskassans handläggare mötte Polisen , Nätverket , Svenska "
              "Gymnastikförbundet och Reuters .")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Trafikverket", "ORG"), ("Försäkringskassans", "ORG"), ("Svenska Gymnastikförbundet", "ORG"),
        ("Reuters", "ORG")]


def test_floret_vectors_are_trained_and_attached_to_a_saved_pipeline(tmp_path, monkeypatch):
    """`citat train`'s vector step on a tiny corpus: the floret table goes into the vocab (meta.json says so)
    and the pipeline's own strings stay."""
    import gzip

    from pipeline.model import vectors

    pytest.importorskip("floret")
    corpora = tmp_path / "corpora"
    sentences = [f"Ministern säger att skolan {w} i år och att lärarna {w} mer." for w in
                 ("växer", "krymper", "byggs", "rivs", "satsar", "sparar")] * 40
    for folder, name in vectors.RAW_CORPORA.items():
        (corpora / folder).mkdir(parents=True)
        with gzip.open(corpora / folder / name, "wt", encoding="utf-8") as handle:
            handle.write(json.dumps({"id": folder, "text": "\n\n".join(sentences)}, ensure_ascii=False) + "\n")
    monkeypatch.setattr(vectors, "BUCKETS", 1000)
    monkeypatch.setattr(vectors, "EPOCHS", 1)
    report = vectors.train_vectors(corpora, tmp_path / "vec" / "sv_floret")
    assert report["words"] > 3000 and (tmp_path / "vec" / "sv_floret.floret").exists()
    model = tmp_path / "model"
    nlp = spacy.blank("sv")
    nlp.vocab.strings.add("Lukasjenko")
    nlp.to_disk(model)
    described = vectors.attach(model, tmp_path / "vec" / "sv_floret.floret")
    assert described == {"width": vectors.DIMENSIONS, "vectors": 1000, "keys": 0, "name": "sv_citat_floret",
                         "mode": "floret"}
    loaded = spacy.load(model)
    assert "Lukasjenko" in loaded.vocab.strings and loaded.vocab.get_vector("okänt").any()
    assert json.loads((model / "meta.json").read_text())["vectors"]["mode"] == "floret"


def test_the_ner_trains_on_the_floret_vectors_which_are_made_first(tmp_path):
    """`citat train` gives the NER config, which reads static vectors, a pipeline holding the floret table
    (`--paths.vectors`); the UD config, which does not, gets none."""
    import shutil

    from pipeline.model import commands, train, vectors

    pytest.importorskip("floret")
    work = tmp_path / "work"
    (work / "vectors").mkdir(parents=True)
    rows = ["10 4 4 5 2 2166136261 < >"] + [" ".join([str(i)] + ["0.5"] * 4) for i in range(10)]
    (work / "vectors" / "sv_floret.floret").write_text("\n".join(rows) + "\n")
    floret_file = vectors.ensure(tmp_path / "no-corpora", work, quiet=True)   # present: not trained again
    assert floret_file == work / "vectors" / "sv_floret.floret"
    loaded = spacy.load(vectors.pipeline_dir(work))
    assert loaded.vocab.vectors.mode == "floret" and loaded.vocab.get_vector("Forssmed").any()
    ner = commands.train_cmd(train.CONFIG_DIR / "ner.cfg", tmp_path / "ner", work, "ner_train", "ner_dev", 0)
    assert ner[ner.index("--paths.vectors") + 1] == str(vectors.pipeline_dir(work))
    ud = commands.train_cmd(train.CONFIG_DIR / "ud.cfg", tmp_path / "ud", work, "ud_train", "ud_dev", 0)
    assert "--paths.vectors" not in ud
    shutil.rmtree(work)


def test_meta_records_the_machine_that_trained():
    """The last digits of a matrix product depend on the CPU and the BLAS kernels: meta.json names them."""
    from pipeline.model.blas import machine

    found = machine()
    assert found["numpy"] and found["spacy"] and found["blas"].startswith("openblas")
    meta = json.loads((Path(__file__).resolve().parents[1] / "models" / "sv_citat" / "meta.json").read_text())
    assert meta["training"]["machines"]["ner (0.6.0)"]["blas_kernels"]

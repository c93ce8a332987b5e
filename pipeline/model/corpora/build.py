"""Conversion of the corpora into spaCy ``DocBin`` files for training (``convert_all``).

Sentence records to Docs (``sentences_to_doc``), news-style augmentation and paragraph breaks,
name swaps with faker name pools (``name_pool``, ``transliterate``, ``substitute_names``), IO and
raw-text (pretraining) writers.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path

from pipeline.model.corpora.harmonise import (
    MISSING_DEP,
    fix_roots,
    harmonise_v1_deps,
    normalise_v1_pos,
    punct_to_next_conjunct,
    stanza_lemmas,
)
from pipeline.model.corpora.readers import (
    Sentence,
    clean_word,
    read_absabank_texts,
    read_conllu,
    read_eukalyptus,
    read_io,
    read_iob2,
    read_norne,
    read_suc3_ner,
)

DEFAULT_WORK_DIR = Path(__file__).resolve().parent.parent.parent / "training"
NER_LABELS = ("PER", "LOC", "ORG")


def write_raw_text(work_dir: Path, corpora: Path, chunk_words: int = 80) -> int:
    """Raw text for ``spacy pretrain`` (``work_dir/raw_text.jsonl``): the texts of the converted NER
    and UD training docs (no dev text), absabank-imm and Eukalyptus, each once, in chunks of at most
    ``chunk_words`` words; returns the number of words."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("sv").vocab
    texts: list[str] = []
    for name in ("ner_train", "ud_train"):
        texts.extend(doc.text for doc in DocBin().from_disk(work_dir / f"{name}.spacy").get_docs(vocab))
    texts.extend(read_absabank_texts(corpora / "absabank-imm"))
    for path in sorted((corpora / "eukalyptus").glob("*.conllu")):
        texts.extend(" ".join(sent["words"]) for sent in read_eukalyptus(path))
    n_words = 0
    with (work_dir / "raw_text.jsonl").open("w", encoding="utf-8") as out:
        for text in dict.fromkeys(t.strip() for t in texts if len(t.strip()) >= 20):
            words = text.split()
            for i in range(0, len(words), chunk_words):
                chunk = words[i:i + chunk_words]
                if len(chunk) >= 5:
                    out.write(json.dumps({"text": " ".join(chunk)}, ensure_ascii=False) + "\n")
                    n_words += len(chunk)
    return n_words


# ---------------------------------------------------------------------------------------------
# spaCy conversion


def sentences_to_doc(vocab, sents: list[Sentence], ner_labels: Iterable[str] | None = None,
                     missing_labels: Iterable[str] = ()):
    """One spaCy Doc from a group of sentence records (gold annotation wherever present)."""
    from spacy.tokens import Doc, Span

    words, spaces, lemmas, pos, tags, morphs, heads, deps, starts = [], [], [], [], [], [], [], [], []
    ents, missing = [], []
    has = {k: all(k in s for s in sents) for k in ("lemmas", "pos", "tags", "morphs", "heads", "ents")}
    for s in sents:
        off = len(words)
        w = [clean_word(x) for x in s["words"]]
        words.extend(w)
        sp = list(s.get("spaces") or [True] * len(w))
        sp[-1] = True
        spaces.extend(sp)
        starts.extend([True] + [False] * (len(w) - 1))
        if has["lemmas"]:
            lemmas.extend(s["lemmas"])
        if has["pos"]:
            pos.extend(s["pos"])
        if has["tags"]:
            tags.extend(s["tags"])
        if has["morphs"]:
            morphs.extend(s["morphs"])
        if has["heads"]:
            h, d = fix_roots(s["heads"], s["deps"])
            heads.extend([off + x - 1 if x > 0 else off + i for i, x in enumerate(h)])
            deps.extend(d)
        if has["ents"]:
            for a, b, lab in s["ents"]:
                if lab in set(missing_labels):
                    missing.append((off + a, off + b))
                elif ner_labels is None or lab in set(ner_labels):
                    ents.append((off + a, off + b, lab))
    kw = {"words": words, "spaces": spaces}
    if has["lemmas"] and any(lemmas):
        kw["lemmas"] = [x if x else None for x in lemmas]
    if has["pos"] and any(pos):
        kw["pos"] = [x if x else None for x in pos]
    if has["tags"] and any(tags):
        kw["tags"] = [x if x else None for x in tags]
    if has["morphs"]:
        kw["morphs"] = [x if x else "" for x in morphs]
    if has["heads"]:
        kw["heads"] = heads
        kw["deps"] = [None if d == MISSING_DEP else d for d in deps]
    else:
        kw["sent_starts"] = starts
    doc = Doc(vocab, **kw)
    if has["ents"]:
        doc.set_ents([Span(doc, a, b, label=lab) for a, b, lab in ents],
                     missing=[Span(doc, a, b) for a, b in missing], default="outside")
    return doc


QUOTE_VARIANTS = [("”", "”"), ("»", "«"), ('"', '"'), ("'", "'")]


def augment_ud_sentence(s: Sentence, rng: random.Random, quote_p: float = 0.5, dash_p: float = 0.05) -> Sentence:
    """News-style variants of a treebank sentence (same tree): paired quotes become ”…”, »…« or
    "…" with probability ``quote_p``, and a talstreck ``–`` is prepended to some sentences."""
    words = list(s["words"])
    qidx = [i for i, w in enumerate(words) if w in ("'", '"', "”", "»", "«")]
    if qidx and rng.random() < quote_p:
        op, cl = rng.choice(QUOTE_VARIANTS)
        for k, i in enumerate(qidx):
            words[i] = op if k % 2 == 0 else cl
    s = dict(s, words=words)
    if (dash_p and rng.random() < dash_p and words and words[0][:1].isupper() and words[-1] in (".", "!", "?")
            and "heads" in s):
        root = s["heads"].index(0) + 1 if 0 in s["heads"] else 1
        s = dict(s)
        s["words"] = ["–"] + s["words"]
        s["spaces"] = [True] + list(s["spaces"])
        s["heads"] = [root + 1] + [h + 1 if h > 0 else 0 for h in s["heads"]]
        s["deps"] = ["punct"] + list(s["deps"])
        for key, val in (("pos", "PUNCT"), ("tags", "MID"), ("morphs", ""), ("lemmas", "–")):
            if key in s:
                s[key] = [val] + list(s[key])
    return s


def add_paragraph_breaks(doc, rng: random.Random, p_newline: float = 0.25, p_blank: float = 0.1):
    """A copy of ``doc`` with whitespace tokens (``\n`` / ``\n\n``) between some sentences.

    The whitespace token hangs on the last token of the previous sentence (dep ``dep``, POS SPACE),
    so that the parser and morphologizer learn what paragraph breaks in raw text look like.
    """
    from spacy.tokens import Doc

    words, spaces, pos, morphs, heads, deps, tags, lemmas = [], [], [], [], [], [], [], []
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        off = len(words)
        for t in sent:
            words.append(t.text)
            spaces.append(bool(t.whitespace_))
            pos.append(t.pos_ or None)
            tags.append(t.tag_ or None)
            morphs.append(str(t.morph))
            heads.append(off + (t.head.i - sent.start))
            deps.append(t.dep_)
            lemmas.append(t.lemma_ or None)
        r = rng.random()
        if k + 1 < len(sents) and r < p_newline + p_blank:
            spaces[-1] = False
            words.append("\n" if r < p_newline else "\n\n")
            spaces.append(False)
            pos.append("SPACE")
            tags.append("_SP")
            morphs.append("")
            heads.append(len(words) - 2)
            deps.append("dep")
            lemmas.append(words[-1])
    extra = {"lemmas": lemmas} if doc.has_annotation("LEMMA") else {}
    return Doc(doc.vocab, words=words, spaces=spaces, pos=pos, tags=tags, morphs=morphs, heads=heads, deps=deps,
               **extra)


def group(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def write_docbin(docs, path: Path) -> int:
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=False)
    n = 0
    for d in docs:
        db.add(d)
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n


def _key(words: list[str]) -> tuple:
    return tuple(words)


# ---------------------------------------------------------------------------------------------
# name substitution: copies of NER training sentences with other, often foreign, person names, so
# that the model learns person contexts rather than a few frequent Swedish names

NAME_LOCALES = ("sv_SE", "en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "pl_PL", "fi_FI", "tr_TR", "nl_NL",
                "ru_RU", "uk_UA")
# Swedish transliteration of Russian and Ukrainian (as in Swedish news: Лукашенко -> Lukasjenko)
CYRILLIC = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "zj", "з": "z", "и": "i",
            "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
            "у": "u", "ф": "f", "х": "ch", "ц": "ts", "ч": "tj", "ш": "sj", "щ": "sjtj", "ъ": "", "ы": "y",
            "ь": "", "э": "e", "ю": "ju", "я": "ja", "і": "i", "ї": "ji", "є": "je", "ґ": "g"}


def transliterate(name: str) -> str:
    out = "".join(CYRILLIC.get(ch.lower(), ch) for ch in name)
    return out[:1].upper() + out[1:] if name[:1].isupper() else out


def name_pool(seed: int = 0, per_locale: int = 300) -> tuple[list[str], list[str]]:
    """First names and surnames from faker's locales (one word each, Latin script)."""
    from faker import Faker

    firsts, lasts = set(), set()
    for locale in NAME_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for _ in range(per_locale):
            for pool, name in ((firsts, fake.first_name()), (lasts, fake.last_name())):
                name = transliterate(name)
                if name.replace("-", "").isalpha() and not name.startswith("-"):  # one word, hyphens allowed
                    pool.add(name)
    return sorted(firsts), sorted(lasts)


def write_io(sents: Iterable[Sentence], path: Path) -> None:
    """Sentences with entities as an IO ``token<TAB>label`` file (``0`` outside), as ``read_io`` reads."""
    with Path(path).open("w", encoding="utf-8") as f:
        for s in sents:
            labels = ["0"] * len(s["words"])
            for a, b, lab in s["ents"]:
                for i in range(a, b):
                    labels[i] = lab
            for w, lab in zip(s["words"], labels, strict=False):
                f.write(f"{w}\t{lab}\n")
            f.write("\n")


def substitute_names(sents: list[Sentence], rng: random.Random, pool: tuple[list[str], list[str]]) -> list[Sentence]:
    """A copy of each sentence with PER entities in which every PER name is replaced, token for
    token, by random first names and a surname from ``pool`` (other annotation unchanged)."""
    firsts, lasts = pool
    out = []
    for s in sents:
        pers = [(a, b) for a, b, lab in s.get("ents", ()) if lab == "PER"]
        if not pers:
            continue
        words = list(s["words"])
        for a, b in pers:
            for i in range(a, b):
                words[i] = rng.choice(lasts) if i == b - 1 and (b - a > 1 or rng.random() < 0.8) else rng.choice(firsts)
        out.append(dict(s, words=words, text=None))
    return out


def convert_all(shared: Path, work_dir: Path = DEFAULT_WORK_DIR, seed: int = 0, dev_fraction: float = 0.1,
                sents_per_doc: int = 10, ner_missing: Iterable[str] = ("MISC", "MISSING"),
                ner_extra: Iterable[str] = (), ner_train_name: str = "ner_train",
                stanza_dir: Path | None = None, name_swaps: bool | str = True, raw_text: bool = False,
                quiet: bool = False) -> dict:
    """Write all training/dev DocBins under ``work_dir`` (and, with ``raw_text``, the raw text for
    pretraining); returns counts."""
    import spacy

    shared = Path(shared)
    corpora = shared / "corpora" if (shared / "corpora").is_dir() else shared
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("sv")
    counts: dict = {}

    # --- UD Talbanken: train (2015, v2-converted) with spaces and docs from uner-talbanken
    uner_train = list(read_iob2(corpora / "uner-talbanken" / "sv_talbanken-ud-train.iob2"))
    by_words = {_key(s["words"]): s for s in uner_train}
    tb_train = list(read_conllu(corpora / "talbanken" / "sv_talbanken-train.v1-converted-to-v2.conllu"))
    matched = 0
    for s in tb_train:
        u = by_words.get(_key(s["words"]))
        if u is not None:
            s["spaces"] = u["spaces"]
            matched += 1
        normalise_v1_pos(s)
        harmonise_v1_deps(s)
        punct_to_next_conjunct(s)
    # no lemmas in this file: Stanza's Talbanken lemmatizer fills them in from the gold tags
    if stanza_dir is not None:
        for s, lemmas in zip(tb_train, stanza_lemmas(tb_train, stanza_dir), strict=True):
            s["lemmas"] = lemmas
        counts["talbanken_train_lemmas"] = "stanza"
    else:
        for s in tb_train:
            s.pop("lemmas", None)
    counts["talbanken_train_sents"] = len(tb_train)
    counts["talbanken_train_matched_text"] = matched
    aug_rng = random.Random(seed)
    tb_aug = [augment_ud_sentence(s, aug_rng) for s in tb_train]
    n = write_docbin((add_paragraph_breaks(sentences_to_doc(nlp.vocab, g), aug_rng)
                      for g in group(tb_aug, sents_per_doc)), work_dir / "ud_train.spacy")
    counts["ud_train_docs"] = n
    tb_dev = list(read_conllu(corpora / "talbanken" / "sv_talbanken-ud-dev.conllu"))
    counts["talbanken_dev_sents"] = len(tb_dev)
    write_docbin((sentences_to_doc(nlp.vocab, g) for g in group(tb_dev, sents_per_doc)), work_dir / "ud_dev.spacy")

    # --- NER: swedish-ner-corpus (dedup, carve dev) + uner-talbanken train/dev
    snc = list(read_io(corpora / "swedish-ner-corpus" / "train_corpus.txt"))
    seen, uniq = set(), []
    for s in snc:
        k = _key(s["words"])
        if k not in seen:
            seen.add(k)
            uniq.append(s)
    rng = random.Random(seed)
    idx = list(range(len(uniq)))
    rng.shuffle(idx)
    n_dev = int(round(len(uniq) * dev_fraction))
    dev_idx = set(idx[:n_dev])
    snc_train = [uniq[i] for i in range(len(uniq)) if i not in dev_idx]
    snc_dev = [uniq[i] for i in sorted(dev_idx)]
    counts.update(snc_sents=len(snc), snc_unique=len(uniq), snc_train=len(snc_train), snc_dev=len(snc_dev))
    uner_dev = list(read_iob2(corpora / "uner-talbanken" / "sv_talbanken-ud-dev.iob2"))
    ner_train = snc_train + uner_train
    if name_swaps is True:  # one copy of every gold sentence with person names, with other names
        swapped = substitute_names(ner_train, random.Random(seed), name_pool(seed))
        counts["ner_name_swaps"] = len(swapped)
        ner_train = ner_train + swapped
    if "suc3" in ner_extra:
        suc = list(read_suc3_ner(corpora / "suc3-fragment" / "dev.jsonl"))
        counts["suc3_sents"] = len(suc)
        ner_train += suc
    if "norne" in ner_extra:
        nor = []
        for p in sorted((corpora / "norne-bokmaal" / "ndt_nob").glob("*.conll")):
            nor.extend(read_norne(p))
        counts["norne_sents"] = len(nor)
        ner_train += nor
    if name_swaps == "all":  # the auxiliary corpora too (tried: worse on dev)
        swapped = substitute_names(ner_train, random.Random(seed), name_pool(seed))
        counts["ner_name_swaps"] = len(swapped)
        ner_train = ner_train + swapped
    rng.shuffle(ner_train)
    counts["ner_train_docs"] = write_docbin(
        (sentences_to_doc(nlp.vocab, g, ner_labels=NER_LABELS, missing_labels=ner_missing)
         for g in group(ner_train, sents_per_doc)), work_dir / f"{ner_train_name}.spacy")
    write_docbin((sentences_to_doc(nlp.vocab, g, ner_labels=NER_LABELS, missing_labels=ner_missing)
                  for g in group(snc_dev + uner_dev, sents_per_doc)), work_dir / "ner_dev.spacy")
    write_io(snc_dev, work_dir / "snc_dev.txt")  # the carved dev split as a gold file for evaluate_ner

    # --- lemmas: Eukalyptus (gold lemmas); hold out every 10th sentence as dev
    euk = []
    for p in sorted((corpora / "eukalyptus").glob("*.conllu")):
        euk.extend(read_eukalyptus(p))
    euk_train = [s for i, s in enumerate(euk) if i % 10 != 0]
    euk_dev = [s for i, s in enumerate(euk) if i % 10 == 0]
    for s in euk_train + euk_dev:
        s.pop("tags", None)
    counts.update(euk_train=len(euk_train), euk_dev=len(euk_dev))
    write_docbin((sentences_to_doc(nlp.vocab, g) for g in group(euk_train, sents_per_doc)),
                 work_dir / "lemma_train.spacy")
    write_docbin((sentences_to_doc(nlp.vocab, g) for g in group(euk_dev, sents_per_doc)),
                 work_dir / "lemma_dev.spacy")
    if raw_text:
        counts["raw_text_words"] = write_raw_text(work_dir, corpora)
    (work_dir / "counts.json").write_text(json.dumps(counts, indent=2))
    if not quiet:
        print(json.dumps(counts, indent=2))
    return counts

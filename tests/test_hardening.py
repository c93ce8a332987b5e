"""Issue 18: the inputs and faults of real archives. Each test names the row of the issue it reproduces.

The generated corpus of `fuzz_corpus` mixes every bad case; the fuzz tests run it through the whole
pipeline and check the invariants (offsets into documents.text, every good record processed, a run
interrupted anywhere resumes to identical tables).
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import NothingToProcess, RunError
from pipeline.run import registry, runner, store
from pipeline.stages import entities, ingest, segment
from pipeline.text import piece_spans

REPO = Path(__file__).resolve().parents[1]
GOOD = "Rubrik\n\n– Det regnar i Minsk, säger Karin Ek.\n"


def _ingest(run: Path, *inputs: Path) -> tuple[pd.DataFrame, dict]:
    runner.run_stage("ingest", run, runner.Options(inputs=list(inputs), quiet=True))
    return store.read_table(run, "documents"), store.read_state(run)


def _named(state: dict, name: str, fragment: str, key: str = "skipped") -> bool:
    return any(e["path"].endswith(name) and fragment in e["problem"] for e in state[key])


# ------------------------------------------------------------------------------------ ingest rows

def test_row1_a_file_name_that_is_not_utf8_is_read_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    try:
        (folder / os.fsdecode(b"namn_\xe5\xe4\xf6.txt")).write_text(GOOD, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    documents, state = _ingest(tmp_path / "run", folder)
    assert sorted(documents["doc_id"]) == ["namn_åäö", "ok"]
    assert any(p.endswith("namn_\\xe5\\xe4\\xf6.txt") for p in documents["path"])
    assert _named(state, "namn_\\xe5\\xe4\\xf6.txt", "not UTF-8", "repaired")
    json.loads((tmp_path / "run" / "run.json").read_text(encoding="utf-8"))


def test_row2_a_lone_surrogate_is_replaced_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a1", "text": "Putin sade \\ud83d att det regnar."}\n{"id": "a2", "text": "Ok."}\n')
    documents, state = _ingest(tmp_path / "run", path)
    assert documents["text"].tolist() == ["Putin sade \ufffd att det regnar.", "Ok."]
    assert _named(state, "a.jsonl", "line 1: lone surrogate", "repaired")


def _unprivileged() -> list[str]:
    """A prefix under which file permissions hold: nothing for a user, setpriv without DAC override for root."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root and setpriv is missing: permissions cannot be tested")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_row3_and_13_unreadable_files_and_folders_are_named_and_the_rest_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "stängd").mkdir(parents=True)
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    (folder / "stängd" / "gömd.txt").write_text(GOOD, encoding="utf-8")
    (folder / "låst.txt").write_text(GOOD, encoding="utf-8")
    (folder / "låst.txt").chmod(0)
    (folder / "stängd").chmod(0)
    run = tmp_path / "run"
    code = ("import sys; from pathlib import Path; from pipeline.run import runner; "
            "runner.run_stage('ingest', Path(sys.argv[2]), runner.Options(inputs=[Path(sys.argv[1])], quiet=True))")
    try:
        done = subprocess.run([*_unprivileged(), sys.executable, "-c", code, str(folder), str(run)],
                              cwd=REPO, capture_output=True, text=True, timeout=120)
    finally:
        (folder / "stängd").chmod(0o755)
        (folder / "låst.txt").chmod(0o644)
    assert done.returncode == 0, done.stderr
    state = store.read_state(run)
    assert store.read_table(run, "documents")["doc_id"].tolist() == ["ok"]
    assert _named(state, "låst.txt", "cannot be read (Permission denied)")
    assert _named(state, "stängd", "folder cannot be read (Permission denied)")


def test_row13_odd_files_in_a_folder_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "bilder").mkdir(parents=True)
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    (folder / "bilder" / "bild.png").write_bytes(b"\x89PNG\r\n")
    (folder / "arkiv.txt.gz").write_bytes(b"\x1f\x8b\x08")
    (folder / "borta.txt").symlink_to(tmp_path / "finns-inte.txt")
    (folder / "länk").symlink_to(folder / "bilder")
    os.mkfifo(folder / "rör.txt")
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(docs_state=_ingest(tmp_path / "run", folder)), daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "ingest opened the FIFO and waits for a writer"
    documents, state = result["docs_state"]
    assert documents["doc_id"].tolist() == ["ok"]
    for name, fragment in [("bild.png", "unsupported file type '.png'"), ("arkiv.txt.gz", "'.gz'"),
                           ("borta.txt", "broken symbolic link"), ("länk", "symbolic link to a folder"),
                           ("rör.txt", "named pipe (FIFO), not a regular file")]:
        assert _named(state, name, fragment), (name, state["skipped"])


def test_row6_bad_records_are_skipped_one_by_one_and_counted(tmp_path: Path) -> None:
    jsonl = tmp_path / "r6.jsonl"
    jsonl.write_text('{"id":"a1","text":"Putin sade att det regnar."}\n{"id":"a2","text":"trasig\n'
                     '[1, 2]\n{"id":"a4","body":"utan text"}\n{"id":"a3","text":"Ok."}\n', encoding="utf-8")
    csv_file = tmp_path / "r6.csv"
    csv_file.write_text('id,text\nc1,Hej.\nc2,"Ett, två",extra\nc3,Tjo.\n', encoding="utf-8")
    documents, state = _ingest(tmp_path / "run", jsonl, csv_file)
    assert documents["doc_id"].tolist() == ["a1", "a3", "c1", "c3"]
    assert _named(state, "r6.jsonl", "line 2: not valid JSON")
    assert _named(state, "r6.jsonl", "line 3: a JSON list, not an object")
    assert _named(state, "r6.jsonl", "line 4: document 'a4' has no text")
    assert _named(state, "r6.csv", "line 3: 3 fields where the header has 2")
    assert state["stages"]["ingest"]["counts"] == {"documents": 4, "files_skipped": 0, "records_skipped": 4,
                                                   "repaired": 0}


def test_row7_a_stray_cp1252_line_is_decoded_alone_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "blandad.txt"
    path.write_bytes("Åsa Öberg säger att det går bra.\n\n".encode() + "Han håller med, säger Per Ås.".encode("cp1252")
                     + "\n\nAnnika Ärlig tror på det.\n".encode())
    documents, state = _ingest(tmp_path / "run", path)
    assert documents["text"][0] == "Åsa Öberg säger att det går bra.\n\nHan håller med, säger Per Ås.\n\n" \
                                   "Annika Ärlig tror på det.\n"
    assert _named(state, "blandad.txt", "not valid UTF-8, decoded as cp1252: line 3", "repaired")


def test_row8_binary_without_nul_bytes_is_no_text(tmp_path: Path) -> None:
    noise = bytes(b for b in random.Random(8).randbytes(6000) if b)[:4096]
    (tmp_path / "brus.txt").write_bytes(noise)
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    documents, state = _ingest(tmp_path / "run", tmp_path / "brus.txt", tmp_path / "ok.txt")
    assert documents["doc_id"].tolist() == ["ok"]
    assert _named(state, "brus.txt", "binary file")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_row9_utf16_with_or_without_bom_is_read(tmp_path: Path, codec: str) -> None:
    (tmp_path / "bred.txt").write_bytes(GOOD.encode(codec))
    documents, _ = _ingest(tmp_path / "run", tmp_path / "bred.txt")
    assert documents["text"].tolist() == [GOOD]


def test_row14_an_unterminated_csv_quote_costs_only_its_record(tmp_path: Path) -> None:
    path = tmp_path / "citat.csv"
    path.write_text('id,text\na1,"Putin sade att det regnar.\na2,Ok.\na3,"Hon sade ""ja"" i går."\n'
                    'a4,"Aldrig stängd\n', encoding="utf-8")
    documents, state = _ingest(tmp_path / "run", path)
    assert documents.set_index("doc_id")["text"].to_dict() == {"a2": "Ok.", "a3": 'Hon sade "ja" i går.'}
    assert _named(state, "citat.csv", "line 2: bad quoting")
    assert _named(state, "citat.csv", "line 5: a quote opened here is never closed")


def test_row15_messages_say_what_is_wrong_and_values_keep_their_form(tmp_path: Path) -> None:
    (tmp_path / "typer.jsonl").write_text(
        '{"id": "n", "text": 42}\n{"id": "l", "text": ["a"]}\n{"id": 7.0, "text": "Sju.", "date": "2024-13-45"}\n'
        '{"id": "t", "text": "Tid.", "date": "2024-05-06T10:00:00Z"}\n{"id": "i", "text": "Igår.", "date": "igår"}\n',
        encoding="utf-8")
    pd.DataFrame({"id": pd.array([1, None, 3], dtype="Int64"), "text": ["Ett.", "Två.", "Tre."],
                  "date": pd.to_datetime(["2024-05-06", "2024-05-07", None])}).to_parquet(tmp_path / "heltal.parquet")
    documents, state = _ingest(tmp_path / "run", tmp_path / "typer.jsonl", tmp_path / "heltal.parquet")
    by_id = documents.set_index("doc_id")["date"].to_dict()
    assert by_id == {"7": None, "t": "2024-05-06", "i": None, "1": "2024-05-06", "3": None}
    assert _named(state, "typer.jsonl", "line 1: document 'n': the text is a number, not a string")
    assert _named(state, "typer.jsonl", "line 2: document 'l': the text is a list, not a string")
    assert _named(state, "heltal.parquet", "row 2: a record has an empty id")
    assert _named(state, "typer.jsonl", "line 3: date '2024-13-45' is not YYYY-MM or YYYY-MM-DD", "repaired")
    assert _named(state, "typer.jsonl", "line 5: date 'igår'", "repaired")


# ------------------------------------------------------------------------------------ size (rows 4, 5)

def test_pieces_of_a_long_paragraph_are_bounded_and_cut_after_sentences() -> None:
    sentence = "Regeringen sade i dag att skatten sänks för alla. "
    text = "  " + sentence * 500 + "slut"
    pieces = piece_spans(text, 2, len(text), 1000)
    assert all(0 < end - start <= 1000 for start, end in pieces)
    assert all(text[end - 1] == "." for start, end in pieces[:-1])
    assert "".join(text[s:e] + " " for s, e in pieces).strip() == text.strip()
    assert piece_spans("x" * 2500, 0, 2500, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_row4_a_paragraph_longer_than_the_model_limit_is_segmented(nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import documents_from_texts

    text = "Kort rubrik\n\n" + " ".join(f"Karin Ek sade att det regnar i Minsk dag {n}." for n in range(300))
    monkeypatch.setattr(nlp, "max_length", 3000)        # the same as a paragraph of over 1,000,000 characters
    tables = segment.segment(documents_from_texts({"lång": text}), nlp)
    assert tables["paragraphs"]["paragraph_id"].tolist() == [0, 1]
    for name in ("paragraphs", "sentences", "tokens"):
        for row in tables[name].itertuples():
            assert text[row.start : row.end] == row.text
    tokens = tables["tokens"]
    assert tokens["token_id"].tolist() == list(range(len(tokens)))
    assert tables["sentences"]["sentence_id"].tolist() == list(range(len(tables["sentences"])))
    assert (tables["sentences"]["end"] - tables["sentences"]["start"]).max() < 200


def _seconds(work, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return max(best, 1e-3)


def _one_line(size: int) -> str:
    words = ["Putin", "sade", "att", "Karin", "Ek", "enligt", "TT", "regnar", "i", "Minsk"]
    rng, out, n = random.Random(5), [], 0
    while n < size:
        sentence = " ".join(rng.choice(words) for _ in range(8)).capitalize() + "."
        out.append(sentence)
        n += len(sentence) + 1
    return " ".join(out)[:size]


def test_row5_cost_is_linear_in_the_size_of_one_document(tmp_path: Path) -> None:
    """20 times the text costs about 20 times as much (a quadratic step would make it 400)."""
    import spacy
    from conftest import documents_from_texts

    blank = spacy.blank("sv")
    blank.add_pipe("sentencizer")
    ratios = {}
    for name, size in (("small", 25_000), ("large", 500_000)):
        text = _one_line(size)
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        documents = documents_from_texts({name: text})
        path = tmp_path / f"{name}.txt"
        ratios.setdefault("ingest", []).append(_seconds(lambda p=path: ingest.read_documents([p]), 3))
        tables = segment.segment(documents, blank)
        ratios.setdefault("segment", []).append(_seconds(lambda d=documents: segment.segment(d, blank), 1))
        tokens = tables["tokens"].assign(ent_iob="B", ent_type="PER").astype({"ent_iob": "string",
                                                                              "ent_type": "string"})
        ratios.setdefault("entities", []).append(
            _seconds(lambda d=documents, t=tokens: entities.extract_entities(d, t), 1))
    for stage, (small, large) in ratios.items():
        assert large / small < 60, f"{stage}: 20 times the text took {large / small:.0f} times as long"


def test_tables_are_read_batch_by_batch_each_row_group_once(tmp_path: Path, monkeypatch) -> None:
    run = tmp_path / "run"
    run.mkdir()
    with store.table_writer(run, "paragraphs") as write:
        for n in range(6):
            write(pd.DataFrame({"doc_id": [f"d{n}"] * 2, "paragraph_id": [0, 1], "start": [0, 5], "end": [4, 9],
                                "text": ["abcd", "efgh"], "kind": ["body", "body"]}))
    reads = []
    real = store.pq.ParquetFile.read_row_group
    monkeypatch.setattr(store.pq.ParquetFile, "read_row_group", lambda self, i, **kw: reads.append(i) or real(self, i))
    order = ["d0", "x", "d1", "d2", "y", "d3", "d4", "d5"]          # documents without paragraphs between
    reader = store.TableReader(run, "paragraphs", order)
    for batch in (["d0", "x", "d1"], ["d2"], ["y"], ["d3", "d4", "d5"]):
        pd.testing.assert_frame_equal(reader.take(batch), store.read_table(run, "paragraphs", batch))
    assert reads == list(range(6))
    shuffled = store.TableReader(run, "paragraphs", ["d1", "d0", "d2", "d3", "d4", "d5"])     # not their order
    assert shuffled.take(["d1"])["doc_id"].tolist() == ["d1", "d1"]
    assert shuffled.take(["d0"])["doc_id"].tolist() == ["d0", "d0"]


# ------------------------------------------------------------------------------------ run directory rows

def _holder(run: Path) -> subprocess.Popen:
    code = ("import sys, time; from pipeline.run import store\n"
            "with store.locked(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(run)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_row11_a_second_citat_on_the_same_run_stops_at_once(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    holder = _holder(run)
    try:
        started = time.perf_counter()
        with pytest.raises(RunError, match=f"in use by another citat \\(pid {holder.pid} on "):
            runner.run_all(run, runner.Options(inputs=[tmp_path / "a.txt"], quiet=True))
        assert time.perf_counter() - started < 5
        done = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(tmp_path / "a.txt"), "--out",
                               str(run)], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and "in use by another citat" in done.stderr
    finally:
        holder.kill()
        holder.wait()
    # the holder was killed: its lock is stale and taken over; released again on exit
    runner.run_stage("ingest", run, runner.Options(inputs=[tmp_path / "a.txt"], quiet=True))
    assert not (run / store.LOCK_FILE).exists()


def test_row11_the_lock_is_released_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = tmp_path / "run"
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")

    def broken(inputs):
        raise RuntimeError("a bug")

    monkeypatch.setitem(registry.REGISTRY, "ingest", replace(registry.REGISTRY["ingest"], function=broken))
    with pytest.raises(RuntimeError):
        runner.run_stage("ingest", run, runner.Options(inputs=[tmp_path / "a.txt"], quiet=True))
    assert not (run / store.LOCK_FILE).exists()
    with store.locked(run):
        assert (run / store.LOCK_FILE).exists()


def test_row16_a_file_or_a_foreign_run_json_as_run_directory_is_a_run_error(tmp_path: Path) -> None:
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    (tmp_path / "tom").mkdir()
    (tmp_path / "tom" / "run.json").write_text("{}", encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    for out, message in ((tmp_path / "fil", "is a file"), (tmp_path / "tom", "not a run.json of citat")):
        with pytest.raises(RunError, match=message):
            runner.run_all(out, runner.Options(inputs=[tmp_path / "a.txt"], quiet=True))
    assert not (tmp_path / "tom" / store.LOCK_FILE).exists()


def test_row17_a_damaged_table_that_a_stage_reads_is_noticed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    run = tmp_path / "run"
    options = runner.Options(inputs=[tmp_path / "a.txt"], quiet=True)
    runner.run_all(run, options, until="entities")
    tokens = store.table_path(run, "tokens")
    tokens.write_bytes(tokens.read_bytes()[:-20] + bytes(20))
    with pytest.raises(RunError, match="tokens.parquet: damaged or changed since `citat segment` wrote it"):
        runner.run_stage("entities", run, runner.Options(quiet=True))
    assert runner.run_all(run, options, until="entities")["segment"] == "ran"      # `citat run` repairs it


def test_row17_a_failed_reingest_keeps_the_run_json_of_the_tables_there(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "a.txt").write_text(GOOD, encoding="utf-8")
    (good / "tom.txt").write_text("", encoding="utf-8")
    (bad / "trasig.txt").write_bytes(b"\x00\x01")
    run = tmp_path / "run"
    _, before = _ingest(run, good)
    with pytest.raises(NothingToProcess, match="trasig.txt: binary file"):
        _ingest(run, bad)
    after = store.read_state(run)
    assert after == before and after["skipped"] == [{"path": str(good / "tom.txt"), "problem": "empty file"}]


# ------------------------------------------------------------------------------------ segmenter (row 18)

def test_row18_spacy_is_the_default_segmenter_even_where_stanza_is_installed(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "stanza" / "sv").mkdir(parents=True)
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path / "stanza"))
    assert runner.Options().segmenter == "spacy"
    assert runner._model_choice(runner.Options())["segmenter"] == "spacy"
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    runner.run_all(tmp_path / "run", runner.Options(inputs=[tmp_path / "a.txt"], quiet=True), until="segment")
    assert store.read_state(tmp_path / "run")["stages"]["segment"]["segmenter"] == "spacy"
    from pipeline.run.report import summary

    assert "(segmenter spacy)" in summary(tmp_path / "run")


def test_row18_stanza_runs_with_torch_capped_at_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    stanza = pytest.importorskip("stanza")
    from pipeline.model import loading

    before = torch.get_num_threads()
    monkeypatch.setattr(stanza, "Pipeline", lambda *args, **kwargs: None)
    try:
        torch.set_num_threads(4)
        loading.StanzaTokenizer(None, "nowhere", lemmas=False)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


# ------------------------------------------------------------------------------------ fuzz

NAMES = ["Karin Ek", "Putin", "Anna Berg", "Lars Holm", "Åsa Öberg", "Lukasjenko"]
CLAIMS = ["det regnar i Minsk", "skatten sänks i höst", "skolan byggs om", "priserna stiger", "tåget är sent"]


def _article(rng: random.Random) -> str:
    def sentence() -> str:
        name, claim, verb = rng.choice(NAMES), rng.choice(CLAIMS), rng.choice(["sade", "säger", "menar"])
        return rng.choice([f"{name} {verb} att {claim}.", f"– {claim.capitalize()}, {verb} {name}.",
                           f"Enligt TT {claim}.", f"”{claim.capitalize()}”, {verb} hon."])
    paragraphs = [" ".join(sentence() for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 4))]
    head = [f"{rng.choice(CLAIMS).capitalize()}"] if rng.random() < 0.5 else []
    return ("date 2024-05\n" if rng.random() < 0.2 else "") + "\n\n".join(head + paragraphs) + "\n"


def fuzz_corpus(folder: Path, seed: int = 18) -> tuple[set[str], list[tuple[str, str]]]:
    """A few hundred documents in every kind of file, good and bad; (the good doc_ids, (file, problem) expected)."""
    rng, good, bad = random.Random(seed), set(), []
    (folder / "a" / "b").mkdir(parents=True)
    encodings = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "mixed", "crlf"]
    for n in range(40):
        text, how = _article(rng), encodings[n % len(encodings)]
        raw = (text.encode("utf-8") + "Ås sade nej.\n".encode("cp1252") if how == "mixed" else
               text.replace("\n", "\r\n").encode() if how == "crlf" else text.encode(how))
        (folder / ("a/b" if n % 3 else "a") / f"t{n}.txt").write_bytes(raw)
        good.add(f"t{n}")
    (folder / "lång.txt").write_text(" ".join(_article(rng).replace("\n", " ") for _ in range(120)), encoding="utf-8")
    good.add("lång")
    for name, raw, problem in [("tom.txt", b" \n", "empty file"), ("nul.txt", b"ab\x00cd", "binary file"),
                               ("brus.txt", bytes(b for b in rng.randbytes(3000) if b), "binary file"),
                               ("bild.png", b"\x89PNG", "unsupported file type"),
                               ("x.gz", b"\x1f\x8b", "unsupported file type")]:
        (folder / name).write_bytes(raw)
        bad.append((name, problem))
    (folder / "borta.txt").symlink_to(folder / "finns-inte")
    bad.append(("borta.txt", "broken symbolic link"))
    for f in range(4):
        lines = []
        for n in range(50):
            doc_id, roll = f"j{f}-{n}", rng.random()
            record = {"id": doc_id, "text": _article(rng), "date": rng.choice(["2024-05-06", "igår", None])}
            if roll < 0.06:
                lines.append(json.dumps(record)[:-9])
                bad.append((f"j{f}.jsonl", f"line {n + 1}: not valid JSON"))
                continue
            if roll < 0.1:
                record["text"] = rng.choice([17, ["lista"], "  "])
                bad.append((f"j{f}.jsonl", f"line {n + 1}: document '{doc_id}'"))
            elif roll < 0.13 and good:
                record["id"] = sorted(good)[0]
                bad.append((f"j{f}.jsonl", f"line {n + 1}: duplicate doc_id"))
            else:
                good.add(doc_id)
                if roll < 0.2:
                    record["text"] = record["text"].replace("att", "att \ud83d", 1)
            lines.append(json.dumps(record, ensure_ascii=rng.random() < 0.5))
        (folder / f"j{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    rows = ["id,text,title"] + [f'c{n},"{_article(rng).replace(chr(34), chr(34) * 2)}",T{n}' for n in range(30)]
    good.update(f"c{n}" for n in range(30))
    rows.insert(7, 'ragged,"Ett",två,tre')
    bad.append(("c.csv", f"line {sum(r.count(chr(10)) + 1 for r in rows[:7]) + 1}: 4 fields where the header has 3"))
    rows.append('open,"Aldrig stängd, sade hon.')
    bad.append(("c.csv", "a quote opened here is never closed"))
    (folder / "c.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ids = pd.array([100, None, *range(101, 121)], dtype="Int64")
    pd.DataFrame({"id": ids, "text": [_article(rng) for _ in ids]}).to_parquet(folder / "p.parquet")
    good.update(str(n) for n in range(100, 121))
    bad.append(("p.parquet", "row 2: a record has an empty id"))
    return good, bad


OFFSET_COLUMNS = {"paragraphs": "text", "sentences": "text", "tokens": "text", "entities": "text", "quotes": "quote",
                  "linked_entities": "text", "linked_quotes": "quote"}


def _check_invariants(run: Path, good: set[str], bad: list[tuple[str, str]]) -> None:
    documents = store.read_table(run, "documents")
    assert set(documents["doc_id"]) == good
    texts = documents.set_index("doc_id")["text"].to_dict()
    for table, column in OFFSET_COLUMNS.items():
        frame = store.read_table(run, table)
        wrong = [row for row in zip(frame["doc_id"], frame["start"], frame["end"], frame[column], strict=True)
                 if texts[row[0]][row[1] : row[2]] != row[3]]
        assert not wrong, f"{table}: {len(wrong)} rows whose offsets miss their text, e.g. {wrong[:2]}"
    assert set(store.read_table(run, "paragraphs")["doc_id"]) == good
    state = store.read_state(run)
    for name, fragment in bad:
        assert _named(state, name, fragment), (name, fragment)


def _digests(run: Path) -> dict[str, str]:
    return {path.name: store.file_sha256(path) for path in sorted(run.glob("*.parquet"))}


@pytest.fixture(scope="module")
def fuzz_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str], list]:
    folder = tmp_path_factory.mktemp("fuzz") / "in"
    good, bad = fuzz_corpus(folder)
    run = folder.parent / "run"
    runner.run_all(run, runner.Options(inputs=[folder], quiet=True, batch_size=25))
    return folder, run, good, bad


def test_fuzz_every_good_record_is_processed_and_every_offset_holds(fuzz_run) -> None:
    folder, run, good, bad = fuzz_run
    assert len(good) > 200
    _check_invariants(run, good, bad)


def _failing(declared: registry.Stage, at: int) -> registry.Stage:
    """The stage, dying at its `at`-th batch (as a kill would)."""
    calls = []

    def dying(batches):
        for batch in batches:
            calls.append(1)
            if len(calls) == at:
                raise KeyboardInterrupt("killed")
            yield batch

    @functools.wraps(declared.function)
    def wrapper(**arguments):
        if declared.scope == "corpus":
            return declared.function(**{**arguments, "documents": dying(arguments["documents"])})
        calls.append(1)
        if len(calls) == at:
            raise KeyboardInterrupt("killed")
        return declared.function(**arguments)

    return replace(declared, function=wrapper)


def test_fuzz_a_run_interrupted_anywhere_resumes_to_identical_tables(fuzz_run, tmp_path, monkeypatch) -> None:
    folder, reference, _, _ = fuzz_run
    rng = random.Random(os.environ.get("CITAT_FUZZ_SEED", 18))
    name, at = rng.choice(["segment", "entities", "quotes", "people"]), rng.randint(1, 8)
    print(f"{name} fails at its batch {at}")
    run = tmp_path / "run"
    monkeypatch.setitem(registry.REGISTRY, name, _failing(registry.REGISTRY[name], at))
    with pytest.raises(KeyboardInterrupt):
        runner.run_all(run, runner.Options(inputs=[folder], quiet=True, batch_size=25))
    assert not list(run.glob("*.tmp")) and not (run / store.LOCK_FILE).exists()
    monkeypatch.undo()
    runner.run_all(run, runner.Options(inputs=[folder], quiet=True, batch_size=25))
    assert _digests(run) == _digests(reference), f"after a failure in {name}"


@pytest.mark.slow
def test_fuzz_a_run_killed_at_a_random_moment_resumes_to_identical_tables(fuzz_run, tmp_path) -> None:
    folder, reference, _, _ = fuzz_run
    run = tmp_path / "run"
    code = ("import sys; from pathlib import Path; from pipeline.run import runner; runner.run_all(Path(sys.argv[2]), "
            "runner.Options(inputs=[Path(sys.argv[1])], quiet=True, batch_size=25))")
    worker = subprocess.Popen([sys.executable, "-c", code, str(folder), str(run)], cwd=REPO)
    time.sleep(random.Random(os.environ.get("CITAT_FUZZ_SEED", 18)).uniform(3.0, 8.0))
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    runner.run_all(run, runner.Options(inputs=[folder], quiet=True, batch_size=25))
    assert _digests(run) == _digests(reference)

"""Quote spread, wire copy and the stance of the cue, on short Swedish articles written for these tests."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import api, neardup
from pipeline.cli import app
from pipeline.lexicon import verbs
from pipeline.stages.copies import find_copies
from pipeline.stages.quotes.stance import StanceFinder, model_vectors

AGENCY = ("Flera hundra hushåll i norra Dalarna saknade ström under söndagen sedan ett kraftigt snöoväder dragit "
          "in över landskapet. Enligt elbolaget Dalakraft föll träd över ledningarna på ett tjugotal platser mellan "
          "Mora och Älvdalen. Reparatörer arbetade under hela dagen men kom inte fram till alla platser på grund av "
          "snön. Bolaget räknar med att alla kunder ska ha ström igen till tisdag kväll. Kommunen har öppnat en "
          "värmestuga i Älvdalens församlingshem för dem som behöver.")
EDITED = AGENCY.replace("Flera hundra hushåll", "Hundratals hushåll").replace(" under hela dagen", "") \
    + " Vägverket avråder från onödiga resor i området."
UNRELATED = ("Kommunfullmäktige i Växjö beslutade i går att bygga en ny simhall vid Fyllerydsvägen. Bygget beräknas "
             "kosta 400 miljoner kronor och ska vara klart om tre år. Oppositionen röstade emot förslaget och ville "
             "i stället rusta upp det gamla badhuset i centrum, som är från 1970-talet och har stora brister.")

MINISTER = ("Vi kommer att satsa på fler lärare i alla landets skolor, och vi gör det redan i höstens budget "
            "eftersom barnen inte kan vänta längre på att få den hjälp de behöver för att klara skolan och gå "
            "vidare till gymnasiet")


def documents(rows: list[tuple[str, str, str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": d, "text": t, "date": date, "source": source} for d, t, date, source in rows])


def test_a_reprinted_agency_text_is_a_copy_of_the_earliest():
    docs = documents([("lokal", EDITED, "2024-01-15", "Dalarnas Tidning"), ("tt", AGENCY, "2024-01-14", "TT"),
                      ("vaxjo", UNRELATED, "2024-01-14", "Smålandsposten")])
    copies = find_copies([docs.iloc[:1], docs.iloc[1:]]).set_index("doc_id")
    assert copies.loc["lokal", "copy_of"] == "tt"           # the earlier date wins, not the run order
    assert pd.isna(copies.loc["tt", "copy_of"]) and copies.loc["tt", "story_id"] == "tt"
    assert copies.loc["lokal", "copies"] == copies.loc["tt", "copies"] == 2
    assert copies.loc["vaxjo", "copies"] == 1 and copies.loc["vaxjo", "story_id"] == "vaxjo"
    assert 0.5 <= copies.loc["lokal", "similarity"] < 1.0


def test_the_same_text_a_year_later_is_a_template_not_a_copy():
    docs = documents([("i_fjol", AGENCY, "2023-01", None), ("i_ar", AGENCY, "2024-01", None)])
    assert find_copies([docs])["copies"].tolist() == [1, 1]
    undated = documents([("a", AGENCY, None, None), ("b", EDITED, None, None)])
    assert find_copies([undated])["copies"].tolist() == [2, 2]


def test_a_monthly_template_does_not_chain_into_one_story():
    docs = documents([("jan", AGENCY, "2024-01", None), ("mar", EDITED, "2024-03", None),
                      ("maj", AGENCY, "2024-05", None)])
    copies = find_copies([docs]).set_index("doc_id")
    assert copies.loc["mar", "copy_of"] == "jan" and copies.loc["jan", "copies"] == 2
    assert copies.loc["maj", "copies"] == 1 and pd.isna(copies.loc["maj", "copy_of"])


def test_an_edited_or_shortened_quote_is_the_same_statement():
    # the threshold chosen on the dev pairs lets a long quote (30+ words) differ in a word; a shorter one may be
    # cut or differ in case, punctuation and soft hyphens only (a shared stock sentence is no travelling quote)
    full = neardup.quote_shingles(MINISTER)
    shortened = neardup.quote_shingles("Vi kommer att satsa på fler lärare i alla landets skolor")
    edited = neardup.quote_shingles(MINISTER.replace("höstens", "vårens").replace(",", " –").upper())
    other = neardup.quote_shingles("Vi kommer att satsa på fler poliser i alla landets kommuner, och det brådskar")
    assert neardup.same_statement(full, shortened) and neardup.same_statement(full, edited)
    assert not neardup.same_statement(full, other)
    assert neardup.quote_shingles("Det stämmer inte") is None        # too short to be recognised elsewhere


ARTICLE_A = (f"Regeringen vill ha fler lärare\n\n– {MINISTER}, säger utbildningsminister Lotta Edholm.\n\n"
             "Lärarförbundet välkomnar beskedet.")
ARTICLE_B = ("Budgeten: satsning på skolan\n\nUtbildningsminister Lotta Edholm presenterade på tisdagen regeringens "
             "förslag.\n\n– Vi kommer att satsa på fler lärare i alla landets skolor, och vi gör det redan i "
             "höstens budget, säger Lotta Edholm.\n\nOppositionen hävdar att pengarna inte räcker.")
ARTICLE_C = "Nytt bibliotek i Umeå\n\n– Det här blir en mötesplats för alla, säger kulturchefen Karin Holm."


@pytest.fixture(scope="module")
def travelling(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spread")
    rows = [{"id": "dn-1", "text": ARTICLE_A, "date": "2024-09-10", "source": "DN"},
            {"id": "svd-1", "text": ARTICLE_B, "date": "2024-09-11", "source": "SvD"},
            {"id": "vk-1", "text": ARTICLE_C, "date": "2024-09-11", "source": "VK"}]
    (folder / "in.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(folder / "in.jsonl"), "--out", str(folder / "run"), "--quiet",
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    return folder / "run"


def test_two_articles_sharing_an_edited_quote_form_one_spread(travelling):
    tables = api.read_run(travelling)
    spread = tables["spread"]
    assert len(spread) == 1
    row = spread.iloc[0]
    assert (row["n_docs"], row["n_sources"], row["first_doc_id"], row["first_date"], row["last_date"]) == \
        (2, 2, "dn-1", "2024-09-10", "2024-09-11")
    assert row["speaker"] == "Lotta Edholm" and row["quote"].startswith("Vi kommer att satsa")
    members = tables["quote_spread"]
    assert sorted(members["doc_id"]) == ["dn-1", "svd-1"] and set(members["spread_id"]) == {row["spread_id"]}


def test_export_and_show_carry_the_spread(travelling):
    files = api.export(travelling)
    quotes = pd.read_csv(files["quotes"])
    spread_id = quotes.loc[quotes["doc_id"] == "dn-1", "spread_id"].dropna().unique().tolist()
    assert len(spread_id) == 1 and quotes.loc[quotes["spread_id"] == spread_id[0], "spread_docs"].eq(2).all()
    assert quotes.loc[quotes["doc_id"] == "vk-1", "spread_id"].isna().all()
    assert len(pd.read_csv(files["spread"])) == 1
    documents = pd.read_csv(files["documents"])
    assert documents["copies"].tolist() == [1, 1, 1] and documents["story_id"].tolist() == ["dn-1", "svd-1", "vk-1"]
    result = CliRunner().invoke(app, ["show", str(travelling), "dn-1"])
    assert result.exit_code == 0, result.output
    page = (travelling / "review" / "doc-dn-1.html").read_text(encoding="utf-8")
    assert 'class="quote direct travels"' in page and 'href="doc-svd-1.html"' in page


def test_each_stance_class_from_the_lexicon(travelling):
    finder = StanceFinder(None)
    assert [finder(v)[0] for v in ("säga", "enligt", "konstatera", "hävda", "varna", "slå fast")] == \
        ["neutral", "neutral", "endorsing", "distancing", "emotive", "endorsing"]
    assert finder(None) == (None, None) and finder("bläddra") == ("neutral", "default")
    quotes = api.read_run(travelling)["quotes"]
    claimed = quotes[quotes["cue_lemma"] == "hävda"]
    assert claimed["cue_stance"].tolist() == ["distancing"] and claimed["cue_stance_origin"].tolist() == ["lexicon"]
    assert set(quotes.loc[quotes["cue_lemma"] == "säga", "cue_stance"]) == {"neutral"}


def test_an_unlisted_verb_takes_the_class_of_its_nearest_listed_verbs():
    axes = {stance: np.eye(4, dtype=np.float32)[n] for n, stance in enumerate(verbs.STANCES)}
    listed = {"säga": "neutral", "konstatera": "endorsing", "påpeka": "endorsing", "hävda": "distancing",
              "varna": "emotive"}
    table = {lemma: axes[stance] for lemma, stance in listed.items()}
    table["fastställa"] = axes["endorsing"] * 0.9 + axes["neutral"] * 0.2      # unlisted, near the factives
    table["nynna"] = np.array([1, 1, 1, 1], dtype=np.float32) * 0.0             # no vector at all
    finder = StanceFinder(lambda word: table.get(word, np.zeros(4, dtype=np.float32)), listed)
    assert finder("fastställa") == ("endorsing", "vectors")
    assert finder("nynna") == ("neutral", "default")


def test_the_model_s_vectors_decide_an_unlisted_verb(nlp):
    vectors = model_vectors(nlp)
    assert vectors is not None, "models/sv_citat has no word vectors"
    stance, origin = StanceFinder(vectors)("framhäva")
    assert origin == "vectors" and stance in verbs.STANCES


def test_signatures_estimate_jaccard():
    a = neardup.shingles(neardup.words(AGENCY), 5)
    b = neardup.shingles(neardup.words(EDITED), 5)
    exact = len(a & b) / len(a | b)
    estimate = neardup.estimated_jaccard(neardup.compact(neardup.signature(a)), neardup.compact(neardup.signature(b)))
    assert abs(estimate - exact) < 0.15


def test_the_report_shows_stance_by_gender_and_source_and_the_spread(travelling):
    from pipeline.run import summary_report, views

    tables = views.read_tables(travelling)
    quotes = views.quotes_view(tables)
    gender = quotes["person_id"].map(tables["people"].set_index("person_id")["gender"])
    by_gender = summary_report.stance_table(quotes, gender.fillna("unknown"))
    assert by_gender.loc["female", "neutral"] >= 2            # Lotta Edholm's säger, in two articles
    by_source = summary_report.stance_table(quotes, quotes["article_source"])
    assert by_source.loc["SvD", "distancing"] == 1            # oppositionen hävdar
    html = summary_report.write_report(travelling).read_text(encoding="utf-8")
    assert 'id="stance-gender"' in html and 'id="stance-source"' in html and "Vi kommer att satsa" in html


def test_the_band_index_finds_the_same_on_disk_as_in_memory(monkeypatch):
    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, size=(40, neardup.NUM_PERM), dtype=np.uint64).astype(np.uint32)
    near = base.copy()
    near[:, -40:] = rng.integers(0, 2**32, size=(40, 40), dtype=np.uint64)    # the first bands kept
    items = np.vstack([base, near])

    def candidates() -> list[set[int]]:
        index, signatures, found = neardup.BandIndex(0.5), neardup.Signatures(), []
        for n, values in enumerate(items):
            found.append(index.query(values))
            index.insert(n, values)
            signatures.add(n, values)
        assert all((signatures[n] == items[n]).all() for n in range(len(items)))
        index.close()
        signatures.close()
        return found

    in_memory = candidates()
    monkeypatch.setattr(neardup.BandIndex, "BUFFER", 4)
    monkeypatch.setattr(neardup.BandIndex, "SPILL", 50)
    monkeypatch.setattr(neardup.BandIndex, "MAX_MERGE", 200)
    monkeypatch.setattr(neardup.Signatures, "BLOCK", 8)
    monkeypatch.setattr(neardup.Signatures, "IN_MEMORY", 1)
    assert candidates() == in_memory
    assert all(n in in_memory[40 + n] for n in range(40))       # each near copy finds its original

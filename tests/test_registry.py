"""The outlet registry and the entity gazetteer: shipped data quality, matching on real phrasings, user files."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from onrecord.errors import ConfigError
from onrecord.registry import (
    ENTRY_KINDS,
    OUTLET_KINDS,
    PROFILE_TAGS,
    SPACY_LABELS,
    Gazetteer,
    OutletRegistry,
    Role,
    load_gazetteer,
    load_outlets,
)
from onrecord.registry.outlets import normalize_alias, strip_the


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's own settings or data files."""
    monkeypatch.setenv("ONRECORD_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("ONRECORD_OUTLETS_FILE", raising=False)
    monkeypatch.delenv("ONRECORD_GAZETTEER_FILE", raising=False)


@pytest.fixture(scope="module")
def outlets() -> OutletRegistry:
    return OutletRegistry.load("")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load("")


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- outlets: the shipped data ---------------------------------------------------------------------------------
def test_outlet_count_kinds_and_countries(outlets: OutletRegistry) -> None:
    assert len(outlets) >= 70
    for o in outlets:
        assert o.kind in OUTLET_KINDS, o.name
        assert re.fullmatch(r"[A-Z]{2}", o.country), o.name


def test_every_tag_is_in_the_vocabulary_and_has_a_note(outlets: OutletRegistry) -> None:
    for o in outlets:
        assert set(o.profile) <= set(PROFILE_TAGS), o.name
        assert set(o.notes) == set(o.profile), o.name
        assert all(len(note) > 20 for note in o.notes.values()), o.name
    used = Counter(t for o in outlets for t in o.profile)
    assert set(used) == set(PROFILE_TAGS)  # every tag of the vocabulary is in use


@pytest.mark.parametrize("name", [
    "Reuters", "Associated Press", "Agence France-Presse", "dpa", "ANSA", "EFE", "Kyodo News", "Xinhua", "Anadolu Agency",
    "Bloomberg", "PAP", "Ukrinform", "UNIAN", "Interfax", "Interfax-Ukraine", "TASS", "RIA Novosti", "BelTA",
    "BBC", "CNN", "The Guardian", "The Telegraph", "The New York Times", "The Washington Post", "The Wall Street Journal",
    "Financial Times", "Fox News", "NBC News", "CBS News", "ABC News", "Politico", "Axios", "Al Jazeera", "Bild",
    "Der Spiegel", "Le Monde", "RT", "Sputnik", "Kommersant", "Izvestia", "RBC", "Rossiya 1", "Channel One", "NTV",
    "Meduza", "Novaya Gazeta", "The Moscow Times", "TV Rain", "Mediazona", "Vedomosti", "Zvezda", "Lenta.ru",
    "Ukrainska Pravda", "The Kyiv Independent", "Kyiv Post", "Suspilne", "Hromadske", "RBC-Ukraine", "LIGA.net",
    "Censor.net", "Dzerkalo Tyzhnia", "NV", "Espreso TV", "1+1", "ICTV", "Radio Free Europe/Radio Liberty", "ONT",
    "Belteleradiocompany", "STV", "SB. Belarus Today", "Zerkalo", "Nasha Niva", "Belsat", "Charter 97", "Euroradio",
    "Pul Pervogo", "Belarus Feed", "Rybar", "WarGonzo", "Readovka", "Baza", "Shot", "Mash", "DeepState", "TVN24", "Onet",
    "Gazeta Wyborcza", "Rzeczpospolita",
])
def test_required_outlets_are_present(outlets: OutletRegistry, name: str) -> None:
    assert outlets.get(name) is not None


def test_no_alias_or_domain_names_two_outlets(outlets: OutletRegistry) -> None:
    seen: dict[str, str] = {}
    domains: dict[str, str] = {}
    for o in outlets:
        for alias in {*o.names(), *o.match_only_aliases}:
            cs = o.is_case_sensitive(alias)
            key = normalize_alias(alias if cs else strip_the(alias))
            key = key if cs else key.casefold()
            assert seen.setdefault(key, o.name) == o.name, (alias, o.name, seen[key])
        for d in o.domains:
            assert domains.setdefault(d, o.name) == o.name, d


@pytest.mark.parametrize(("tags", "name"), [
    ({"state-owned", "wire-agency"}, "BelTA"),
    ({"state-owned", "sanctioned"}, "RT"),
    ({"in-exile", "designated-foreign-agent", "banned-in-russia", "independent"}, "Meduza"),
    ({"in-exile"}, "TV Rain"),
    ({"in-exile"}, "Belsat"),
    ({"public-broadcaster"}, "Suspilne"),
    ({"military-blogger"}, "Rybar"),
])
def test_profiles_of_well_known_outlets(outlets: OutletRegistry, tags: set[str], name: str) -> None:
    outlet = outlets.get(name)
    assert outlet is not None and tags <= set(outlet.profile)


# --- outlets: matching -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "name", "mention"), [
    ("quoted by Belarus' state-run news agency BelTA", "BelTA", "BelTA"),
    ("according to RIA Novosti", "RIA Novosti", "RIA Novosti"),
    ("told Reuters", "Reuters", "Reuters"),
    ("said on the air of the ONT TV channel", "ONT", "ONT"),
    ("in an interview with Germany's Bild tabloid", "Bild", "Bild"),
    ("Russia is ready for talks, he said (Interfax).", "Interfax", "Interfax"),
    ("MINSK, 28 January (BelTA) – BelTA has learned", "BelTA", "BelTA"),
    ("quoted by the Russian Information Agency TASS.", "TASS", "TASS"),
    ("he told the Associated Press", "Associated Press", "Associated Press"),
    ("an AP reporter", "Associated Press", "AP"),
    ("told the Guardian", "The Guardian", "the Guardian"),
    ("told the Guardian on Monday", "The Guardian", "the Guardian"),
    ("the Economist reported Tuesday", "The Economist", "the Economist"),
    ("told The Moscow Times", "The Moscow Times", "Moscow Times"),
    ("according to Interfax-Ukraine", "Interfax-Ukraine", "Interfax-Ukraine"),
    ("RBC Ukraine reported", "RBC-Ukraine", "RBC Ukraine"),
    ("ITAR-TASS reported", "TASS", "ITAR-TASS"),
    ("told Ukrainska Pravda", "Ukrainska Pravda", "Ukrainska Pravda"),
    ("told the NV outlet", "NV", "NV"),
    ("on the 1+1 channel", "1+1", "1+1"),
    ("according to the Telegram channel Shot", "Shot", "Telegram channel Shot"),
    ("told Radio Liberty", "Radio Free Europe/Radio Liberty", "Radio Liberty"),
    ("said in an interview with Al-Jazeera", "Al Jazeera", "Al-Jazeera"),
])
def test_find_names_the_outlet_with_offsets(outlets: OutletRegistry, text: str, name: str, mention: str) -> None:
    hits = outlets.find(text)
    assert [(o.name, text[s:e]) for s, e, o in hits][-1] == (name, mention)
    start, end, _ = hits[-1]
    assert text.rindex(mention) == start and end == start + len(mention)


def test_find_reports_every_mention_in_order(outlets: OutletRegistry) -> None:
    text = "Lukashenko told ONT, as quoted by BelTA and later by RIA Novosti and TASS."
    assert [o.name for _, _, o in outlets.find(text)] == ["ONT", "BelTA", "RIA Novosti", "TASS"]
    assert outlets.find(text)[1][:2] == (text.index("BelTA"), text.index("BelTA") + 5)


@pytest.mark.parametrize("text", [
    "a snap decision by the map app",  # "ap" inside words
    "See Ap. 3 of the report",  # "Ap" is not "AP"
    "the ria and the ont",  # short acronyms only in capitals
    "prices went up; Up next",  # "UP" is deliberately not an alias of Ukrainska Pravda
    "the economist said; a legal guardian; the independent experts; an insider",
    "Shot down over the Black Sea; a Deep State conspiracy",  # match-only aliases are not searched for
    "Belarus today announced",  # "Belarus Today" is case-sensitive
    "This is Russia today.",
    "Iran's Guardian Council; the Economist Intelligence Unit; the Independent Media Council",  # longer names
])
def test_find_ignores_ordinary_words(outlets: OutletRegistry, text: str) -> None:
    assert outlets.find(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("Belarus' state-run news agency BelTA", "BelTA"),
    ("Belarusian Telegraph Agency", "BelTA"),
    ("Belarusian Telegraph Agency (BelTA)", "BelTA"),
    ("Germany's Bild tabloid", "Bild"),
    ("the ONT TV channel", "ONT"),
    ("state-run RIA Novosti", "RIA Novosti"),
    ("Russian state news agency TASS", "TASS"),
    ("the Associated Press", "Associated Press"),
    ("AP", "Associated Press"),
    ("Reuters news agency", "Reuters"),
    ("Kremlin-controlled Channel One", "Channel One"),
    ("the independent Russian outlet Meduza", "Meduza"),
    ("the Telegram channel Shot", "Shot"),
    ("the Ukrainian monitoring group Deep State", "DeepState"),
    ("BELTA", "BelTA"),
    ("the Economist", "The Economist"),
    ("RIA Novosti's", "RIA Novosti"),
    ("Reuters’", "Reuters"),
    ("U.S. broadcaster CNN", "CNN"),
])
def test_match_names_the_outlet_despite_descriptors(outlets: OutletRegistry, text: str, name: str) -> None:
    outlet = outlets.match(text)
    assert outlet is not None and outlet.name == name


@pytest.mark.parametrize("text", [
    "a source told Reuters", "RIA Novosti and TASS", "the Kremlin", "ap", "Putin", "the economist", "",
])
def test_match_refuses_what_is_not_one_outlet(outlets: OutletRegistry, text: str) -> None:
    assert outlets.match(text) is None


@pytest.mark.parametrize(("url", "name"), [
    ("https://eng.belta.by/news/1", "BelTA"),
    ("belta.by", "BelTA"),
    ("https://www.bbc.co.uk/news/world-europe-1", "BBC"),
    ("http://news.sky.com/story/x", "Sky News"),
    ("https://www.rbc.ua/rus/news", "RBC-Ukraine"),
    ("https://www.rbc.ru/politics", "RBC"),
    ("https://kyivindependent.com/x", "The Kyiv Independent"),
    ("https://www.pravda.com.ua/eng/news/", "Ukrainska Pravda"),
    ("HTTPS://WWW.REUTERS.COM/world", "Reuters"),
])
def test_by_domain(outlets: OutletRegistry, url: str, name: str) -> None:
    outlet = outlets.by_domain(url)
    assert outlet is not None and outlet.name == name


@pytest.mark.parametrize("url", ["https://example.com", "co.uk", "notbelta.by", ""])
def test_by_domain_unknown(outlets: OutletRegistry, url: str) -> None:
    assert outlets.by_domain(url) is None


def test_registries_pickle_for_worker_processes(outlets: OutletRegistry, gaz: Gazetteer) -> None:
    import pickle

    again = pickle.loads(pickle.dumps(outlets))
    assert again.match("the ONT TV channel") == outlets.get("ONT")
    assert pickle.loads(pickle.dumps(gaz)).lookup("Kiev") == gaz.get("Kyiv")
    assert len({*outlets}) == len(outlets)  # outlets are hashable


# --- outlets: user files ---------------------------------------------------------------------------------------
def test_user_file_is_merged_over_the_shipped_registry(tmp_path: Path, outlets: OutletRegistry) -> None:
    user = write(tmp_path / "mine.json", {"outlets": [
        {"name": "Minsk Herald", "aliases": ["The Minsk Herald"], "domains": ["minskherald.example"], "country": "BY",
         "profile": ["private"], "notes": {"private": "Our own record"}, "kind": "online"},
        {"name": "ONT", "aliases": [], "domains": ["ont.by"], "country": "BY", "profile": ["state-aligned"],
         "notes": {"state-aligned": "A user's own view"}, "kind": "broadcaster"},
        {"name": "Reuters", "extend": True, "aliases": ["Reuters Agency"], "domains": ["reutersagency.com"]},
    ]})
    merged = OutletRegistry.load(user)
    assert len(merged) == len(outlets) + 1
    assert merged.match("the Minsk Herald newspaper").name == "Minsk Herald"  # type: ignore[union-attr]
    assert merged.by_domain("https://minskherald.example/a").name == "Minsk Herald"  # type: ignore[union-attr]
    ont = merged.get("ONT")
    assert ont is not None and ont.profile == ("state-aligned",)
    reuters = merged.match("Reuters Agency")
    assert reuters is not None and "Reuters" in reuters.aliases and reuters.profile == ("wire-agency", "private")
    assert merged.by_domain("reutersagency.com") == reuters
    assert merged.version.endswith("+user")


def test_user_file_from_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = write(tmp_path / "o.json", [{"name": "Test Wire", "aliases": [], "domains": [], "country": "PL",
                                        "profile": [], "notes": {}, "kind": "wire agency"}])
    monkeypatch.setenv("ONRECORD_OUTLETS_FILE", str(user))
    assert OutletRegistry.load().get("Test Wire") is not None
    assert load_outlets().get("Test Wire") is not None
    monkeypatch.delenv("ONRECORD_OUTLETS_FILE")
    assert load_outlets().get("Test Wire") is None
    assert load_outlets() is load_outlets("")


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "not valid JSON"),
    ([{"name": "X", "aliases": [], "domains": [], "country": "BY", "profile": [], "notes": {}}], "missing field(s) kind"),
    ([{"name": "X", "aliases": [], "domains": [], "country": "BY", "profile": ["state-run"], "notes": {}, "kind": "online"}],
     "unknown profile tag(s) state-run"),
    ([{"name": "X", "aliases": [], "domains": [], "country": "BY", "profile": ["private"], "notes": {}, "kind": "online"}],
     "need a note"),
    ([{"name": "X", "aliases": [], "domains": [], "country": "Belarus", "profile": [], "notes": {}, "kind": "online"}],
     "ISO 3166-1"),
    ([{"name": "X", "alias": [], "domains": [], "country": "BY", "profile": [], "notes": {}, "kind": "online"}],
     "unknown field(s) alias"),
    ([{"name": "Nobody", "extend": True, "aliases": ["N"]}], "no shipped entry"),
    ({"outlet": []}, "expected a JSON list"),
])
def test_bad_user_file_is_a_config_error(tmp_path: Path, content: object, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        OutletRegistry.load(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_missing_user_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        OutletRegistry.load(tmp_path / "absent.json")


# --- gazetteer -------------------------------------------------------------------------------------------------
def test_gazetteer_kinds_and_sizes(gaz: Gazetteer) -> None:
    kinds = Counter(e.kind for e in gaz)
    assert set(kinds) == set(ENTRY_KINDS)
    assert kinds["person"] >= 30 and kinds["country"] >= 30 and kinds["weapon"] >= 30 and kinds["place"] >= 40


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("Zelenskyy", "Volodymyr Zelensky", "person"),
    ("Zelenskiy", "Volodymyr Zelensky", "person"),
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky", "person"),
    ("Alyaksandr Lukashenka", "Alexander Lukashenko", "person"),
    ("Putin", "Vladimir Putin", "person"),
    ("Putin's", "Vladimir Putin", "person"),
    ("HUR", "Defence Intelligence of Ukraine", "intelligence"),
    ("GUR", "Defence Intelligence of Ukraine", "intelligence"),
    ("Ukraine's military intelligence", "Defence Intelligence of Ukraine", "intelligence"),
    ("Ukraine’s military intelligence", "Defence Intelligence of Ukraine", "intelligence"),
    ("the Main Intelligence Directorate", "Defence Intelligence of Ukraine", "intelligence"),
    ("SBU", "Security Service of Ukraine", "intelligence"),
    ("Kiev", "Kyiv", "place"),
    ("Kharkov", "Kharkiv", "place"),
    ("Dnipropetrovsk", "Dnipro", "place"),
    ("Odessa", "Odesa", "place"),
    ("Minsk", "Minsk", "place"),
    ("RS-26 Rubezh", "RS-26 Rubezh", "weapon"),
    ("RS 26 Rubezh", "RS-26 Rubezh", "weapon"),
    ("RS–26 Rubezh", "RS-26 Rubezh", "weapon"),
    ("Kedr", "Kedr", "weapon"),
    ("Oreshnik", "Oreshnik", "weapon"),
    ("Geran-2", "Shahed-136", "weapon"),
    ("Tsirkon", "Zircon", "weapon"),
    ("the Kremlin", "Kremlin", "state_body"),
    ("Verkhovna Rada", "Verkhovna Rada", "state_body"),
    ("Supreme State Council", "Supreme State Council of the Union State", "state_body"),
    ("Russian Defence Ministry", "Russian Ministry of Defence", "military"),
    ("Wagner", "Wagner Group", "military"),
    ("US", "United States", "country"),
    ("the U.S.", "United States", "country"),
    ("Britain", "United Kingdom", "country"),
    ("Russian Federation", "Russia", "country"),
])
def test_lookup(gaz: Gazetteer, text: str, name: str, kind: str) -> None:
    entry = gaz.lookup(text)
    assert entry is not None and (entry.name, entry.kind) == (name, kind)


@pytest.mark.parametrize("text", ["us", "hur", "patriot", "turkey", "china", "the", "", "Someone Unknown"])
def test_lookup_refuses_ordinary_words(gaz: Gazetteer, text: str) -> None:
    assert gaz.lookup(text) is None


def test_aliases_name_one_entry_each(gaz: Gazetteer) -> None:
    for entry in gaz:
        for alias in entry.names():
            found = gaz.lookup(alias)
            assert found is not None and found.name == entry.name, (alias, entry.name, found and found.name)


def test_roles_and_demonyms(gaz: Gazetteer) -> None:
    putin = gaz.lookup("Putin")
    assert putin is not None and "President of Russia" in {r.role for r in putin.roles}
    assert {"Kremlin leader", "Russian ruler"} <= {r.role for r in putin.roles}
    assert [r.role for r in putin.roles_on("2010-01-01")] == ["Prime Minister of Russia"]
    shoigu = gaz.lookup("Shoigu")
    assert shoigu is not None
    assert [r.role for r in shoigu.roles_on("2023-01-01")] == ["Minister of Defence of Russia"]
    assert [r.role for r in shoigu.roles_on("2024-09-01")] == ["Secretary of the Security Council of Russia"]
    assert Role("Kremlin leader").active_on("2024-01-01") is None
    assert Role("X", "2024-05", None).active_on("2024-05-20") and not Role("X", None, "2024-05").active_on("2024-06-01")
    belarus = gaz.by_demonym("Belarusian")
    assert belarus is not None and belarus.name == "Belarus"
    assert gaz.as_of is not None


def test_roles_have_valid_dates(gaz: Gazetteer) -> None:
    for entry in gaz:
        for role in entry.roles:
            assert role.start is None or role.end is None or role.start <= role.end, (entry.name, role)


def test_gazetteer_user_file(tmp_path: Path, gaz: Gazetteer) -> None:
    user = write(tmp_path / "g.json", {"entries": [
        {"name": "Kedr", "extend": True, "aliases": ["Kedr ICBM project"]},
        {"name": "Hazel Missile", "kind": "weapon", "aliases": ["Hazel"], "note": "test"},
        {"name": "Vladimir Putin", "extend": True, "roles": [{"role": "Supreme Commander-in-Chief"}]},
    ]})
    merged = Gazetteer.load(user)
    assert len(merged) == len(gaz) + 1
    assert merged.lookup("Kedr ICBM project").name == "Kedr"  # type: ignore[union-attr]
    assert merged.lookup("Hazel").kind == "weapon"  # type: ignore[union-attr]
    putin = merged.lookup("Putin")
    assert putin is not None and putin.roles[-1].role == "Supreme Commander-in-Chief" and len(putin.roles) > 1
    assert load_gazetteer() is load_gazetteer("")


@pytest.mark.parametrize(("content", "problem"), [
    ("[", "not valid JSON"),
    ([{"name": "X", "aliases": []}], "missing field(s) kind"),
    ([{"name": "X", "kind": "vehicle", "aliases": []}], "unknown kind"),
    ([{"name": "X", "kind": "person", "aliases": [], "roles": [{"role": "Y", "from": "May 2024"}]}], "YYYY-MM-DD"),
])
def test_bad_gazetteer_file_is_a_config_error(tmp_path: Path, content: object, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Gazetteer.load(path)
    assert str(path) in str(info.value) and problem in str(info.value)


# --- gazetteer: spaCy EntityRuler round trip -------------------------------------------------------------------
@pytest.fixture(scope="module")
def ruler_nlp(gaz: Gazetteer):
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(gaz.entity_ruler_patterns())
    return nlp


def test_patterns_shape(gaz: Gazetteer) -> None:
    patterns = gaz.entity_ruler_patterns()
    labels = {**SPACY_LABELS, "place": {"GPE", "LOC", "FAC"}}
    by_name = {e.name: e for e in gaz}
    for p in patterns:
        entry = by_name[p["id"]]
        assert p["label"] in (labels[entry.kind] if entry.kind == "place" else {labels[entry.kind]})
        attrs = {k for tok in p["pattern"] for k in tok}
        assert attrs in ({"LOWER"}, {"ORTH"})
    crimea = [p for p in patterns if p["id"] == "Crimea"]
    assert crimea and {p["label"] for p in crimea} == {"LOC"}
    hur = next(p for p in patterns if p["id"] == "Defence Intelligence of Ukraine" and len(p["pattern"]) == 1
               and p["pattern"][0].get("ORTH") == "HUR")
    assert hur["label"] == "ORG"
    assert {"label": "WEAPON", "pattern": [{"LOWER": "oreshnik"}], "id": "Oreshnik"} in patterns


def test_every_pattern_matches_its_own_tokens(gaz: Gazetteer, ruler_nlp) -> None:
    from spacy.tokens import Doc

    ruler = ruler_nlp.get_pipe("entity_ruler")
    for p in gaz.entity_ruler_patterns():
        words = [next(iter(tok.values())) for tok in p["pattern"]]
        doc = ruler(Doc(ruler_nlp.vocab, words=words))
        assert [(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents] == [(0, len(words), p["label"], p["id"])], p


def test_every_alias_text_is_recognised(gaz: Gazetteer, ruler_nlp) -> None:
    for entry in gaz:
        for alias in entry.names():
            text = strip_the(alias)
            doc = ruler_nlp(text)
            assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [(text, entry.spacy_label, entry.name)], alias


def test_ruler_in_a_sentence(ruler_nlp) -> None:
    doc = ruler_nlp("Zelenskyy said HUR chief Budanov warned that the RS 26 Rubezh and Oreshnik could hit Kiev.")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("Zelenskyy", "PERSON", "Volodymyr Zelensky"),
        ("HUR", "ORG", "Defence Intelligence of Ukraine"),
        ("Budanov", "PERSON", "Kyrylo Budanov"),
        ("RS 26 Rubezh", "WEAPON", "RS-26 Rubezh"),
        ("Oreshnik", "WEAPON", "Oreshnik"),
        ("Kiev", "GPE", "Kyiv"),
    ]
    assert [e.text for e in ruler_nlp("a patriot from turkey and china").ents] == []

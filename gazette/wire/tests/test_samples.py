"""Every real agency sample in shared/samples/wire, imported and checked against
the file's own words: each expected value below is asserted to be in the file."""

import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from gazette.newsroom.models import Article, Photo
from gazette.wire import parsing
from gazette.wire.models import WireVersion
from gazette.wire.parsing import ParseError
from gazette.wire.services import Outcome, import_file

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = next(
    path
    for path in (
        ROOT.parent / "shared" / "samples" / "wire",
        Path("/work/shared/samples/wire"),
    )
    if path.is_dir()
)
ITALY = "Captain of wrecked cruise ship on trial in Italy"
FED = 'Fed to halt QE to avert "bubble"'

STORIES = {
    "005_complex_text_article.json": {
        "headline": ITALY,
        "dateline": "GROSSETO, Italy",
        "wire_source": "Associated Press",
        "byline": "By Paulo Santalucia and Frances d'Emilio",
        "body": "The trial of the captain of the shipwrecked Costa Concordia",
        "version": 0,
        "updated": "2013-07-09T10:37:00Z",
        "first": "2013-07-09T10:37:00Z",
        "language": "en",
    },
    "ninjsExSimpleText_2.json": {
        "headline": ITALY,
        "dateline": "GROSSETO, Italy",
        "wire_source": "Associated Press",
        "byline": "By Paulo Santalucia and Frances d'Emilio",
        "body": "The trial of the captain of the shipwrecked Costa Concordia",
        "version": 0,
        "updated": "2013-07-09T10:37:00Z",
        "first": "2013-07-09T10:37:00Z",
        "language": "en",
    },
    "ninjsExSimpleText_3.json": {
        "headline": ITALY,
        "dateline": "GROSSETO, Italy",
        "wire_source": "Associated Press",
        "byline": "By Paulo Santalucia and Frances d'Emilio",
        "body": "The trial of the captain of the shipwrecked Costa Concordia",
        "version": 0,
        "updated": "2013-07-09T10:37:00Z",
        "first": "2013-07-09T10:37:00Z",
        "language": "en",
    },
    "dpa_text.json": {
        "headline": "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
        "dateline": "",
        "wire_source": "dpa",
        "byline": "Von Christian Hollmann, dpa",
        "body": "Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren».",
        "version": 2,
        "updated": "2019-05-10T16:02:28+02:00",
        "first": "2019-05-10T16:02:28+02:00",
        "language": "de",
    },
    "tt_text_image_3.json": {
        "headline": "Militärövning i jätteformat hålls 2023",
        "dateline": "",
        "wire_source": "TT",
        "byline": "",
        "body": "Pandemin satte stopp för den stora internationella militärövningen",
        "version": 1,
        "updated": "2021-05-26T13:40:18+02:00",
        "first": "2021-05-26T13:40:18+02:00",
        "language": "sv",
        "credit": "Karl Melander/TT",
        "caption": "En stor internationell försvarsövning planeras 2023 med fokus "
        "på södra Sverige och Gotland. Arkivbild från militärövningen Aurora 17.",
        "image_url": "https://beta.tt.se/media/text/210526-militarovning-a0f2d045/"
        "a001_NormalPreview.jpg",
    },
    "ap_image.json": {
        "headline": "Turkey Islamic State",
        "dateline": "",
        "wire_source": "",
        "byline": "",
        "body": "FILE - In this Monday, Nov. 11, 2019 file photo, a man identified",
        "version": 0,
        "updated": "2019-11-15T14:39:44Z",
        "first": "2019-11-15T13:39:59Z",
        "language": "en",
        "credit": "ASSOCIATED PRESS",
        "caption": "FILE - In this Monday, Nov. 11, 2019 file photo, a man identified",
        "image_url": "http://mapi.associatedpress.com/v1/items/"
        "b2b6c3f4642f46deac7509d4db315ca0.0/preview/preview.jpg",
    },
    "LISTING_2_NewsML-G2_Text_Document.xml": {
        "headline": FED,
        "dateline": "NEW YORK, NY",
        "wire_source": "Associated Press",
        "byline": "By Meredith Jameson, Staff Reporter",
        "body": "(New York, NY - October 21) Et, sent luptat luptat, commy",
        "version": 11,
        "updated": "2018-11-21T16:25:32-05:00",
        "first": "2016-11-21T15:21:06-05:00",
        "language": "en-US",
    },
    "LISTING_3_Photo_in_NewsML-G2.xml": {
        "headline": "Variety Of Recessionary Forces Leave Las Vegas Economy Scarred",
        "dateline": "",
        "wire_source": "Getty Images Inc.",
        "byline": "",
        "body": "A general view of part of downtown, including Las Vegas Boulevard,",
        "version": 11,
        "updated": "2018-10-12T06:42:04Z",
        "first": "2010-10-20T20:58:00Z",
        "language": "en-US",
        "credit": "Spencer Platt / Getty Images",
        "caption": "A general view of part of downtown, including Las Vegas Boulevard,",
        "image_url": "",
    },
    "LISTING_6_Simple_NewsML-G2_Package.xml": {
        "headline": "Obama annonce son équipe",
        "dateline": "",
        "wire_source": "",
        "byline": "",
        "body": "Le rachat il y a deux ans de la propriété par Alan Gerry,",
        "version": 0,
        "updated": "2018-11-17T12:30:00Z",
        "first": "2018-11-17T12:30:00Z",
        "language": "en",
        "credit": "",
        "caption": "Si nous avons aujourd'hui un afro-américain et une femme dans la "
        "course à la présidence.",
        "image_url": "",
    },
}
REFUSED = {
    "LISTING_1_A_NewsML-G2_News_Item.xml": "the story has no text",
    "ap_metadata_example.xml": "the story has no headline",
    "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml": (
        "a NewsML-G2 fragment (<contentMeta>) outside any item"
    ),
}


def words_of(path: Path) -> str:
    """The file's text as it reads: JSON strings unescaped, XML as written."""
    data = path.read_bytes()
    if path.suffix == ".json":
        return json.dumps(json.loads(data), ensure_ascii=False)
    encoding = "iso-8859-1" if b'encoding="ISO-8859-1"' in data[:100] else "utf-8"
    text = data.decode(encoding)
    # As written (ids live in attributes), then as read (text between the tags).
    return " ".join(text.split()) + " " + " ".join(re.sub("<[^>]+>", " ", text).split())


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_every_sample_is_either_checked_here_or_refused_by_name():
    files = {path.name for path in SAMPLES.iterdir() if path.name != "SOURCES.md"}
    assert files == set(STORIES) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(STORIES))
def test_sample_yields_the_story_the_file_tells(name):
    path = SAMPLES / name
    expected = STORIES[name]
    words = words_of(path)
    for key in ("headline", "byline", "body", "credit", "caption"):
        for text in expected.get(key, "").removeprefix("By ").split(" / "):
            assert text.replace('"', '\\"') in words or text in words, (key, text)
    [story] = parsing.parse(path.read_bytes(), filename=name)
    assert story.headline == expected["headline"]
    assert story.dateline == expected["dateline"]
    assert story.wire_source == expected["wire_source"]
    assert story.version == expected["version"]
    assert story.updated_at == moment(expected["updated"])
    assert story.first_published_at == moment(expected["first"])
    assert story.language == expected["language"]
    assert story.body_html.startswith(f"<p>{escape(expected['body'])}")
    assert story.wire_id in words
    if "credit" in expected:
        [photo] = story.photos
        assert photo.credit == expected["credit"]
        assert photo.caption.startswith(expected["caption"])
        assert photo.image_url.startswith(expected["image_url"])
    else:
        assert story.photos == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(STORIES))
def test_sample_is_filed_as_a_story_with_its_history(name):
    expected = STORIES[name]
    [result] = import_file(SAMPLES / name)
    assert result.outcome is Outcome.IMPORTED
    article = Article.objects.select_related("lead_photo").get()
    assert article.headline == expected["headline"]
    assert article.dateline == expected["dateline"]
    assert article.byline == expected["byline"]
    assert article.wire_source == expected["wire_source"]
    assert article.body.startswith(f"<p>{escape(expected['body'])}")
    assert article.source_version == expected["version"]
    assert article.published_at == moment(expected["first"])
    assert article.status == Article.Status.PUBLISHED
    if "credit" in expected:
        assert article.lead_photo.credit == expected["credit"]
        assert article.lead_photo.caption.startswith(expected["caption"])
        assert article.lead_photo.image_url.startswith(expected["image_url"])
    else:
        assert article.lead_photo is None
    [version] = WireVersion.objects.all()
    assert version.article == article
    assert version.version == expected["version"]
    assert version.version_created_at == moment(expected["updated"])
    assert version.content["headline"] == expected["headline"]
    assert version.origin == str(SAMPLES / name)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "message"), sorted(REFUSED.items()))
def test_sample_that_holds_no_story_is_refused_by_name(name, message):
    with pytest.raises(ParseError) as refused:
        import_file(SAMPLES / name)
    assert message in str(refused.value)
    assert not Article.objects.exists()
    assert not WireVersion.objects.exists()


def test_news_item_skeleton_still_gives_its_metadata():
    [story] = parsing.parse(
        (SAMPLES / "LISTING_1_A_NewsML-G2_News_Item.xml").read_bytes()
    )
    assert story.headline == FED
    assert story.dateline == "BERLIN"
    assert story.wire_source == "Reuters"
    assert story.bylines == ["Meredith Jameson"]
    assert story.version == 11
    assert story.embargoed_until == moment("2018-10-23T12:00:00Z")
    assert story.subjects == ["economy, business and finance", "labour market"]
    assert story.body_html == ""


def test_ap_metadata_names_its_subjects_through_asserts():
    [story] = parsing.parse((SAMPLES / "ap_metadata_example.xml").read_bytes())
    assert story.subjects == ["Kentucky", "Keegan Murray", "Volkswagen AG"]
    assert story.wire_source == "Associated Press"
    assert story.version == 11
    assert story.updated_at == moment("2022-04-08T12:00:00Z")


def test_dateline_of_the_located_fragment_reads_as_a_place():
    fragment = SAMPLES / "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml"
    content_meta = (
        fragment.read_text()
        .replace(
            "<contentMeta>", '<contentMeta xmlns="http://iptc.org/std/nar/2006-10-01/">'
        )
        .replace(
            "</contentMeta>",
            "<headline>Talks on South Ossetia</headline></contentMeta>",
        )
    )
    item = (
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:'
        'example.com:1" version="1"><itemMeta><itemClass qcode="ninat:text"/>'
        "</itemMeta>"
        f"{content_meta}"
        "<contentSet><inlineData>Talks went on.</inlineData></contentSet></newsItem>"
    )
    [story] = parsing.parse(item.encode())
    assert story.dateline == "MOSCOW"
    assert story.language == "en-US"
    assert story.bylines == ["Thomson Reuters"]
    assert story.first_published_at == moment("2016-02-09T09:17:00+03:00")


@pytest.mark.django_db
def test_the_same_item_in_ninjs_2_then_3_is_filed_once_and_then_skipped():
    [first] = import_file(SAMPLES / "ninjsExSimpleText_2.json")
    [again] = import_file(SAMPLES / "ninjsExSimpleText_3.json")
    assert (first.outcome, again.outcome) == (Outcome.IMPORTED, Outcome.SKIPPED)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_importing_the_samples_folder_reports_every_file():
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="3 file"):
        call_command("import", str(SAMPLES), stdout=stdout, stderr=stderr)
    assert "imported 8, updated 0, skipped 1, failed 3" in stdout.getvalue()
    for name, message in REFUSED.items():
        assert f"{SAMPLES / name}: {message}" in stderr.getvalue()
    assert "100%" in stderr.getvalue()
    assert Article.objects.count() == 8
    assert not Article.objects.filter(headline__icontains="sources").exists()
    assert Photo.objects.count() == 4

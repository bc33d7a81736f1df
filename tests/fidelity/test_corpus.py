"""The corpus of real call shapes: each answered by the mock as the real API would, its sources in the spec."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.fidelity_report import Replayer, counts, load_corpus, receiver_problems, replay_config
from symbl_mock import running_mock
from symbl_spec import default_spec

SHAPES = load_corpus()
REQUESTS = [shape for shape in SHAPES if "request" in shape]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "fidelity.md"
README = Path(__file__).resolve().parents[2] / "README.md"
DESCRIPTION = default_spec().document["info"]["description"]


def _table(heading: str) -> dict[str, str]:
    """The rows of a table of the spec's description under ``## heading``, by their first cell."""
    section = DESCRIPTION.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| ([A-Z]?[0-9]+) \|.*$", section, flags=re.MULTILINE)}


SOURCES = _table("Sources")
READINGS = _table("Readings")


@pytest.fixture(scope="module")
def replayer() -> Iterator[Replayer]:
    with running_mock(replay_config()) as mock:
        replayer = Replayer(mock)
        yield replayer
        replayer.close()


@pytest.mark.parametrize("shape", REQUESTS, ids=[shape["id"] for shape in REQUESTS])
def test_each_shape_is_answered_as_the_real_api_would(replayer: Replayer, shape: dict[str, Any]) -> None:
    assert replayer.replay(shape) == []


def test_webhook_receivers_find_the_fields_they_read() -> None:
    problems = receiver_problems(SHAPES)
    assert set(problems) == {shape["id"] for shape in SHAPES if "webhook" in shape}
    assert all(not found for found in problems.values()), problems


def test_a_wrong_answer_is_reported(replayer: Replayer) -> None:
    """The replay can fail: a shape whose expected answer is changed is reported, with what came back."""
    shape = next(s for s in REQUESTS if s["id"] == "symblrest-append-diarization-true-float")
    wrong_status = replayer.replay({**shape, "answer": {**shape["answer"], "status": 400}})
    assert len(wrong_status) == 1
    assert "-> 201, expected 400" in wrong_status[0]
    means = {**shape["answer"], "means": {"enableSpeakerDiarization": True, "diarizationSpeakerCount": 2.0}}
    wrong_meaning = replayer.replay({**shape, "answer": means})
    assert len(wrong_meaning) == 1
    assert "the job records" in wrong_meaning[0]  # the count means the integer 2, not 2.0


@pytest.mark.parametrize("shape", SHAPES, ids=[shape["id"] for shape in SHAPES])
def test_each_shape_has_a_source_the_spec_lists(shape: dict[str, Any]) -> None:
    source = shape["source"]
    row = SOURCES.get(source["id"])
    assert row is not None, f"{source['id']} is not in the spec's table of sources"
    for key in ("repo", "package", "version"):
        if key in source and source[key] != "not identified":
            assert source[key] in row, f"{shape['id']}: {key} {source[key]!r} is not in the spec's row {row!r}"
    for key in ("path", "commit"):
        value = source.get(key, "")
        if key == "path" and "package" in source:
            continue  # a package's modules: the row names the main ones
        if key == "path" or re.fullmatch(r"[0-9a-f]{40}", value):
            assert value in row, f"{shape['id']}: {key} {value!r} is not in the spec's row {row!r}"
    assert shape["evidence"] in ("run", "read", "derived")
    assert shape["client_expects"]
    answer = shape.get("answer")
    if answer is not None and answer["status"] >= 300:
        assert str(answer["reading"]) in READINGS, f"{shape['id']} cites reading {answer['reading']}"
        assert answer["why"]


def test_every_source_the_readings_cite_is_listed() -> None:
    cited = {m for row in READINGS.values() for m in re.findall(r"\b([SKAU][0-9]{2})\b", row)}
    assert cited <= set(SOURCES), sorted(cited - set(SOURCES))
    assert {shape["source"]["id"] for shape in SHAPES} <= set(SOURCES)


def test_the_counts_the_spec_and_the_docs_state_are_the_corpus_counts() -> None:
    total = counts(SHAPES)
    stated = (
        f"{total.shapes} shapes from {total.clients} clients. {total.accepted} are accepted as sent; "
        f"{total.refused} are client bugs"
    )
    assert stated in " ".join(DESCRIPTION.split())
    assert stated in " ".join(DOCS.read_text(encoding="utf-8").split())
    assert stated in " ".join(README.read_text(encoding="utf-8").split())


def test_the_issue_table_shapes_are_in_the_corpus() -> None:
    """The four shapes issue 8 opens with: symbl-rest's query spellings and model fields, the demo apps' body,
    and symbl-python-sdk's example body with strings."""
    by_id = {shape["id"]: shape for shape in SHAPES}
    request = by_id["symblrest-append-diarization-true-float"]["request"]
    assert request["query"] == {"enableSpeakerDiarization": "True", "diarizationSpeakerCount": "2.0"}
    assert "x-api-key" in request["headers"]
    assert '"features": {"featureList"' in by_id["symblrest-submit-full-model-diarization"]["request"]["body"]
    assert '"metadata": {"salesStage"' in by_id["symblrest-submit-full-model-diarization"]["request"]["body"]
    assert '"confidenceThreshold":0.6,"timezoneOffset":0' in by_id["nextjs-submit-plain"]["request"]["body"]
    body = by_id["symblsdk-process-url-example-strings-in-body"]["request"]["body"]
    assert '"enableSpeakerDiarization": "true", "diarizationSpeakerCount": "2"' in body

"""The download bar checks a table's sources on the page (cheaply) and reads them on the click."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.outputs.exports import RowSources
from ui import downloads as dl


@pytest.mark.parametrize(
    "sources",
    ["src", None, ["s1", "s2", "s3"], pd.Series(["s1", None, "s2"], index=[4, 5, 6]), ("a", "b", "c")],
)
def test_check_sources_accepts_what_row_sources_reads(sources: RowSources) -> None:
    frame = pd.DataFrame({"a": [1, 2, 3], "src": ["s1 s2", None, "s2;s1"]})
    dl.check_sources(frame, sources)
    assert len(dl.row_sources(frame, sources)) == 3


@pytest.mark.parametrize("sources", [["s1", "s2"], pd.Series(["s1"] * 4), "missing-column"])
def test_check_sources_refuses_what_row_sources_refuses(sources: RowSources) -> None:
    frame = pd.DataFrame({"a": [1, 2, 3], "src": ["s1", "s2", "s3"]})
    with pytest.raises((ValueError, KeyError)) as checked:
        dl.check_sources(frame, sources)
    with pytest.raises(checked.type):
        dl.row_sources(frame, sources)


def _bar_with(sources_kind: str) -> None:
    import pandas as pd

    from ui.downloads import download_bar

    frame = pd.DataFrame({"Name": ["x", "y"], "Value": [1.0, 2.0]})
    sources = {"aligned": ["s1", "s2 s3"], "short": ["s1"]}[sources_kind]
    download_bar(frame, sources, "A table", "t")


def test_a_misaligned_table_fails_on_the_page_not_on_the_click() -> None:
    ok = AppTest.from_function(_bar_with, args=("aligned",)).run()
    assert not ok.exception
    ok.session_state["dl-t"] = True  # open the popover: its buttons are drawn only then
    ok.run()
    assert [b.label for b in ok.download_button]  # the bar was drawn
    bad = AppTest.from_function(_bar_with, args=("short",)).run()
    assert bad.exception  # (its message is redacted: client.showErrorDetails is off), even with the popover closed
    bad.session_state["dl-t"] = True
    bad.run()
    assert bad.exception and not bad.get("download_button")


def test_the_file_written_on_the_click_has_each_rows_sources() -> None:
    """The bytes callable, as Streamlit calls it on the click, writes the rows with their sources."""
    import json

    from comparisons.outputs import exports

    frame = pd.DataFrame({"Name": ["x", "y"], "Value": [1.0, 2.0]})
    sources = pd.Series(["s1", "s2 s3"], index=[10, 11])
    stamp = dl.now_stamp("v1")
    all_sources = pd.DataFrame(columns=["source_id", "title", "publisher", "published", "url"])
    table = dl.page_table(frame, sources, all_sources, "A table", "en", stamp)
    assert list(table.row_sources) == [("s1",), ("s2", "s3")]
    data = json.loads(exports.export_bytes(table, "json"))
    assert "s2" in json.dumps(data)

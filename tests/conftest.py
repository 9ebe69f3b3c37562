import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# AppTest runs pages in this process: no background warm-up there, so that tests which count or compare view builds
# see only their own (tests/test_warmup.py runs the warm-up itself; the browser suite's servers keep it on).
os.environ.setdefault("LUP_WARM_VIEWS", "0")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "legacy_routing: let AppTest start every run in Streamlit's first-session pages/ routing"
    )


@pytest.fixture(autouse=True)
def steady_state_routing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run AppTest as a server runs after its first session: with st.navigation routing.

    AppTest resets PagesManager.uses_pages_directory before every run, so with a folder named pages/ each run
    would start as a fresh server's first session does, and the app's one-off guard (ui.context.ensure_app_frame)
    would rerun it, dropping the widget interaction being tested. Tests marked `legacy_routing` keep that path.
    """
    if request.node.get_closest_marker("legacy_routing"):
        return
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.pages_manager import PagesManager

    class SteadyStatePagesManager(PagesManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test_module, "PagesManager", SteadyStatePagesManager)

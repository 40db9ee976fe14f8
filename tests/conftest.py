import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = (ROOT.parent / "shared") if (ROOT.parent / "shared").is_dir() else Path(os.environ.get("KUBEGUARD_SHARED", "/work/shared"))
CORPUS = SHARED / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-expected", action="store_true", default=False,
                     help="Rewrite tests/fixtures/rules/*/expected.yaml from the current findings.")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present")
    return CORPUS

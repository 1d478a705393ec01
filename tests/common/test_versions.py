import tomllib
from pathlib import Path

from common import versions

ROOT = Path(__file__).resolve().parents[2]


def test_the_product_version_is_the_packages() -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        assert versions.PRODUCT_VERSION == tomllib.load(f)["project"]["version"]


def test_the_level_a_request_speaks() -> None:
    assert versions.client_api_level("iocwall-client/0.1", None) == 0  # before the exchange
    assert versions.client_api_level("iocwall-client/0.2.0", "3") == 3
    assert versions.client_api_level("anything", " 2 ") == 2
    assert versions.client_api_level("anything", "x") == 0
    assert versions.client_api_level("anything", "-4") == 0
    assert versions.client_api_level("curl/8.5.0", None) is None  # not judged
    assert versions.MIN_CLIENT_API_LEVEL <= versions.API_LEVEL

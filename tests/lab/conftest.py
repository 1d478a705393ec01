"""One lab for the whole tests/lab session: 4 cameras (0 and 3 PTZ, 3 is 1080p), 4 s clips."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lab import Lab
from lab.testing import start_test_lab


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_test_lab(tmp_path_factory.mktemp("lab-data"), cameras=4) as running:
        yield running

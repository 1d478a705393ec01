"""One lab (4 cameras: 0 and 3 PTZ) and one gateway in front of it for tests/gateway; a lab of
awkward ONVIF cameras (lab.testing.ONVIF_TRAITS) for the onboarding probe's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.process import GatewayProcess
from lab import Lab
from lab.testing import ONVIF_TRAITS, start_test_lab
from tests.gateway.helpers import gateway_config


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_test_lab(tmp_path_factory.mktemp("lab-data"), cameras=4) as running:
        yield running


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    """The backend's token-signing key."""
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def gateway(lab: Lab, signing_key: Ed25519PrivateKey) -> Iterator[GatewayProcess]:
    with GatewayProcess(gateway_config(lab, signing_key)) as running:
        yield running


@pytest.fixture(scope="session")
def onvif_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Five ONVIF cameras with real devices' quirks (see ``lab.testing.ONVIF_TRAITS``)."""
    with start_test_lab(tmp_path_factory.mktemp("lab-onvif"), cameras=5,
                        traits=ONVIF_TRAITS) as running:
        yield running

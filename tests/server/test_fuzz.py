"""Every route of the OpenAPI, fuzzed: no answer is a server error, and every answer — status,
content type, body — is what the OpenAPI documents. As an administrator, as a ward user and
without logging in, each on a database of its own (logouts, deactivations and throttled logins
the fuzzer causes stay in it). New routes are fuzzed without any change here.

Positive examples follow the schema; negative ones break it: neither may meet a server error or
an undocumented answer. (Whether each negative example is refused is not asserted: some cannot
be expressed in a request at all — an empty list for a query parameter is simply not sent — and
the fuzzer would count the valid request that remains as "accepted". Unknown and repeated query
parameters and unknown body fields are refused, and tested, in test_validation.)
``IOCWALL_FUZZ_EXAMPLES`` sets the examples per operation and mode (default 8: the suite's
time); a deeper run: ``IOCWALL_FUZZ_EXAMPLES=200 .venv/bin/python -m pytest tests/server/test_fuzz.py``.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server import camera_preview, camera_probe
from server.login_guard import AddressLimiter
from tests.server.conftest import Backend

EXAMPLES = int(os.environ.get("IOCWALL_FUZZ_EXAMPLES", "8"))
ROLES = {"admin": "ioc.admin", "ward": "ward.dongphu.police", "anonymous": None}
DOCUMENTED = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]


def loopback_probes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The camera probe and preview routes send the address they are given to a gateway, which
    dials it: the fuzzer's hosts are answered here as an unreachable gateway, never dialled (a
    gateway runs outside this process's socket guard)."""
    real = camera_probe.control_request

    def control_request(gateway: Any, box: Any, method: str, path: str, body: Any = None,
                        timeout: float = 2.0) -> Any:
        if path == "/probe" and (not isinstance(body, dict)
                                 or body.get("host") not in ("127.0.0.1", "::1")):
            raise camera_probe.GatewayUnreachable("the fuzzer probes loopback only")
        if path == "/preview" and (not isinstance(body, dict) or urlsplit(
                str(body.get("url"))).hostname not in ("127.0.0.1", "::1")):
            raise camera_preview.GatewayUnreachable("the fuzzer previews loopback only")
        return real(gateway, box, method, path, body, timeout)

    monkeypatch.setattr(camera_probe, "control_request", control_request)
    monkeypatch.setattr(camera_preview, "control_request", control_request)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_server_error_and_every_answer_as_documented(demo: Backend, role: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    loopback_probes_only(monkeypatch)
    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    runtime.login_addresses = AddressLimiter(0)  # the fuzzer's wrong logins: not this test's
    schema = schemathesis.openapi.from_asgi("/openapi.json", demo.client.app)
    username = ROLES[role]
    failures: Counter[str] = Counter()
    calls: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50

    def fuzz(operation: schemathesis.APIOperation, mode: GenerationMode) -> None:
        checks = DOCUMENTED

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case: schemathesis.Case) -> None:
            # a new session per call: the fuzzer may have logged the last one out
            headers = {"Authorization": f"Bearer {demo.login(username)}"} if username else {}
            try:
                response = case.call_and_validate(headers=headers, checks=checks)
            except FailureGroup as group:
                for failure in group.exceptions:
                    what = " | ".join(str(failure).strip().splitlines()[:3])
                    sent = f" ?{case.query}" if case.query else ""
                    sent += f" {str(case.body)[:200]}" if isinstance(case.body, (dict, list, str)) \
                        else ""
                    failures[f"{mode.value} {case.method} {case.formatted_path}{sent}: "
                             f"{type(failure).__name__}: {what}"] += 1
                return
            calls[response.status_code] += 1

        try:
            call()
        except Unsatisfiable:  # nothing to break in an operation without inputs
            assert mode is GenerationMode.NEGATIVE

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for operation in operations:
            fuzz(operation, mode)
    assert sum(calls.values()) > len(operations) * EXAMPLES / 2, calls
    assert not failures, "\n".join(f"{n}× {text}" for text, n in failures.most_common(40))

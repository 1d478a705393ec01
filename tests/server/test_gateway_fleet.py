"""The camera-table sync's promise to sessions: a change asked for is told to the gateways
(or they are found down) before a session for it is issued."""
import threading
from typing import Any

from server.gateway_fleet import GatewaySync
from tests.server.conftest import Backend


def test_a_change_is_settled_only_by_a_whole_pass_begun_after_it(demo: Backend) -> None:
    runtime: Any = demo.client.app.state.runtime  # type: ignore[attr-defined]
    sync = GatewaySync(runtime.sessions, runtime.secrets, runtime.clock, interval_s=3600)
    assert sync.settled(0), "nothing asked: nothing to wait for"
    sync.sync_soon()
    assert not sync.settled(0.05), "no pass has run since the change"
    sync.sync(gateway_ids=[])
    assert not sync.settled(0.05), "a pass over some gateways only leaves the others untold"
    waited: list[bool] = []
    waiter = threading.Thread(target=lambda: waited.append(sync.settled(10)))
    waiter.start()
    sync.start()  # the change woke the thread: its pass settles the waiter
    try:
        waiter.join(15)
        assert waited == [True]
        sync.sync_soon()
        assert sync.settled(10)
    finally:
        sync.stop()

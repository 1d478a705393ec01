"""Which client a server serves: the product version and the API level they exchange.

The API level counts incompatible changes of what a client sends or reads. A server answers
clients from ``MIN_CLIENT_API_LEVEL`` up and refuses older ones with 426 and the code
``client_too_old`` (their live video keeps playing: the gateway's sessions do not ask). A client
that predates the exchange sends no level: it counts as level 0.

Upgrades go expand, then contract: a release that adds to the API keeps the level; one that
removes or changes something old clients use raises ``API_LEVEL`` and, only once every
workstation has the new client, ``MIN_CLIENT_API_LEVEL``.
"""

PRODUCT_VERSION = "0.1.0"  # pyproject.toml's (a test holds them equal)
API_LEVEL = 2  # 2: incidents of the system beside the cameras (no camera, no reporter)
MIN_CLIENT_API_LEVEL = 1

CLIENT_AGENT = "iocwall-client"  # the User-Agent's product token
API_LEVEL_HEADER = "X-Iocwall-Api-Level"  # sent by the client, answered by the server
SERVER_VERSION_HEADER = "X-Iocwall-Server-Version"
MIN_CLIENT_HEADER = "X-Iocwall-Min-Client-Api-Level"
SERVER_TIME_HEADER = "X-Iocwall-Server-Time"  # Unix seconds when the answer left the server
CLOCK_OFFSET_HEADER = "X-Iocwall-Clock-Offset"  # the client's clock minus the server's, seconds
CLIENT_TOO_OLD = "client_too_old"


def client_api_level(user_agent: str, declared: str | None) -> int | None:
    """The API level a request speaks: the declared one, 0 for an iocwall client that declares
    none (it predates the exchange), None for any other client (curl, a city's own tools),
    which the server does not judge. A malformed declaration counts as 0."""
    if declared is not None:
        try:
            return max(0, int(declared.strip()))
        except ValueError:
            return 0
    return 0 if user_agent.startswith(CLIENT_AGENT + "/") else None

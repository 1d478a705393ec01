from tests.app.helpers import (  # noqa: F401 (fixtures)
    backend_url,
    messages,
    ops,
    qloop,
    tls_backend_url,
)

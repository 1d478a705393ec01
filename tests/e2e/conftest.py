from tests.app.helpers import backend_url, messages, ops, qloop  # noqa: F401 (fixtures)

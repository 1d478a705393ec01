from tests.app.helpers import messages, ops, qloop  # noqa: F401 (fixtures)

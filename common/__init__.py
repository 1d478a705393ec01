"""The vocabulary the client, the server and the media gateway share.

Pure standard library — no Qt, no FastAPI, no SQLAlchemy, no pydantic, no network — so that any of
the project's processes can import it, whatever its interpreter. It imports nothing of the others
(import-linter checks both). ``vocabulary``: the words of the API (roles, unit kinds, camera
systems, states…); ``evidence``: canonical JSON, file hashes and the signed clip check;
``urls``: credentials masked out of URLs; ``records``: the records the server answers with and the
client reads back (``from_json``).
"""

"""``/usr/bin/python3 -m gateway``: see the package's docstring for the protocol.

``/usr/bin/python3 -m gateway keygen --key-file F``: create the gateway's key pair in ``F`` if
there is none (owner-only), and print its public half (base64): what the backend seals camera
passwords to before the gateway first runs.
"""

import sys

if sys.argv[1:2] == ["keygen"]:
    from gateway.keys import keygen_main

    sys.exit(keygen_main(sys.argv[2:]))

from gateway.main import main  # noqa: E402

sys.exit(main())

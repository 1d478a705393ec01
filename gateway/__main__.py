"""``/usr/bin/python3 -m gateway``: see the package's docstring for the protocol."""

import sys

from gateway.main import main

sys.exit(main())

"""The client's composition root: the process (Qt application, asyncio loop, demo stack, signals)
and the login ⇄ main window cycle. It alone builds the services (``app.context``) and hands them
to the widgets; nothing else imports it but ``main.py``."""

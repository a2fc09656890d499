"""What the audit trail records about a management command run from a shell."""

from __future__ import annotations

import getpass
import socket


def command_detail(command: str) -> dict[str, str]:
    """The command's name, the operating-system login that ran it and the machine.

    A command has no Django user (its events are the system's); the login says
    which person or job ran it. "unknown" when the environment names nobody
    (a container without a user name).
    """
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = "unknown"
    return {"command": command, "os_user": login, "host": socket.gethostname()}

"""Where gunicorn's control socket (`gunicornc`) lives: one socket an address. gunicorn's own
default is one path a user, so a second server on the host took it over (and removed it when
it stopped) and an operator's "worker add 2" reached the wrong server."""

import os
import re
import tempfile


def control_socket_path(bind: str) -> str:
    """The control socket of the server bound at `bind` ("127.0.0.1:8000", "unix:/run/x.sock"),
    in a folder only the service's user may open."""
    return os.path.join(
        tempfile.gettempdir(), "clinic-gunicorn", re.sub(r"[^\w.-]", "-", bind) + ".ctl"
    )


def use_a_socket_of_its_own(server) -> None:
    """gunicorn's `on_starting`: an operator's own `--control-socket` is kept."""
    setting = server.cfg.settings["control_socket"]
    if setting.value == setting.default:
        path = control_socket_path(server.cfg.bind[0])
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        server.cfg.set("control_socket", path)

"""The classroom game's HTTP server: stdlib, one lock around the game, a code on every request.

Every page and every action checks its join code before it reads or changes anything: a
missing or wrong code gets 403 and the game is untouched; a team's code opens only its own
page and changes only its own country's levers; only the facilitator's code closes a turn.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from lynchpin.classroom import pages
from lynchpin.classroom.game import Game
from lynchpin.errors import UserError

MAX_FORM_BYTES = 10_000


class ClassroomServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, game: Game, host: str, port: int) -> None:
        super().__init__((host, port), Handler)
        self.game = game
        self.lock = threading.Lock()

    def handle_error(self, request, client_address) -> None:
        """A phone that reloads mid-answer is no error; anything else is printed."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: ClassroomServer
    server_version = "lynchpin-classroom"

    def log_message(self, format: str, *args) -> None:  # quiet: no codes in the terminal
        pass

    # -- plumbing ------------------------------------------------------------------------
    def _send(self, status: int, body: str, kind: str = "text/html; charset=utf-8") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, where: str) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _refuse(self, why: str = "wrong or missing join code") -> None:
        self._send(HTTPStatus.FORBIDDEN, pages.join_page(f"Refused: {why}."))

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_FORM_BYTES:
            return {}
        fields = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        return {key: values[-1] for key, values in fields.items()}

    # -- routes --------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        code = query.get("code", "")
        game = self.server.game
        parts = [p for p in url.path.split("/") if p]
        with self.server.lock:
            who = game.who(code)
            if not parts:
                return self._send(HTTPStatus.OK, pages.join_page())
            if parts == ["join"]:
                if who is None:
                    return self._refuse()
                where = "/facilitator" if who == "facilitator" else f"/team/{who}"
                return self._redirect(f"{where}?code={game.state.codes[who]}")
            if parts == ["state.json"]:
                if who is None:
                    return self._send(HTTPStatus.FORBIDDEN, "{}", "application/json")
                state = pages.poll_state(game, who)
                return self._send(HTTPStatus.OK, json.dumps(state), "application/json")
            if parts == ["facilitator"]:
                if who != "facilitator":
                    return self._refuse()
                return self._send(HTTPStatus.OK, pages.facilitator_page(game, code))
            if parts == ["debrief"]:
                if who != "facilitator":
                    return self._refuse("the debrief opens with the facilitator's code")
                return self._send(HTTPStatus.OK, pages.debrief_page(game, code))
            if len(parts) == 2 and parts[0] == "team" and parts[1] in game.state.teams:
                if who != parts[1]:
                    return self._refuse("this is another team's page")
                return self._send(HTTPStatus.OK, pages.team_page(game, parts[1], code))
        self._send(HTTPStatus.NOT_FOUND, pages.join_page("No such page."))

    def do_POST(self) -> None:
        url = urlparse(self.path)
        form = self._form()
        code = form.get("code", "")
        game = self.server.game
        parts = [p for p in url.path.split("/") if p]
        with self.server.lock:
            who = game.who(code)
            if parts == ["facilitator", "close"]:
                if who != "facilitator":
                    return self._refuse("only the facilitator closes a turn")
                try:
                    game.close_turn()
                except UserError as error:
                    return self._send(
                        HTTPStatus.CONFLICT, pages.facilitator_page(game, code, message=str(error))
                    )
                return self._redirect(f"/facilitator?code={code}")
            if (
                len(parts) == 3
                and parts[0] == "team"
                and parts[2] == "levers"
                and parts[1] in game.state.teams
            ):
                actor = parts[1]
                if who != actor:
                    return self._refuse("a team changes only its own country")
                try:
                    game.submit(actor, form)
                except UserError as error:
                    page = pages.team_page(game, actor, code, message=" ".join(error.lines))
                    return self._send(HTTPStatus.BAD_REQUEST, page)
                return self._redirect(f"/team/{actor}?code={code}")
        self._send(HTTPStatus.NOT_FOUND, pages.join_page("No such page."))


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent), or 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))
            return sock.getsockname()[0]
        except OSError:
            return "127.0.0.1"

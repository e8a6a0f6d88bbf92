"""A minimal Language Server Protocol client for the YAML language server (npm).

Editors (VS Code's YAML extension, Neovim, Helix) run ``yaml-language-server``
and show its diagnostics as people type; the tests run the same server over
stdio, open files as an editor does and read the diagnostics it publishes.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
"""The server, installed by ``npm ci`` (``make browser-deps``) from package.json's pin."""


class YamlLanguageServer:
    """One server process over stdio, for the files of one folder."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.versions: dict[str, int] = {}
        settings = {"yaml": {"validate": True, "hover": False, "completion": False,
                             "schemaStore": {"enable": False}, "schemas": {}}}
        self.settings = settings
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                    "capabilities": {"workspace": {"configuration": True}},
                                    "workspaceFolders": [{"uri": root.as_uri(),
                                                          "name": root.name}]})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": settings})

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _receive(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while (line := self.proc.stdout.readline().strip()):
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if not length:
            raise RuntimeError("the YAML language server closed its output")
        message: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        return message

    def _handle(self, message: dict[str, Any]) -> None:
        """Answer the server's own requests; keep the diagnostics it publishes."""
        method = message.get("method")
        if method == "textDocument/publishDiagnostics":
            params = message["params"]
            self.diagnostics[params["uri"]] = params["diagnostics"]
        elif "id" in message and method == "workspace/configuration":
            items = message["params"]["items"]
            self._send({"id": message["id"], "result": [
                self.settings.get(i.get("section", "")) for i in items]})
        elif "id" in message and method is not None:  # registrations and the like
            self._send({"id": message["id"], "result": None})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        """Send a request; return its result once the answer comes."""
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self._receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")
            self._handle(message)

    def notify(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification."""
        self._send({"method": method, "params": params})

    def _wait(self, uri: str, timeout: float) -> list[dict[str, Any]]:
        end = time.monotonic() + timeout
        while uri not in self.diagnostics:
            if time.monotonic() > end:
                raise TimeoutError(f"no diagnostics for {uri}")
            self._handle(self._receive())
        return self.diagnostics[uri]

    def open(self, path: Path, timeout: float = 60) -> list[dict[str, Any]]:
        """Open ``path`` as an editor does; return the diagnostics the server publishes.

        The server publishes once it has loaded the schema the modeline names and
        validated the document. The file stays open (closing it publishes none).
        """
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        self.versions[uri] = 1
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1,
            "text": path.read_text(encoding="utf-8")}})
        return self._wait(uri, timeout)

    def edit(self, path: Path, text: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Replace the open file's text, as typing does; return the new diagnostics."""
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        self.versions[uri] += 1
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": self.versions[uri]},
            "contentChanges": [{"text": text}]})
        return self._wait(uri, timeout)

    def close(self) -> None:
        """Shut the server down."""
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()

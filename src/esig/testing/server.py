"""A TEST-ONLY loopback HTTP server for a :class:`~esig.testing.TestPki`: CRLs, OCSP and RFC 3161.

The PKI's certificates carry URLs built from a base URL, so the server binds first (127.0.0.1,
port 0 = any free port) and the PKI is built with :attr:`PkiServer.base_url`::

    with PkiServer(now=REFERENCE_TIME) as server:
        pki = build_pki(base_url=server.base_url)
        server.attach(pki)
        ...  # http://127.0.0.1:<port>/crl/tr-nes-ca.crl, /ocsp/tr-nes-ca, /tsa/tr-tsa

Every response is a function of the request and of :attr:`PkiServer.now` (settable), so runs are
reproducible. Routes:

* ``GET /crl/<ca>.crl``: the CA's CRL, thisUpdate ``now`` - :attr:`crl_before`, nextUpdate
  ``now`` + :attr:`crl_validity`.
* ``GET /certs/<name>.der``: a certificate (caIssuers).
* ``POST /ocsp/<ca>`` (or ``GET /ocsp/<ca>/<base64 request>``): an OCSP response from the CA's
  responder, producedAt/thisUpdate ``now``, nextUpdate ``now`` + :attr:`ocsp_validity`; nonces are
  echoed; a serial the CA did not issue gets ``unauthorized``.
* ``POST /tsa/<tsa>`` (``/tsa`` alone: the first TSA): an RFC 3161 response with genTime ``now``.

:attr:`PkiServer.requests` records every request path, so a test can prove nothing was fetched.
Never expose this server beyond the loopback interface.
"""

from __future__ import annotations

import base64
import threading
import urllib.parse
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from asn1crypto import ocsp, tsp
from cryptography.hazmat.primitives.serialization import Encoding

from esig.testing.declaration import Role
from esig.testing.pki import TestPki
from esig.testing.services import MessageImprint

__all__ = ["PkiServer"]

_MAX_BODY = 64 * 1024


class PkiServer:
    """Serve a TEST-ONLY PKI's CRLs, OCSP responses and time-stamps on 127.0.0.1."""

    def __init__(self, *, now: datetime, host: str = "127.0.0.1") -> None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise ValueError("the test server only listens on the loopback interface")
        self._now = now
        #: When True, :attr:`now` is the real clock (for tests of code that stamps real time).
        self.follow_clock = False
        self.crl_before = timedelta(hours=1)
        self.crl_validity = timedelta(days=7)
        self.ocsp_validity = timedelta(days=1)
        self.requests: list[str] = []
        self._pki: TestPki | None = None
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def now(self) -> datetime:
        """The time every response is made at: the fixed time, or the clock (follow_clock)."""
        if self.follow_clock:
            return datetime.now(UTC).replace(microsecond=0)
        return self._now

    @now.setter
    def now(self, value: datetime) -> None:
        if value.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self._now = value

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def pki(self) -> TestPki:
        if self._pki is None:
            raise RuntimeError("no PKI attached: call attach(build_pki(base_url=...)) first")
        return self._pki

    def attach(self, pki: TestPki) -> None:
        """Serve ``pki`` (built with ``base_url=self.base_url``)."""
        if pki.base_url != self.base_url:
            raise ValueError(f"the PKI was built for {pki.base_url}, not {self.base_url}")
        self._pki = pki

    def start(self) -> PkiServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name="esig-pki-server", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> PkiServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- responses ---------------------------------------------------------------------------

    def respond(self, method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        """(status, content type, body) for one request; public so tests can call it directly."""
        with self._lock:
            self.requests.append(f"{method} {path}")
        parts = [p for p in urllib.parse.unquote(path.split("?", 1)[0]).split("/") if p]
        pki = self.pki
        try:
            if method == "GET" and len(parts) == 2 and parts[0] == "crl":
                ca = parts[1].removesuffix(".crl")
                der = pki.crl(
                    ca,
                    this_update=self.now - self.crl_before,
                    next_update=self.now + self.crl_validity,
                )
                return 200, "application/pkix-crl", der
            if method == "GET" and len(parts) == 2 and parts[0] == "certs":
                cert = pki.cert(parts[1].removesuffix(".der"))
                return 200, "application/pkix-cert", cert.public_bytes(Encoding.DER)
            if parts and parts[0] == "ocsp" and len(parts) in (2, 3):
                request = body if method == "POST" else base64.b64decode(parts[2])
                return 200, "application/ocsp-response", self._ocsp(parts[1], request)
            if method == "POST" and parts and parts[0] == "tsa" and len(parts) <= 2:
                tsa = parts[1] if len(parts) == 2 else pki.names_with_role(Role.TSA)[0]
                return 200, "application/timestamp-reply", self._tsa(tsa, body)
        except (KeyError, ValueError, IndexError):
            return 400, "text/plain", b"bad request"
        return 404, "text/plain", b"not found"

    def _ocsp(self, ca: str, request_der: bytes) -> bytes:
        pki = self.pki
        request = ocsp.OCSPRequest.load(request_der)
        tbs = request["tbs_request"]
        single = tbs["request_list"][0]
        serial = single["req_cert"]["serial_number"].native
        nonce = None
        for ext in tbs["request_extensions"] or ():
            if ext["extn_id"].native == "nonce":
                nonce = ext["extn_value"].parsed.native
        issued = [e.name for e in pki.declaration.issued_by(ca)]
        match = [n for n in issued if pki.cert(n).serial_number == serial]
        if not match:
            return bytes(ocsp.OCSPResponse({"response_status": "unauthorized"}).dump())
        return pki.ocsp_response(
            match[0],
            produced_at=self.now,
            this_update=self.now,
            next_update=self.now + self.ocsp_validity,
            nonce=nonce,
        )

    def _tsa(self, tsa: str, request_der: bytes) -> bytes:
        request = tsp.TimeStampReq.load(request_der)
        imprint = request["message_imprint"]
        token = self.pki.timestamp_token(
            MessageImprint(
                imprint["hash_algorithm"]["algorithm"].native, imprint["hashed_message"].native
            ),
            at=self.now,
            tsa=tsa,
            nonce=request["nonce"].native,
        )
        response = tsp.TimeStampResp(
            {
                "status": {"status": "granted"},
                "time_stamp_token": tsp.ContentInfo.load(token),
            }
        )
        return bytes(response.dump())


def _handler_for(server: PkiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                self.send_error(413)
                return
            body = self.rfile.read(length) if length else b""
            status, ctype, data = server.respond(method, self.path, body)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._reply("GET")

        def do_POST(self) -> None:
            self._reply("POST")

        def log_message(self, format: str, *args: object) -> None:
            return  # quiet: requests are recorded in server.requests

    return Handler

"""The log canary: logs carry ids, never clinical text, passwords or tokens.

A pytest plugin (``-p tests.log_canary`` in pyproject's addopts). For the whole session it
keeps every record that reaches the root logger, at the levels production logging is
configured with (it lowers no logger), plus the log file of any Celery worker a test
started. Along the way it collects the secrets the suite handles:

- passwords: the factories' ``PASSWORD``, every password set on a user or tried against
  the model backend;
- clinical text: ``CLINICAL_CANARY`` (planted by ``tests.factories``) and any ``CANARY``
  constant of a test module;
- tokens: invitation and password-reset links in every email sent, and every reset token
  made;
- MFA secrets: the keys of TOTP devices (hex and base32) and the static backup codes.

At the end of the session a record whose message, arguments or traceback contains one of
them fails the run, naming the logger, level and a truncated message. Under xdist each
worker scans its own records and hands its findings to the controller.
"""

import base64
import binascii
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CLINICAL_CANARY = "CANARY-CLINICAL-7f3a"
WORKER_LOG = "celery-worker.log"
_TOKEN_LINKS = [
    re.compile(r"/invite/([A-Za-z0-9_\-]{16,})/"),
    re.compile(r"/reset/[A-Za-z0-9_\-]+/([0-9a-z]+-[0-9a-f]{20,})/"),
]


@dataclass(frozen=True)
class Seen:
    """One log record, as text: what a handler could write out."""

    logger: str
    level: str
    text: str


@dataclass(frozen=True)
class Leak:
    kind: str
    logger: str
    level: str
    excerpt: str


class Canaries:
    """Secret value → its kind. Short values are ignored: they would match by chance."""

    MIN_LENGTH = 8

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def add(self, kind: str, value: object) -> None:
        if isinstance(value, bytes):
            value = value.decode(errors="replace")
        if isinstance(value, str) and len(value.strip()) >= self.MIN_LENGTH:
            self.values.setdefault(value, kind)

    def add_password(self, value: object) -> None:
        # Passwords typed in tests include fuzzed junk ("00000000"); one worth guarding
        # has some variety in it.
        if isinstance(value, str) and len(set(value)) >= 5:
            self.add("password", value)

    def add_from_text(self, text: str) -> None:
        for pattern in _TOKEN_LINKS:
            for token in pattern.findall(text):
                self.add("token", token)

    def __len__(self) -> int:
        return len(self.values)


def record_text(record: logging.LogRecord) -> str:
    """The formatted message, the raw arguments and any traceback of ``record``."""
    parts = []
    try:
        parts.append(record.getMessage())
    except Exception:  # a broken format string still shows its pieces
        parts.append(str(record.msg))
    if record.args:
        parts.append(repr(record.args))
    if record.exc_info and record.exc_info[1] is not None:
        parts.append(logging.Formatter().formatException(record.exc_info))
    if record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


def find_leaks(seen: Iterable[Seen], canaries: Canaries) -> list[Leak]:
    leaks = []
    for item in seen:
        for value, kind in canaries.values.items():
            if value in item.text:
                at = item.text.find(value)
                excerpt = item.text[max(0, at - 60) : at + 60].replace(value, f"«{kind}»")
                leaks.append(Leak(kind, item.logger, item.level, excerpt))
                break
    return leaks


class CapturingHandler(logging.Handler):
    """Keeps each record's text (deduplicated) and counts them all."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.count = 0
        self.seen: set[Seen] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.seen.add(Seen(record.name, record.levelname, record_text(record)))


class LogCanary:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.handler = CapturingHandler()
        self.canaries = Canaries()
        self.basetemp: Path | None = None
        self.leaks: list[Leak] = []
        self.scanned = 0
        self._undo: list[tuple[Any, str, Any]] = []

    # --- collecting secrets ----------------------------------------------------------

    def _wrap(self, owner: Any, name: str, wrapper: Any) -> None:
        original = getattr(owner, name)
        self._undo.append((owner, name, original))
        setattr(owner, name, wrapper(original))

    def install(self) -> None:
        from django.contrib.auth.backends import ModelBackend
        from django.contrib.auth.base_user import AbstractBaseUser
        from django.contrib.auth.tokens import PasswordResetTokenGenerator
        from django.core.mail.backends.locmem import EmailBackend
        from django.db.models.signals import post_save

        from tests.factories import PASSWORD

        canaries = self.canaries
        canaries.add("password", PASSWORD)
        canaries.add("clinical", CLINICAL_CANARY)

        def set_password(original: Any) -> Any:
            def wrapper(user: Any, raw_password: str | None) -> None:
                canaries.add_password(raw_password)
                original(user, raw_password)

            return wrapper

        def authenticate(original: Any) -> Any:
            def wrapper(
                backend: Any, request: Any, username: Any = None, password: Any = None, **kw: Any
            ) -> Any:
                canaries.add_password(password)
                return original(backend, request, username=username, password=password, **kw)

            return wrapper

        def make_token(original: Any) -> Any:
            def wrapper(generator: Any, user: Any) -> str:
                token: str = original(generator, user)
                canaries.add("token", token)
                return token

            return wrapper

        def send_messages(original: Any) -> Any:
            def wrapper(backend: Any, messages: Any) -> int:
                for message in messages:
                    canaries.add_from_text(str(message.body))
                    for content, _mimetype in getattr(message, "alternatives", []) or []:
                        canaries.add_from_text(str(content))
                sent: int = original(backend, messages)
                return sent

            return wrapper

        self._wrap(AbstractBaseUser, "set_password", set_password)
        self._wrap(ModelBackend, "authenticate", authenticate)
        self._wrap(PasswordResetTokenGenerator, "make_token", make_token)
        self._wrap(EmailBackend, "send_messages", send_messages)
        post_save.connect(self._otp_saved, dispatch_uid="log-canary-otp")

    def _otp_saved(self, sender: type, instance: Any, **kwargs: Any) -> None:
        meta = getattr(sender, "_meta", None)
        if meta is None or not meta.app_label.startswith("otp_"):
            return
        key = getattr(instance, "key", None)
        if isinstance(key, str):
            self.canaries.add("totp secret", key)
            try:
                raw = binascii.unhexlify(key)
            except (binascii.Error, ValueError):
                raw = b""
            if raw:
                self.canaries.add("totp secret", base64.b32encode(raw).decode().rstrip("="))
        token = getattr(instance, "token", None)
        if isinstance(token, str):
            self.canaries.add("backup code", token)

    def uninstall(self) -> None:
        from django.db.models.signals import post_save

        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        post_save.disconnect(dispatch_uid="log-canary-otp")

    def attach(self) -> None:
        # Django's dictConfig (and any test that reconfigures logging) replaces the root
        # handlers: attach again whenever it is gone.
        # Loggers that do not propagate (rtw.security) never reach the root: attach there too.
        root = logging.getLogger()
        loggers = [root] + [
            logger
            for logger in list(root.manager.loggerDict.values())
            if isinstance(logger, logging.Logger) and not logger.propagate
        ]
        for logger in loggers:
            if self.handler not in logger.handlers:
                logger.addHandler(self.handler)

    # --- scanning --------------------------------------------------------------------

    def _worker_logs(self) -> Iterator[Seen]:
        if self.basetemp is None or not self.basetemp.exists():
            return
        for path in self.basetemp.rglob(WORKER_LOG):
            for line in path.read_text(errors="replace").splitlines():
                yield Seen("celery worker (subprocess)", "-", line)

    def _test_module_canaries(self) -> None:
        for name, module in list(sys.modules.items()):
            if name.startswith("tests.") and isinstance(getattr(module, "CANARY", None), str):
                self.canaries.add("clinical", module.CANARY)

    def scan(self) -> None:
        self._test_module_canaries()
        seen = [*self.handler.seen, *self._worker_logs()]
        self.scanned = self.handler.count + (len(seen) - len(self.handler.seen))
        self.leaks = find_leaks(seen, self.canaries)

    # --- hooks -----------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.install()
        self.attach()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self.attach()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        for logger in [logging.getLogger(), *logging.getLogger().manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger):
                logger.removeHandler(self.handler)
        self.uninstall()
        if hasattr(self.config, "workerinput"):  # an xdist worker: report to the controller
            self.scan()
            self.config.workeroutput["log_canary"] = {  # type: ignore[attr-defined]
                "scanned": self.scanned,
                "canaries": len(self.canaries),
                "leaks": [leak.__dict__ for leak in self.leaks],
            }
            return
        if not self._from_workers:
            self.scan()
        if self.leaks:
            session.exitstatus = 1

    _from_workers = False

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", {}).get("log_canary")
        if output:
            self._from_workers = True
            self.scanned += output["scanned"]
            self.leaks += [Leak(**leak) for leak in output["leaks"]]

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        write = terminalreporter.write_line
        write(
            f"log canary: {self.scanned} log records scanned, "
            f"{len(self.leaks)} leaking secrets or clinical text"
        )
        for leak in self.leaks[:20]:
            write(f"  LEAK ({leak.kind}) {leak.logger} {leak.level}: {leak.excerpt[:160]!r}")


@pytest.fixture(autouse=True, scope="session")
def _log_canary_basetemp(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Where tests' files live, so that a Celery worker's log file is read at the end."""
    canary = request.config.pluginmanager.get_plugin("log-canary")
    if isinstance(canary, LogCanary):
        canary.basetemp = tmp_path_factory.getbasetemp()


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(LogCanary(config), "log-canary")

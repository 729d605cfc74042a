"""Reading the forms a page holds: the field names it posts, their current values, and the
URLs it posts to (``action``, ``hx-post``). Shared by the fuzz and XSS tests."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client

from tests.access import Case
from tests.conftest import PERSONAS

ALLOWED = (200, 302)


def allowed_persona(case: Case) -> str | None:
    """A persona the matrix lets through (a signed-in one when there is a choice)."""
    allowed = [p for p in PERSONAS if case.expected.get(p) in ALLOWED]
    signed_in = [p for p in allowed if p != "anonymous"]
    choices = signed_in or allowed
    return choices[0] if choices else None


@dataclass
class Page:
    """What a page asks a browser to send: each field's first value, and where to."""

    values: dict[str, str] = field(default_factory=dict)
    multi: set[str] = field(default_factory=set)
    post_targets: set[str] = field(default_factory=set)
    get_fields: set[str] = field(default_factory=set)


class _FormParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.page = Page()
        self._form_method = ""
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _target(self, url: str | None) -> None:
        if url is not None:
            target = urljoin(self.base, url)
            if not urlsplit(target).netloc:
                self.page.post_targets.add(urlsplit(target).path)

    def _add(self, name: str, value: str) -> None:
        if self._form_method == "get":
            self.page.get_fields.add(name)
            return
        if name in self.page.values:
            self.page.multi.add(name)
        else:
            self.page.values[name] = value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "hx-post" in a:
            self._target(a["hx-post"] or self.base)
        if tag == "form":
            self._form_method = (a.get("method") or "get").lower()
            if self._form_method == "post":
                self._target(a.get("action") or self.base)
        if tag == "button" and a.get("formaction"):
            self._target(a["formaction"])
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                if name not in self.page.values and self._form_method != "get":
                    self.page.values[name] = ""
                    self.page.multi.discard(name)
                return
            self._add(name, a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            self._add(self._select, self._select_value or "")
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, "".join(self._text).strip("\n"))
            self._textarea = None
        elif tag == "form":
            self._form_method = ""


def parse(html: str, base: str) -> Page:
    parser = _FormParser(base)
    parser.feed(html)
    return parser.page


def page_holding(client: Client, url: str) -> Page:
    """The form fields of ``url``'s own page or, when it has none (a POST-only endpoint),
    of the nearest page above it that answers (``…/steps/add/`` → ``…/edit/``)."""
    path = urlsplit(url).path
    while path:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            page = parse(response.content.decode(), path)
            if page.values or page.get_fields:
                return page
        path = path.rstrip("/").rpartition("/")[0] + "/" if path != "/" else ""
    return Page()

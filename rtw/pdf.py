"""PDF rendering: one template from ``templates/pdf/`` through WeasyPrint, fetching nothing.

WeasyPrint follows every URL it meets in the HTML and CSS (http, https, file, data) unless
its URL fetcher says no. Ours is deny-by-default: it serves files under ``static/pdf/``
(the print stylesheet) read straight from disk, and refuses everything else, so a stray
URL in a report can neither reach the network (127.0.0.1, 169.254.169.254) nor read the
filesystem, nor embed a file as an attachment. Charts are inline SVG, which needs no fetch.
User-entered text reaches the template as data and is escaped by Django's autoescape.
"""

import logging
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

ASSETS = Path(settings.BASE_DIR, "static", "pdf").resolve()


class AssetsOnlyFetcher(URLFetcher):
    """Serves ``file:`` URLs of files inside ``static/pdf/``; raises for anything else."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        path = asset_path(url)
        if path is None:
            logger.warning("PDF rendering refused to fetch %.200r", url)
            raise PermissionError("Only the report's own print assets may be fetched.")
        logger.info("PDF rendering read %s", path.name)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def asset_path(url: str) -> Path | None:
    """The file a ``file:`` URL names, when it is a file inside ``static/pdf/``."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    return path if path.is_relative_to(ASSETS) and path.is_file() else None


def render_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """The PDF of ``templates/pdf/<template>`` rendered with ``context``."""
    if not template.startswith("pdf/"):
        raise ValueError("PDF templates live in templates/pdf/.")
    html = render_to_string(template, dict(context))
    document = HTML(
        string=html,
        base_url=ASSETS.as_uri() + "/",
        url_fetcher=AssetsOnlyFetcher(),
        media_type="print",
    )
    pdf: bytes = document.write_pdf()
    return pdf

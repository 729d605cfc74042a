"""The authenticator-app QR code as inline SVG: no image request, no style attribute."""

import re
from base64 import b32encode

import qrcode
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

SIZE_PX = 232


def secret_for_humans(device: TOTPDevice) -> str:
    """The base32 key in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    # SvgPathFillImage draws one <path> on a white <rect> with presentation attributes
    # only (no style=, no script), so it passes a CSP without 'unsafe-inline'.
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, border=4)
    svg: str = image.to_string(encoding="unicode")
    label = escape("QR code to add this account to an authenticator app")
    svg = re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        f'<svg width="{SIZE_PX}" height="{SIZE_PX}" role="img" aria-label="{label}"'
        ' class="qr-code"',
        svg,
        count=1,
    )
    # Built only from our own numbers and an escaped label; the otpauth data is drawn,
    # not embedded as text.
    return mark_safe(svg)  # noqa: S308

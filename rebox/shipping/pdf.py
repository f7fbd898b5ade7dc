"""Label and drop-off PDFs drawn with ReportLab: Code128 of the return number (ReportLab's
own barcode module), a QR code of it (``qrcode``), both addresses and the parcel's lines.

Addresses can be in any script: the DejaVu font is used when the system has it (Debian's
fonts-dejavu), Helvetica otherwise. A PDF draws glyphs left to right as given, so every
text is first put in visual order by the Unicode bidirectional algorithm (python-bidi):
a Hebrew street name reads right to left with its house number intact. Texts are cut to
fit before that, in logical order, so a long line loses its end, not its beginning.
"""

import io
from pathlib import Path

import qrcode
from bidi import get_display
from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from rebox.shipping.carriers import LabelRequest

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
WIDTH, HEIGHT = A6  # 105 x 148 mm, the common thermal label size


def _font() -> str:
    if "DejaVu" in pdfmetrics.getRegisteredFontNames():
        return "DejaVu"
    if DEJAVU.exists():
        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
        return "DejaVu"
    return "Helvetica"


def _visual(text: str, limit: int | None = None) -> str:
    """``text`` (cut to ``limit`` characters) in the order its glyphs are drawn."""
    text = text[:limit] if limit else text
    return get_display(text) if any(_is_rtl(c) for c in text) else text


def _is_rtl(char: str) -> bool:
    return "\u0590" <= char <= "\u08ff" or "\ufb1d" <= char <= "\ufefc"


def address_lines(address: dict) -> list[str]:
    city = " ".join(p for p in (address.get("postal_code", ""), address.get("city", "")) if p)
    parts = [
        address.get("name", ""),
        address.get("company", ""),
        address.get("line1", ""),
        address.get("line2", ""),
        city,
        address.get("country", ""),
    ]
    return [str(p) for p in parts if p]


def _qr_image(text: str) -> ImageReader:
    image = qrcode.make(text, box_size=4, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _block(
    canvas: Canvas, font: str, x: float, y: float, title: str, lines: list[str], size: float = 9
) -> float:
    canvas.setFont(font, 7)
    canvas.drawString(x, y, _visual(title))
    y -= 4 * mm
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawString(x, y, _visual(line, 60))
        y -= size * 0.45 * mm + 2 * mm
    return y


def label_pdf(request: LabelRequest, *, tracking_number: str, carrier_name: str) -> bytes:
    """One A6 page: addresses, Code128 and QR of the return number, the lines inside."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A6)
    canvas.setTitle(f"Return {request.return_number}")
    font = _font()
    margin = 6 * mm
    y = HEIGHT - margin - 3 * mm
    canvas.setFont(font, 8)
    canvas.drawString(margin, y, _visual(f"{request.store_name} · {carrier_name} · {tracking_number}"))
    y = _block(canvas, font, margin, y - 6 * mm, "FROM", address_lines(request.from_address), 8)
    y = _block(canvas, font, margin, y - 2 * mm, "TO", address_lines(request.to_address), 11)
    barcode = code128.Code128(
        request.return_number, barHeight=12 * mm, barWidth=0.42 * mm, humanReadable=True
    )
    barcode.drawOn(canvas, margin - 2 * mm, y - 16 * mm)
    canvas.drawImage(
        _qr_image(request.return_number), WIDTH - margin - 22 * mm, y - 20 * mm, 22 * mm, 22 * mm
    )
    canvas.setFont(font, 10)
    canvas.drawString(margin, y - 21 * mm, f"RETURN {request.return_number}")
    y -= 28 * mm
    canvas.setFont(font, 7)
    canvas.drawString(margin, y, "CONTENTS")
    for line in request.lines[:12]:
        y -= 3.6 * mm
        canvas.drawString(margin, y, _visual(f"{line.quantity} × {line.sku}  {line.title}", 70))
    if len(request.lines) > 12:
        canvas.drawString(margin, y - 3.6 * mm, f"+ {len(request.lines) - 12} more lines")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def drop_off_pdf(
    *, return_number: str, store_name: str, destination_name: str, address: dict, lines: tuple = ()
) -> bytes:
    """The code a shopper shows at a drop-off point: a large QR of the return number, the
    number in words and where the parcel is going."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A6)
    canvas.setTitle(f"Drop-off {return_number}")
    font = _font()
    margin = 8 * mm
    canvas.setFont(font, 10)
    canvas.drawString(margin, HEIGHT - 12 * mm, _visual(f"{store_name}: drop-off"))
    size = WIDTH - 2 * margin - 10 * mm
    canvas.drawImage(_qr_image(return_number), (WIDTH - size) / 2, HEIGHT - 18 * mm - size, size, size)
    y = HEIGHT - 26 * mm - size
    canvas.setFont(font, 14)
    canvas.drawCentredString(WIDTH / 2, y, f"RETURN {return_number}")
    y = _block(canvas, font, margin, y - 8 * mm, f"GOING TO {destination_name}", address_lines(address), 8)
    canvas.setFont(font, 7)
    for line in lines[:6]:
        y -= 3.6 * mm
        canvas.drawString(margin, y, _visual(f"{line.quantity} × {line.sku}  {line.title}", 70))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

"""Labels and drop-off codes print Hebrew, Ukrainian and Danish addresses readably: glyphs
from a font that has them, right-to-left text in the order the eye reads it."""

import io

from pypdf import PdfReader

from rebox.shipping.carriers import LabelLine, LabelRequest
from rebox.shipping.pdf import drop_off_pdf, label_pdf

SHOP = {"name": "Lumen", "line1": "Nørregade 7", "postal_code": "1165", "city": "København",
        "country": "DK"}
SHOPPER = {"name": "דנה לוי", "line1": "הרצל 12", "postal_code": "6688101", "city": "תל אביב",
           "country": "IL"}


def _text(data: bytes) -> str:
    """The page's text as drawn, left to right (pypdf's layout mode does not reorder it)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return "\n".join(page.extract_text(extraction_mode="layout") for page in pages)


def _label(**changes) -> str:
    fields = {"reference": "P1", "return_number": "RABCD2345", "store_name": "Lumen",
              "method": "mail_label", "from_address": SHOPPER, "to_address": SHOP,
              "lines": (LabelLine(sku="DRESS-M", title="שמלה כחולה", quantity=1),
                        LabelLine(sku="MUG", title="Чашка для кави", quantity=2))}
    request = LabelRequest(**{**fields, **changes})
    return _text(label_pdf(request, tracking_number="TRK1", carrier_name="Rebox"))


def test_a_hebrew_address_reads_right_to_left_with_its_house_number_intact():
    text = _label()

    assert "12 לצרה" in text  # "הרצל 12" as drawn: the street reversed, 12 not turned into 21
    assert "יול הנד" in text and "ביבא לת" in text
    assert "הלוחכ הלמש" in text  # a Hebrew product title on a left-to-right line


def test_ukrainian_and_danish_texts_stay_in_their_own_order():
    text = _label()

    assert "Чашка для кави" in text
    assert "Nørregade 7" in text and "København" in text
    assert "RABCD2345" in text


def test_a_long_hebrew_line_is_cut_at_its_end_not_its_beginning():
    long_street = {**SHOPPER, "line1": "רחוב " + "א" * 80}

    text = _label(from_address=long_street)

    assert "בוחר" in text  # the first word, "רחוב", survived the cut


def test_the_drop_off_code_names_a_hebrew_destination_readably():
    data = drop_off_pdf(return_number="RABCD2345", store_name="לומן", destination_name="מחסן",
                        address=SHOPPER)

    text = _text(data)
    assert "ןמול" in text and "ןסחמ" in text and "12 לצרה" in text

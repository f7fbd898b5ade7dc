"""Inspecting and disposing of received units: a checklist per category, a grade, an
acceptance, a flag when the condition found contradicts the reason claimed, and where the
unit goes (with the value recovered, so the cost of returns is known per product).

When the last received unit of a return is inspected, each line's acceptance is settled
from its units and the return becomes ``inspected`` (through ``return_transition``).
Disposition is once per unit: the unit row is locked, and a second one is a 409, so two
warehouse hands never put one unit back on the shelf twice.
"""

from django.db import transaction
from django.utils import timezone

from rebox.catalog.models import Category
from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from rebox.core.models import Store
from rebox.core.outbox import outbox_publish
from rebox.inventory.models import Location, MovementKind
from rebox.inventory.services import stock_move
from rebox.returns.models import (
    Acceptance,
    Disposition,
    Grade,
    InspectionChecklist,
    LegalBasis,
    Return,
    ReturnLine,
    ReturnUnit,
)
from rebox.returns.services import return_transition
from rebox.returns.states import ReturnStatus


def _item(code: str, en: str, he: str, da: str, uk: str) -> dict:
    return {"code": code, "labels": {"en": en, "he": he, "da": da, "uk": uk}}


DEFAULT_ITEMS = [
    _item("item_intact", "Item is intact", "הפריט שלם", "Varen er hel", "Товар цілий"),
    _item("packaging_present", "Packaging is present", "האריזה קיימת", "Emballagen er med",
          "Упаковка є"),
    _item("accessories_complete", "All parts and accessories are there", "כל החלקים והאביזרים קיימים",
          "Alle dele og alt tilbehør er med", "Усі частини й аксесуари на місці"),
]
KIND_ITEMS = {
    "shoes": [
        _item("soles_clean", "Soles are clean", "הסוליות נקיות", "Sålerne er rene", "Підошви чисті"),
        _item("box_present", "Shoe box is present", "קופסת הנעליים קיימת", "Skoæsken er med",
              "Коробка від взуття є"),
        _item("pair_complete", "Both shoes, same size", "שתי הנעליים, באותה מידה",
              "Begge sko, samme størrelse", "Обидва черевики одного розміру"),
    ],
    "electronics": [
        _item("powers_on", "Powers on", "המכשיר נדלק", "Kan tændes", "Вмикається"),
        _item("serial_matches", "Serial number matches the one shipped", "המספר הסידורי תואם לזה שנשלח",
              "Serienummeret svarer til det afsendte", "Серійний номер збігається з відправленим"),
        _item("accessories_complete", "Charger, cables and accessories are there",
              "המטען, הכבלים והאביזרים קיימים", "Oplader, kabler og tilbehør er med",
              "Зарядний пристрій, кабелі й аксесуари на місці"),
        _item("no_physical_damage", "No physical damage", "אין נזק פיזי", "Ingen fysiske skader",
              "Без фізичних пошкоджень"),
    ],
    "apparel": [
        _item("tags_attached", "Tags are attached", "התוויות מחוברות", "Mærkerne sidder på",
              "Бирки на місці"),
        _item("unworn", "Unworn and unwashed", "לא נלבש ולא כובס", "Ubrugt og uvasket",
              "Не ношене й не пране"),
        _item("no_stains", "No stains or odours", "ללא כתמים או ריחות", "Ingen pletter eller lugt",
              "Без плям і запахів"),
    ],
}
# Category slugs (as shops name them) that get a kind's list when the defaults are seeded.
KIND_WORDS = {
    "shoes": ("shoe", "footwear", "sneaker", "boot", "sandal"),
    "electronics": ("electronic", "phone", "laptop", "computer", "audio", "camera", "tablet", "gadget"),
    "apparel": ("apparel", "clothing", "clothes", "top", "shirt", "dress", "trouser", "pant", "jean",
                "jacket", "coat", "knit", "skirt", "wear"),
}
DEFECT_WORDS = ("defect", "damaged", "broken", "faulty", "not_working")
# Store-fault reasons that say nothing about the item's condition: a unit as new does not
# contradict "arrived too late" or "not as described".
NOT_ABOUT_CONDITION = ("late", "described")


def kind_of(slug: str) -> str | None:
    slug = slug.lower()
    return next((kind for kind, words in KIND_WORDS.items() if any(w in slug for w in words)), None)


def checklists_seed(*, store: Store) -> None:
    """The store's default list, and lists for its shoe, electronics and apparel categories."""
    rows = [InspectionChecklist(store=store, category=None, items=DEFAULT_ITEMS)]
    for category in Category.objects.filter(store=store):
        kind = kind_of(category.slug) or kind_of(category.name)
        if kind:
            rows.append(InspectionChecklist(store=store, category=category, items=KIND_ITEMS[kind]))
    InspectionChecklist.objects.bulk_create(rows, ignore_conflicts=True)


def line_category(line: ReturnLine) -> Category | None:
    """The category the line was sold in (its snapshot), else the product's today."""
    order_line = line.order_line
    if order_line.category_slug:
        found = Category.objects.filter(store_id=order_line.store_id, slug=order_line.category_slug).first()
        if found is not None:
            return found
    variant = order_line.variant
    return variant.product.category if variant is not None else None


def checklist_for(*, store: Store, line: ReturnLine) -> list[dict]:
    """The checklist for the line's category; the store default (no category) otherwise."""
    if not InspectionChecklist.objects.filter(store=store).exists():
        checklists_seed(store=store)
    category = line_category(line)
    rows = InspectionChecklist.objects.filter(store=store)
    own = rows.filter(category=category).first() if category is not None else None
    default = own or rows.filter(category__isnull=True).first()
    return list(default.items) if default is not None else []


def checklist_label(item: dict, language: str) -> str:
    labels = item.get("labels", {})
    return labels.get(language) or labels.get("en") or item["code"]


def reason_mismatch(*, reason_code: str, basis: str, grade: str, checklist: dict[str, bool],
                    sku: str) -> str:
    """A sentence for the agent when what was found contradicts the reason claimed, else "".

    Pure: the reason and basis of the line, the grade and checklist of the unit. A unit on a
    line exists only because its scanned barcode matched the line's product, so a "wrong
    item" claim on it is contradicted by the scan itself.
    """
    code = reason_code.lower()
    if "wrong" in code:
        return (f"The customer said the wrong item was sent, but the unit returned is {sku}, "
                "the item on the order.")
    claims_defect = any(word in code for word in DEFECT_WORDS) or (
        basis == LegalBasis.DEFECT and not any(word in code for word in NOT_ABOUT_CONDITION))
    if not claims_defect:
        return ""
    failed = [item for item, passed in checklist.items() if not passed]
    if grade == Grade.A:
        return f"The customer reported a defect ({reason_code}), but the unit was graded A (as new)."
    if checklist.get("powers_on") and not failed:
        return (f"The customer reported a defect ({reason_code}), but the unit powers on and "
                "passed every check.")
    return ""


def unit_get(*, store: Store, ret: Return, unit_id: int) -> ReturnUnit:
    """A unit of this store's return; anything else is not found."""
    unit = (ReturnUnit.objects.filter(pk=unit_id, line__ret=ret, line__ret__store=store)
            .select_related("line__order_line__variant__product", "line__ret").first())
    if unit is None:
        raise NotFound(f"No unit {unit_id} on return {ret.number}")
    return unit


def _inspection_errors(*, codes: set[str], grade: str, acceptance: str, rejection_reason: str,
                       deduction_percent: int | None, checklist: dict) -> list[FieldError]:
    errors = []
    if grade not in Grade.values:
        errors.append(FieldError("grade", "choose a grade: A, B, C or D"))
    if acceptance not in (Acceptance.ACCEPTED, Acceptance.REJECTED, Acceptance.PARTLY):
        errors.append(FieldError("acceptance", "choose accepted, rejected or partly accepted"))
    if acceptance == Acceptance.REJECTED and not rejection_reason.strip():
        errors.append(FieldError("rejection_reason", "say why the unit is rejected"))
    if acceptance == Acceptance.PARTLY and not (isinstance(deduction_percent, int)
                                                and 1 <= deduction_percent <= 99):
        errors.append(FieldError("deduction_percent", "a deduction between 1 and 99 percent"))
    unknown = sorted(set(checklist) - codes)
    if unknown:
        errors.append(FieldError("checklist", f"not on this unit's checklist: {', '.join(unknown)}"))
    if any(not isinstance(value, bool) for value in checklist.values()):
        errors.append(FieldError("checklist", "each check is true or false"))
    return errors


def unit_inspect(*, store: Store, unit: ReturnUnit, grade: str, acceptance: str, actor: Actor,
                 checklist: dict[str, bool] | None = None, rejection_reason: str = "",
                 deduction_percent: int | None = None, notes: str = "",
                 serial_number: str = "") -> ReturnUnit:
    """Record the inspection of one received unit (again, to correct it, until the return is
    inspected). Checks left out count as not passed. The last unit settles the lines and
    moves the return to ``inspected``."""
    checklist = dict(checklist or {})
    items = checklist_for(store=store, line=unit.line)
    codes = {item["code"] for item in items}
    errors = _inspection_errors(codes=codes, grade=grade, acceptance=acceptance,
                                rejection_reason=rejection_reason, deduction_percent=deduction_percent,
                                checklist=checklist)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        ret = Return.objects.select_for_update().get(pk=unit.line.ret_id)
        if ret.status != ReturnStatus.RECEIVED:
            raise Conflict(f"Return {ret.number} is {ret.status}; units are inspected once it is received")
        line = unit.line
        found = {code: bool(checklist.get(code, False)) for code in sorted(codes)}
        unit = ReturnUnit.objects.get(pk=unit.pk)
        unit.grade, unit.acceptance, unit.checklist = grade, acceptance, found
        unit.rejection_reason = rejection_reason.strip() if acceptance == Acceptance.REJECTED else ""
        unit.deduction_percent = deduction_percent if acceptance == Acceptance.PARTLY else 0
        unit.notes, unit.serial_number = notes.strip(), serial_number.strip()
        unit.mismatch = reason_mismatch(reason_code=line.reason_code, basis=line.basis, grade=grade,
                                        checklist=found, sku=line.order_line.sku)
        unit.inspected_by, unit.inspected_at = actor.label, timezone.now()
        unit.save()
        audit_record(store=ret.store_id, actor=actor, action="return.unit_inspected", subject_type="return",
                     subject_id=ret.pk, why=unit.rejection_reason or unit.mismatch,
                     details={"unit": unit.pk, "line": line.pk, "grade": grade, "acceptance": acceptance,
                              "deduction_percent": unit.deduction_percent, "mismatch": bool(unit.mismatch)})
        outbox_publish(store=ret.store_id, topic="return.unit_inspected", subject_type="return",
                       subject_id=ret.pk, payload={"number": ret.number, "unit": unit.pk, "grade": grade,
                                                   "acceptance": acceptance, "mismatch": unit.mismatch})
        _finish_if_all_inspected(ret, actor)
    return unit


def line_acceptance(acceptances: list[str]) -> str:
    """A line's acceptance from its units': all accepted, all rejected, or partly."""
    if not acceptances:
        return Acceptance.PENDING
    if all(a == Acceptance.ACCEPTED for a in acceptances):
        return Acceptance.ACCEPTED
    if all(a == Acceptance.REJECTED for a in acceptances):
        return Acceptance.REJECTED
    return Acceptance.PARTLY


def _finish_if_all_inspected(ret: Return, actor: Actor) -> None:
    units = list(ReturnUnit.objects.filter(line__ret=ret)
                 .values_list("line_id", "acceptance", "inspected_at"))
    if not units or any(inspected is None for _, _, inspected in units):
        return
    per_line: dict[int, list[str]] = {}
    for line_id, acceptance, _ in units:
        per_line.setdefault(line_id, []).append(acceptance)
    # A line of which nothing arrived keeps "pending": its short or lost exception is the
    # agent's to settle when resolving, not the inspector's.
    for line_id, acceptances in per_line.items():
        ReturnLine.objects.filter(pk=line_id).update(acceptance=line_acceptance(acceptances))
    count = {a: sum(1 for _, x, _ in units if x == a) for a in Acceptance.values}
    return_transition(ret=ret, to=ReturnStatus.INSPECTED, actor=actor,
                      why=f"every received unit inspected: {count[Acceptance.ACCEPTED]} accepted, "
                          f"{count[Acceptance.REJECTED]} rejected, "
                          f"{count[Acceptance.PARTLY]} partly accepted")


def _restock_location(store: Store, location: Location | str | None) -> Location:
    if isinstance(location, Location):
        found = location if location.store_id == store.pk else None
    elif location:
        found = Location.objects.filter(store=store, code=location).first()
    else:
        found = Location.objects.filter(store=store).order_by("-is_default", "pk").first()
    if found is None:
        raise ValidationFailed(errors=[FieldError("location", "choose one of this store's locations")])
    return found


def unit_dispose(*, store: Store, unit: ReturnUnit, disposition: str, actor: Actor,
                 value_recovered_minor: int = 0, location: Location | str | None = None,
                 why: str = "") -> ReturnUnit:
    """Decide where an inspected unit goes, once.

    Restock puts it back as sellable stock: a ``returned_to_stock`` movement at the location
    (the store's default when none is named). Nothing else touches stock, dispose (write
    off) included: receiving never counts a returned unit in stock (it is not sellable until
    this decision), so a write-off movement would take a unit that was never added. Only a
    restocked unit is in stock, and a restocked unit has had its one disposition.
    """
    errors = []
    if disposition not in Disposition.values:
        errors.append(FieldError("disposition", f"one of {', '.join(Disposition.values)}"))
    if not isinstance(value_recovered_minor, int) or value_recovered_minor < 0:
        errors.append(FieldError("value_recovered_minor", "a whole amount in minor units, 0 or more"))
    if disposition == Disposition.RESTOCK and unit.line.order_line.variant_id is None:
        errors.append(FieldError("disposition",
                                 "this product is no longer in the catalog; it cannot be restocked"))
    if errors:
        raise ValidationFailed(errors=errors)
    place = _restock_location(store, location) if disposition == Disposition.RESTOCK else None
    with transaction.atomic():
        locked = ReturnUnit.objects.select_for_update().get(pk=unit.pk)
        ret = unit.line.ret
        if locked.disposition:
            raise Conflict(f"Unit {locked.pk} of return {ret.number} already went to {locked.disposition}")
        if locked.inspected_at is None:
            raise Conflict(f"Unit {locked.pk} of return {ret.number} is not inspected yet")
        if place is not None:
            stock_move(store_id=store.pk, variant_id=unit.line.order_line.variant_id, location_id=place.pk,
                       kind=MovementKind.RETURNED_TO_STOCK, quantity=1, actor=actor,
                       order_line_id=unit.line.order_line_id,
                       why=f"return {ret.number} unit {locked.index} restocked")
        locked.disposition, locked.location = disposition, place
        locked.value_recovered_minor = value_recovered_minor
        locked.disposed_by, locked.disposed_at = actor.label, timezone.now()
        locked.save(update_fields=["disposition", "location", "value_recovered_minor", "disposed_by",
                                   "disposed_at"])
        audit_record(store=store, actor=actor, action="return.unit_disposed", subject_type="return",
                     subject_id=ret.pk, why=why,
                     details={"unit": locked.pk, "disposition": disposition,
                              "value_recovered_minor": value_recovered_minor,
                              "location": place.code if place else None})
        outbox_publish(store=store, topic="return.unit_disposed", subject_type="return", subject_id=ret.pk,
                       payload={"number": ret.number, "unit": locked.pk, "disposition": disposition,
                                "value_recovered_minor": value_recovered_minor,
                                "currency": ret.currency})
    return locked

"""The shopper's choice on the order page: read from the form, checked in their language.

The checks here are for the person (translated, beside each field); the service checks
everything again, under the order's lock, and has the last word.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from rebox.policies.explain import headline, render
from rebox.policies.selectors import reasons_for_store
from rebox.policies.types import Reason
from rebox.portal.pages import day, money
from rebox.returns.selectors import LineOption, exchange_choices
from rebox.returns.services import RequestedLine, gift_resolutions, pickup_dates

RESOLUTIONS = ("refund", "exchange", "store_credit")
METHODS = ("mail_label", "drop_off", "courier_pickup")


@dataclass
class Choice:
    quantities: dict[int, int] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)
    exchange: dict[int, int] = field(default_factory=dict)
    comment: str = ""
    resolution: str = ""
    method: str = ""
    pickup_date: date | None = None
    pickup_raw: str = ""
    email: str = ""

    def chosen(self) -> list[int]:
        return [line_id for line_id, q in self.quantities.items() if q > 0]

    def requested_lines(self) -> list[RequestedLine]:
        return [RequestedLine(order_line_id=i, quantity=self.quantities[i], reason_code=self.reasons[i],
                              comment=self.comment, exchange_variant_id=self.exchange.get(i)
                              if self.resolution == "exchange" else None)
                for i in self.chosen()]

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The choice as hidden inputs for the confirmation step."""
        fields = []
        for i in self.chosen():
            fields += [(f"q_{i}", str(self.quantities[i])), (f"r_{i}", self.reasons[i])]
            if i in self.exchange:
                fields.append((f"x_{i}", str(self.exchange[i])))
        fields += [("comment", self.comment), ("resolution", self.resolution), ("method", self.method),
                   ("pickup_date", self.pickup_raw), ("email", self.email)]
        return [(name, value) for name, value in fields if value]


def _int(value, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def read_choice(post, options: list[LineOption]) -> Choice:
    choice = Choice(comment=post.get("comment", "").strip()[:2000],
                    resolution=post.get("resolution", ""), method=post.get("method", ""),
                    pickup_raw=post.get("pickup_date", "").strip(), email=post.get("email", "").strip())
    for option in options:
        i = option.line.pk
        choice.quantities[i] = _int(post.get(f"q_{i}"))
        choice.reasons[i] = post.get(f"r_{i}", "")
        if post.get(f"x_{i}"):
            choice.exchange[i] = _int(post.get(f"x_{i}"))
    try:
        choice.pickup_date = date.fromisoformat(choice.pickup_raw) if choice.pickup_raw else None
    except ValueError:
        choice.pickup_date = None
    return choice


def check_choice(choice: Choice, options: list[LineOption], *, store, lang: str, t: dict,
                 gift: bool) -> dict[str, str]:
    """Field name -> message, in the shopper's language; empty when the choice holds."""
    errors: dict[str, str] = {}
    by_id = {o.line.pk: o for o in options}
    decisions = []
    for i in choice.chosen():
        option = by_id[i]
        if choice.quantities[i] > option.left:
            errors[f"q_{i}"] = t["err_quantity"].format(n=option.left) if option.left else t["already_all"]
            continue
        decision = option.by_reason.get(choice.reasons[i])
        if decision is None:
            errors[f"r_{i}"] = t["err_reason"]
        elif not decision.eligible:
            errors[f"r_{i}"] = headline(decision, lang)
        else:
            decisions.append((i, decision))
    if any(q < 0 for q in choice.quantities.values()):
        errors["lines"] = t["err_choose_line"]
    if not choice.chosen():
        errors["lines"] = t["err_choose_line"]
    offered = _common([gift_resolutions(d.resolutions) if gift else {str(r) for r in d.resolutions}
                       for _i, d in decisions])
    if choice.resolution not in RESOLUTIONS or (decisions and choice.resolution not in offered):
        errors["resolution"] = t["err_resolution"]
    methods = _common([{str(m) for m in d.methods} for _i, d in decisions])
    if choice.method not in METHODS or (decisions and choice.method not in methods):
        errors["method"] = t["err_method"]
    if choice.resolution == "exchange":
        allowed = exchange_choices(store=store, lines=[by_id[i].line for i in choice.chosen()])
        asked: dict[int, int] = {}
        for i in choice.chosen():
            wanted = choice.exchange.get(i)
            stock = {c.variant.pk: c.available for c in allowed.get(i, [])}
            asked[wanted] = asked.get(wanted, 0) + choice.quantities[i]
            if wanted not in stock or stock[wanted] < asked[wanted]:
                errors[f"x_{i}"] = t["err_exchange"]
    if choice.method == "courier_pickup" and choice.pickup_date not in pickup_dates(store):
        errors["pickup_date"] = t["err_pickup"]
    if gift:
        try:
            validate_email(choice.email)
        except ValidationError:
            errors["email"] = t["err_email"]
    return errors


def _common(sets: list[set[str]]) -> set[str]:
    return set.intersection(*sets) if sets else set()


def evidence_needed(choice: Choice, options: list[LineOption]) -> dict[int, set[str]]:
    """Chosen line id -> kinds of evidence its reason asks for (photo, video)."""
    by_id = {o.line.pk: o for o in options}
    needed = {}
    for i in choice.chosen():
        decision = by_id[i].by_reason.get(choice.reasons[i])
        if decision is not None and decision.evidence:
            needed[i] = {str(kind) for kind in decision.evidence}
    return needed


def line_rows(options: list[LineOption], *, store, lang: str, t: dict, gift: bool, choice: Choice | None,
              errors: dict[str, str]) -> list[dict]:
    """The order's lines as the order page shows them."""
    reasons = reasons_for_store(store=store)
    exchanges = exchange_choices(store=store, lines=[o.line for o in options])
    rows = []
    for option in options:
        line, i = option.line, option.line.pk
        decision = option.general
        if option.left <= 0 and option.delivered > 0:
            status = t["already_all"]
        else:
            status = headline(decision, lang)
        rows.append({
            "id": i, "title": line.title, "sku": line.sku,
            "options": line.variant.label if line.variant_id else "",
            "price": None if gift else money(line.unit_price_minor, line.order.currency, lang),
            "delivered": option.delivered, "left": option.left, "returnable": option.returnable,
            "left_text": t["left"].format(left=option.left, delivered=option.delivered),
            "status": status, "details": render(decision, lang),
            "quantities": range(0, option.left + 1),
            "reasons": [{"code": r.code, "label": r.label(lang),
                         "photo": bool(option.by_reason[r.code].evidence)}
                        for r in reasons if r.code in option.by_reason and option.by_reason[r.code].eligible],
            "exchange": [{"id": c.variant.pk, "label": c.variant.label, "available": c.available}
                         for c in exchanges.get(i, [])],
            "q": choice.quantities.get(i, 0) if choice else 0,
            "r": choice.reasons.get(i, "") if choice else "",
            "x": choice.exchange.get(i) if choice else None,
            "errors": {k: errors[f"{k}_{i}"] for k in ("q", "r", "x") if f"{k}_{i}" in errors},
        })
    return rows


def offered_choices(options: list[LineOption], *, gift: bool) -> tuple[list[str], list[str]]:
    """Resolutions and methods any returnable line offers (checked per chosen line on submit)."""
    resolutions: set[str] = set()
    methods: set[str] = set()
    for option in options:
        if not option.returnable:
            continue
        for decision in option.by_reason.values():
            if decision.eligible:
                offered = {str(r) for r in decision.resolutions}
                resolutions |= gift_resolutions(offered) if gift else offered
                methods |= {str(m) for m in decision.methods}
    return [r for r in RESOLUTIONS if r in resolutions], [m for m in METHODS if m in methods]


def pickup_choices(store, lang: str) -> list[dict]:
    return [{"value": d.isoformat(), "label": day(d, lang)} for d in pickup_dates(store)]


def reason_of(store, code: str) -> Reason:
    row = next((r for r in reasons_for_store(store=store) if r.code == code), None)
    return Reason(code=code, store_fault=bool(row and row.store_fault))

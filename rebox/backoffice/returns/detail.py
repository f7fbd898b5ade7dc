"""What the return page shows: lines with their reasons, evidence, parcels, the policy's
decision per line, and the timeline. Evidence and parcels come from other apps' selectors,
looked up lazily so that this page works before (and without) them."""

import logging
from importlib import import_module

from django.urls import reverse
from django.utils import translation

from rebox.backoffice.returns import labels
from rebox.core.audit import audit_entries_for
from rebox.policies.explain import headline, render
from rebox.policies.selectors import order_eligibility, reason_for, reasons_for_store
from rebox.returns.models import Return
from rebox.returns.review import return_is_overdue

logger = logging.getLogger("rebox.backoffice")


def ui_language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def reason_labels(store) -> dict[str, str]:
    language = ui_language()
    reasons = reasons_for_store(store=store, active_only=False)
    return {reason.code: reason.label(language) for reason in reasons}


def _optional(module: str, name: str):
    """``module.name`` if that selector exists yet, else None."""
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


# Images every browser shows inline; HEIC and videos are offered as links.
INLINE_IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})


def evidence_of(ret: Return) -> list[dict]:
    """The customer's photos and videos, each served by this back office (see views)."""
    selector = _optional("rebox.returns.evidence", "evidence_for_return")
    if selector is None:
        return []
    items = []
    for item in selector(ret):
        url = reverse("backoffice:return_evidence", kwargs={"number": ret.number, "evidence_id": item.pk})
        items.append({"url": url, "kind": item.kind,
                      "thumbnail_url": url if item.content_type in INLINE_IMAGES else "",
                      "name": item.original_name or item.content_type})
    return items


def parcels_of(ret: Return) -> list:
    selector = _optional("rebox.shipping.selectors", "parcels_for_return")
    return list(selector(ret)) if selector is not None else []


def policy_summary(ret: Return) -> dict[int, dict]:
    """Per order line: what the policy decided on the day of the request, in the UI language."""
    language = ui_language()
    summary: dict[int, dict] = {}
    try:
        for code in {line.reason_code for line in ret.lines.all()}:
            answers = order_eligibility(store=ret.store, order=ret.order, at=ret.created_at,
                                        reason=reason_for(store=ret.store, code=code))
            for answer in answers:
                decision = answer.decision
                summary[(answer.line.pk, code)] = {
                    "headline": headline(decision, language), "parts": render(decision, language),
                    "auto": decision.auto_approvable, "evidence": sorted(decision.evidence)}
    except Exception:  # noqa: BLE001 - the page stays useful without the summary
        logger.exception("policy summary of return %s", ret.number)
    return summary


def timeline_of(ret: Return) -> list[dict]:
    return [{"at": entry.at, "what": labels.action_label(entry.action), "why": entry.why,
             "who": entry.actor_label, "actor_type": entry.actor_type}
            for entry in audit_entries_for(store=ret.store, subject_type="return", subject_id=ret.pk)]


def page_context(ret: Return) -> dict:
    reasons = reason_labels(ret.store)
    summary = policy_summary(ret)
    lines = [{"line": line, "reason": reasons.get(line.reason_code, line.reason_code),
              "basis": labels.label(labels.BASIS, line.basis),
              "reception": labels.label(labels.RECEPTION, line.reception),
              "acceptance": labels.label(labels.ACCEPTANCE, line.acceptance),
              "policy": summary.get((line.order_line_id, line.reason_code))}
             for line in ret.lines.all()]
    return {
        "ret": ret, "lines": lines, "overdue": return_is_overdue(ret),
        "status_label": labels.label(labels.RETURN_STATUS, ret.status),
        "resolution_label": labels.label(labels.RESOLUTION, ret.resolution),
        "method_label": labels.label(labels.METHOD, ret.method),
        "channel_label": labels.label(labels.CHANNEL, ret.channel),
        "evidence": evidence_of(ret), "parcels": [
            {"parcel": p, "status": labels.label(labels.PARCEL_STATUS, p.status),
             "label_status": labels.label(labels.LABEL_STATUS, p.label_status)} for p in parcels_of(ret)],
        "timeline": timeline_of(ret),
    }

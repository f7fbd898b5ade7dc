"""The return state machine as data: the table is the picture in DESIGN.md."""

from rebox.returns.states import TRANSITIONS, ReturnStatus, can_move

S = ReturnStatus


def test_the_table_is_exactly_the_design_diagram():
    assert TRANSITIONS == {
        S.REQUESTED: {S.APPROVED, S.DECLINED, S.CANCELLED},
        S.APPROVED: {S.IN_TRANSIT, S.EXPIRED, S.CANCELLED, S.RESOLVED},
        S.IN_TRANSIT: {S.RECEIVED},
        S.RECEIVED: {S.INSPECTED},
        S.INSPECTED: {S.RESOLVED},
        S.RESOLVED: {S.CLOSED},
        S.DECLINED: set(),
        S.CANCELLED: set(),
        S.EXPIRED: set(),
        S.CLOSED: set(),
    }


def test_every_status_has_a_row_and_every_target_is_a_status():
    assert set(TRANSITIONS) == set(S.values)
    assert set().union(*TRANSITIONS.values()) <= set(S.values)


def test_final_statuses_lead_nowhere_and_no_status_leads_to_itself():
    for final in (S.DECLINED, S.CANCELLED, S.EXPIRED, S.CLOSED):
        assert not any(can_move(final, target) for target in S.values)
    assert not any(can_move(status, status) for status in S.values)


def test_a_return_can_be_cancelled_only_before_it_is_on_its_way():
    assert {s for s in S.values if can_move(s, S.CANCELLED)} == {S.REQUESTED, S.APPROVED}


def test_stored_choices_speak_the_policy_engines_vocabulary():
    # The engine's enums are plain Python (no Django); the model's choices add labels. Both
    # must name the same things, or a decision's resolution could not be stored.
    from rebox.policies import types
    from rebox.returns.models import LegalBasis, Method, Resolution

    assert set(Resolution.values) == {r.value for r in types.Resolution}
    assert set(Method.values) == {m.value for m in types.Method}
    assert set(LegalBasis.values) == {b.value for b in types.Basis}

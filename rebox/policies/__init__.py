"""Return policies and the law: the database-free eligibility engine.

    policy = compile_policy(version)            # once per PolicyVersion
    decision = evaluate(policy, line, order, at=now, reason=reason)
    render(decision, "da")                      # sentences, only when shown

Modules: `types` (facts, rules, versions), `precedence` (which rule wins, compiled index),
`statutory` (the law as TOML packs), `law` and `merchant` (each side's answer), `fees`,
`engine` (the two combined, more generous per field), `validation` (what the editor
refuses), `floor` (where a policy is below the law), `explain` with `messages` and
`words` (en, he, da, uk). Nothing here imports Django.
"""

from rebox.policies.decision import Decision, Fees, Part
from rebox.policies.engine import evaluate
from rebox.policies.explain import headline, render
from rebox.policies.floor import FloorWarning, floor_warnings
from rebox.policies.precedence import CompiledPolicy, compile_policy
from rebox.policies.statutory import pack_for
from rebox.policies.types import (
    Basis,
    Condition,
    Declarations,
    LineFacts,
    Match,
    Method,
    OrderFacts,
    PolicyVersion,
    Reason,
    Resolution,
    Rule,
    SpecialGroup,
    WindowStart,
    complete_default,
)
from rebox.policies.validation import validate_policy

__all__ = [
    "Basis", "CompiledPolicy", "Condition", "Decision", "Declarations", "Fees", "FloorWarning",
    "LineFacts", "Match", "Method", "OrderFacts", "Part", "PolicyVersion", "Reason", "Resolution",
    "Rule", "SpecialGroup", "WindowStart", "compile_policy", "complete_default", "evaluate",
    "floor_warnings", "headline", "pack_for", "render", "validate_policy",
]

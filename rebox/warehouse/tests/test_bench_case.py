"""The returns.receive bench case is registered and its wrk script is well formed."""

from rebox.bench.cases import CASES
from rebox.bench.cases_warehouse import LUA
from rebox.bench.wrk import SCRIPTS


def test_the_receive_case_is_registered_with_its_target():
    assert CASES["returns.receive"].targets["throughput"] == 300


def test_the_script_loads_the_shared_report_and_walks_a_completing_scan_then_inspect():
    script = LUA % {"scripts": SCRIPTS}

    assert f'dofile("{SCRIPTS}/report.lua")' in script
    assert '"/receive"' in script and "/inspect" in script
    assert '"complete_when_whole":true' in script and "/receiving/complete" not in script
    assert '"%07d"' in script and '%[{"id": (%d+)' in script

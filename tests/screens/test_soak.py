"""The soak test, short (benchmarks/soak.py; ``make bench`` runs it for minutes): the real kiosk in a
real Kivy window plays two rounds of every visitor flow by touch (the disclosures and staff, a
service and its printed checklist, the guide, a printed ticket, a rating, a complaint, language
and large text, each visit ended by the idle timeout on a clock that runs days ahead), then the
second round again, the same touches on the same weekdays. Whatever grows over that last round
would grow on a kiosk left in a lobby for months."""

from __future__ import annotations

from benchmarks import soak

ROUNDS_BEFORE = 2  # the first drawing of every screen, and what settles in the second round
MIB_MAX = 10


def test_a_round_of_visits_played_again_leaks_no_memory_and_no_file() -> None:
    visits = len(soak.FLOWS)
    figures = soak.measure(soak.Plan(seconds=300, visits=visits, warmup_rounds=ROUNDS_BEFORE, replay=True))

    assert (figures["flow_errors"], figures["faults"]) == (0, []), figures["first_errors"]
    assert figures["visits_measured"] == visits
    stored, rounds = figures["stored"], ROUNDS_BEFORE + 1
    assert stored["ratings"] >= rounds and stored["complaints"] >= rounds and stored["tickets"] >= 1, stored
    assert list(stored["print_jobs"]) == ["printed"], stored
    assert figures["fds_end"] <= figures["fds_warm"], f"files left open: {figures['opened_since_warm']}"
    assert figures["rss_growth_mib"] <= MIB_MAX, f"resident memory after each visit (MiB): {figures['rss_after_visits_mib']}"

"""The clinician's report against a hand-computed fixture (issue 16): a partial today, demo data
present, two babies, night sessions, the longest gap per day, a note, and the stash in days.

The household is in Europe/London (UTC in November); ``now`` is 2026-11-25 12:00. The figures in
the comments were worked out by hand from the sessions below, not by running the code.
"""

from __future__ import annotations

from datetime import date

import pytest

from letdown.render import report as render
from letdown.services.accounts import households
from letdown.services.portability import demo, report
from letdown.services.stash import containers as stash
from tests.factories import make_session

# (start, minutes, method, left, right, let-downs, note)
OWN = [
    ("2026-11-22T22:00", 20, "pump", 50, 50, 0, None),  # before the range: the first gap's start
    ("2026-11-23T02:00", 20, "hand", 30, 25, 0, None),  # night
    ("2026-11-23T09:00", 20, "pump", 60, 50, 2, "sore left nipple"),
    ("2026-11-23T15:00", 20, "pump", 70, 60, 0, None),
    ("2026-11-24T01:30", 20, "pump", 40, 40, 0, None),  # night
    ("2026-11-24T05:59", 1, "hand", 10, 10, 0, None),  # night (05:59 is before 06:00)
    ("2026-11-24T06:00", 20, "hand", 20, 20, 0, None),  # not night
    ("2026-11-24T18:00", 20, "pump", 100, 90, 0, None),
    ("2026-11-25T03:00", 20, "pump", 50, 50, 0, None),  # today (partial), night
    ("2026-11-25T10:00", 20, "pump", 60, 60, 1, None),  # today (partial)
]


@pytest.fixture
def fixture(db, household, now):
    demo.seed(db, household.id, now=now)  # a month of demo data, which must never count
    households.add_baby(
        db, household.id, name="Ada", birth_date=date(2026, 10, 28), due_date=date(2026, 11, 11), now=now
    )
    households.add_baby(db, household.id, name="Ben", birth_date=date(2026, 10, 28), due_date=None, now=now)
    households.update(db, household.id, usual_feed_ml=90)
    for start, minutes, method, left, right, marks, note in OWN:
        make_session(
            db,
            household.id,
            now,
            start=start,
            minutes=minutes,
            method=method,
            left_ml=left,
            right_ml=right,
            let_downs=[f"{start[:-2]}{int(start[-2:]) + 2 + k:02d}" for k in range(marks)],
            **({"note": note} if note else {}),
        )
    stash.add(db, household.id, ml=300, expressed_at="2026-11-25T08:00", location="fridge", now=now)
    for _ in range(2):
        stash.add(db, household.id, ml=600, expressed_at="2026-11-20T08:00", location="freezer", now=now)
    return household


def test_complete_days_only_demo_left_out_today_apart(db, fixture, now):
    b = report.build(db, fixture.id, now=now, start="2026-11-23", end="2026-11-25")
    r = b.report
    # Complete days: 23rd (3 sessions, 55+110+130 = 295 ml) and 24th (4 sessions, 80+20+40+190 = 330 ml).
    assert [d.day.isoformat() for d in r.daily] == ["2026-11-23", "2026-11-24"]
    assert (r.complete_days, r.sessions, r.total_ml) == (2, 7, 625.0)
    assert [d.total_ml for d in r.daily] == [295.0, 330.0]
    assert r.daily_average_ml == 312.5 and r.sessions_per_day == 3.5
    # Night sessions: 02:00 on the 23rd; 01:30 and 05:59 on the 24th (06:00 is not night).
    assert [d.night_sessions for d in r.daily] == [1, 2]
    assert (r.night_sessions, r.night_sessions_per_day) == (3, 1.5)
    # Longest start-to-start gap per day: 23rd 02:00->09:00 = 420 min (22:00->02:00 is 240);
    # 24th 06:00->18:00 = 720 min (15:00->01:30 is 630).
    assert [d.longest_gap_minutes for d in r.daily] == [420, 720]
    assert r.longest_gap_minutes == 720
    # Sides: left 160 + 170 = 330 (53%), right 135 + 160 = 295 (47%).
    assert (r.left_ml, r.right_ml) == (330.0, 295.0)
    assert (round(r.side_share(r.left_ml)), round(r.side_share(r.right_ml))) == (53, 47)
    # Methods: hand 55 + 20 + 40 = 115 in 3; pump 110 + 130 + 80 + 190 = 510 in 4.
    assert [(m.method, m.sessions, m.total_ml) for m in r.methods] == [("hand", 3, 115.0), ("pump", 4, 510.0)]
    # Today, apart: 2 sessions, 220 ml, 1 at night, gap 18:00 (24th) -> 03:00 = 540 min.
    t = r.partial_day
    assert t is not None and t.partial and t.avg7_ml is None
    assert (t.sessions, t.total_ml, t.night_sessions, t.longest_gap_minutes) == (2, 220.0, 1, 540)
    # Last 24 hours (from 24th 12:00): 18:00 (190), 03:00 (100), 10:00 (120) = 3 sessions, 410 ml.
    assert (r.last24.sessions, r.last24.total_ml, r.last24.left_ml, r.last24.right_ml) == (
        3,
        410.0,
        210.0,
        200.0,
    )


def test_the_head_babies_feeding_and_range(db, fixture, now):
    b = report.build(db, fixture.id, now=now, start="2026-11-23", end="2026-11-25")
    # Ada: 28 days old = 4 weeks; due 14 days after birth: 280 - 14 = 266 days = 38+0 weeks.
    assert [(x.name, x.age, x.gestation_at_birth) for x in b.babies] == [
        ("Ada", "4 weeks", "38+0 weeks"),
        ("Ben", "4 weeks", "not recorded"),
    ]
    assert b.feeding == "not said"
    assert b.range_note == "23 Nov 2026 to 25 Nov 2026, as asked"
    assert report.build(db, fixture.id, now=now).range_note == "the last 14 days (the default)"


def test_the_session_table_and_notes_only_when_allowed(db, fixture, now):
    b = report.build(db, fixture.id, now=now, start="2026-11-23", end="2026-11-25")
    assert len(b.rows) == 9  # 7 complete-day sessions + 2 today; no demo session
    assert [r.let_downs for r in b.rows][:3] == [0, 2, 0]
    assert b.rows[1].note == "sore left nipple"
    assert [r.partial_day for r in b.rows].count(True) == 2
    hidden = report.build(db, fixture.id, now=now, start="2026-11-23", end="2026-11-25", show_notes=False)
    assert all(r.note is None for r in hidden.rows)
    assert "sore left nipple" not in render.render_html(hidden) + render.render_csv(hidden)
    assert "sore left nipple" in render.render_html(b) and "sore left nipple" in render.render_csv(b)


def test_the_stash_in_days_of_supply_without_demo_milk(db, fixture, now):
    b = report.build(db, fixture.id, now=now, start="2026-11-23", end="2026-11-25")
    # Own milk only: 300 (fridge) + 2 x 600 (freezer) = 1500 ml; 90 ml x 11 feeds = 990 ml a day;
    # 1500 / 990 = 1.52 days, rounded down to the half day: 1.5 [kent-2006].
    assert b.supply is not None
    assert (b.supply.usable_ml, b.supply.feeds_per_day, b.supply.days) == (1500.0, 11.0, 1.5)
    assert b.supply.source == "kent-2006"
    assert sum(p.containers for p in b.stash.places) == 3


def test_the_page_says_it_as_a_person_would(db, fixture, now):
    html = render.render_html(report.build(db, fixture.id, now=now, start="2026-11-23", end="2026-11-25"))
    assert "313 ml" in html  # 312.5 ml a day, said as a whole number (half up)
    assert "53%" in html and "47%" in html
    assert "today, so far" in html and "About 1.5 days of supply" in html
    assert "Ada: age 4 weeks; gestation at birth 38+0 weeks" in html
    assert "3 sessions, 410 ml" in html

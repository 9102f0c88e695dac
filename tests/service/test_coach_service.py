"""Coach use cases on a real database: plans from the baby's age, coached sessions saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from letdown.domain.errors import InvalidInput
from letdown.services.accounts import households
from letdown.services.log import assessment, coach, sessions
from letdown.services.schedule import settings as household_settings
from letdown.store.models import CoachRun


def short_run(now, **overrides):
    plan = coach.plan(None, None, now=now, minutes=1, experience="practised")
    values = {
        "plan": plan,
        "started_at": now - timedelta(minutes=5),
        "events": [
            {"t": 1000, "event": "ready"},
            {"t": 20_000, "event": "let-down"},
            {"t": 40_000, "event": "flow-slowed"},
            {"t": 50_000, "event": "let-down"},
        ],
        "ended_ms": 200_000,
        "left_ml": 12.5,
        "right_ml": 10.0,
        "comfort": 7,
    }
    values.update(overrides)
    return coach.CoachedSession(**values)


def test_the_stage_follows_the_babys_age(db, household, now):
    assert coach.plan(db, household.id, now=now)["options"]["stage"] == "established"
    households.add_baby(db, household.id, name="Ada", birth_date=None, due_date=date(2026, 12, 20), now=now)
    assert coach.plan(db, household.id, now=now)["options"]["stage"] == "antenatal"
    later = now + timedelta(seconds=1)  # the newest baby is the current one
    households.add_baby(db, household.id, name="Bo", birth_date=date(2026, 11, 23), due_date=None, now=later)
    assert coach.plan(db, household.id, now=now)["options"]["stage"] == "early"
    assert coach.plan(db, household.id, now=now, stage="established")["options"]["stage"] == "established"


def test_a_coached_session_is_saved_by_hand_with_its_let_down_times(db, household, now):
    run = short_run(now)
    view = coach.save(db, household.id, run, now=now)
    assert view.method.value == "hand"
    assert view.let_downs == (run.started_at + timedelta(seconds=20), run.started_at + timedelta(seconds=50))
    # ready at 1 s, the let-down at 20 s starts the left turn, a 5 s rotation pauses it: 30 s a
    # side and a 15 s switch end at 100 s.
    assert view.ended_at - view.started_at == timedelta(seconds=100)
    assert (view.left_ml, view.right_ml, view.comfort) == (12.5, 10.0, 7)
    record = db.get(CoachRun, (household.id, view.id))
    assert record.plan["minutes"] == 1 and record.plan["experience"] == "practised"
    assert (record.flow_slowed, record.pain, record.left_s, record.right_s) == (1, 0, 30, 30)
    assert [v["step"] for v in record.visits][:3] == ["prepare", "stimulate", "express-left-1"]


def test_finishing_early_ends_the_session_at_the_finish(db, household, now):
    run = short_run(
        now, events=[{"t": 1000, "event": "ready"}, {"t": 30_000, "event": "finish"}], ended_ms=None
    )
    view = coach.save(db, household.id, run, now=now)
    assert view.ended_at - view.started_at == timedelta(seconds=30)


def test_events_out_of_order_are_refused_naming_the_times(db, household, now):
    run = short_run(now, events=[{"t": 5000, "event": "ready"}, {"t": 4000, "event": "let-down"}])
    with pytest.raises(InvalidInput) as err:
        coach.save(db, household.id, run, now=now)
    assert str(err.value) == "events: times must not go back (4000 ms after 5000 ms)"


def test_unknown_events_are_refused(db, household, now):
    with pytest.raises(InvalidInput, match="events: unknown event 'sneeze'"):
        coach.save(db, household.id, short_run(now, events=[{"t": 1, "event": "sneeze"}]), now=now)


def test_deleting_the_session_deletes_its_coach_record(db, household, now):
    view = coach.save(db, household.id, short_run(now), now=now)
    sessions.delete(db, household.id, view.id)
    db.expire_all()
    assert db.get(CoachRun, (household.id, view.id)) is None


def test_the_assessment_of_a_coached_session_reads_the_coach_record(db, household, now):
    household_settings.set_feeding_mode(db, household.id, "exclusive", now=now)
    households.add_baby(db, household.id, name="Ada", birth_date=date(2026, 9, 20), due_date=None, now=now)
    view = coach.save(
        db,
        household.id,
        short_run(now, events=[*short_run(now).events, {"t": 60_000, "event": "pain"}]),
        now=now,
    )
    result = {s.id: s for s in assessment.assess(db, household.id, view.id).signs}
    assert result["steady-flow"].status == "pass"
    assert result["comfort"].status == "attention"
    assert "Pain was marked 1 time." in result["comfort"].finding
    assert result["expected-amount"].status == "attention"  # 22.5 ml against 76 ± 13 g at 2 months
    assert "kent-2006" in result["expected-amount"].sources


def test_events_after_the_finish_are_not_counted(db, household, now):
    events = [
        {"t": 1000, "event": "ready"},
        {"t": 2000, "event": "let-down"},
        {"t": 5000, "event": "finish"},
        {"t": 6000, "event": "pain"},
        {"t": 7000, "event": "flow-slowed"},
    ]
    view = coach.save(db, household.id, short_run(now, events=events, ended_ms=None), now=now)
    record = db.get(CoachRun, (household.id, view.id))
    assert (record.pain, record.flow_slowed) == (0, 0)
    body = assessment.assess(db, household.id, view.id).as_json()
    assert body["coached"] == {"turns": 1, "flow_slowed": 0, "pain": 0, "left_s": 3, "right_s": 0}


def test_a_session_logged_by_hand_is_not_coached(db, household, now):
    from tests.factories import make_session

    s = make_session(db, household.id, now)
    assert assessment.assess(db, household.id, s.id).as_json()["coached"] is None


def test_the_experience_becomes_practised_once_the_coach_has_led_a_session(db, household, now):
    assert coach.plan(db, household.id, now=now)["options"]["experience"] == "new"
    coach.save(db, household.id, short_run(now), now=now)
    assert coach.plan(db, household.id, now=now)["options"]["experience"] == "practised"
    assert coach.plan(db, household.id, now=now, experience="new")["options"]["experience"] == "new"


def test_before_birth_a_session_ended_at_not_yet_agreed_is_not_saved(db, household, now):
    plan = coach.plan(None, None, now=now, stage="antenatal")
    run = short_run(now, plan=plan, events=[{"t": 4000, "event": "finish"}], ended_ms=None)
    with pytest.raises(InvalidInput) as err:
        coach.save(db, household.id, run, now=now)
    assert str(err.value) == "events: the session ended at 'Ask first' before any expressing; nothing to save"
    assert db.query(CoachRun).count() == 0


def test_before_birth_contractions_end_the_saved_session_and_are_in_its_record(db, household, now):
    plan = coach.plan(None, None, now=now, stage="antenatal", experience="practised")
    events = [
        {"t": 2000, "event": "ready"},
        {"t": 3000, "event": "ready"},
        {"t": 100_000, "event": "contractions"},
        {"t": 120_000, "event": "let-down"},
    ]
    view = coach.save(db, household.id, short_run(now, plan=plan, events=events, ended_ms=130_000), now=now)
    assert view.ended_at - view.started_at == timedelta(seconds=100)
    assert view.let_downs == ()
    record = db.get(CoachRun, (household.id, view.id))
    assert record.visits[-1] == {"step": "contractions", "at_ms": 100_000, "by": "contractions"}
    assert record.plan["stage"] == "antenatal" and record.left_s == 37
    signs = assessment.assess(db, household.id, view.id).signs
    assert (signs[0].id, signs[0].status) == ("contractions", "attention")
    assert signs[0].next_steps[0].text.startswith("Stop expressing and rest.")
    lets = {s.id: s.status for s in signs}
    assert lets["let-down-soon"] == lets["several-let-downs"] == lets["steady-flow"] == "unknown"
    assert lets["within-time"] == "pass"  # 37 s of a bound of about 10 minutes


@pytest.mark.parametrize(
    ("mode", "left", "right", "status", "text"),
    [
        (
            "exclusive",
            12.5,
            10.0,
            "attention",
            "Compared because you exclusively express and expressed both sides",
        ),
        ("exclusive", 12.5, None, "attention", "Compared because"),  # the coach led both sides
        ("partly", 12.5, 10.0, "unknown", "your baby also feeds at the breast"),
        ("occasional", 2.0, 1.0, "unknown", "your baby also feeds at the breast"),
        (None, 12.5, 10.0, "unknown", "letdown does not know how your baby feeds"),
    ],
)
def test_the_stored_assessment_compares_amounts_like_with_like(
    db, household, now, mode, left, right, status, text
):
    household_settings.set_feeding_mode(db, household.id, mode, now=now)
    households.add_baby(db, household.id, name="Ada", birth_date=date(2026, 9, 20), due_date=None, now=now)
    view = coach.save(db, household.id, short_run(now, left_ml=left, right_ml=right), now=now)
    sign = {s.id: s for s in assessment.assess(db, household.id, view.id).signs}["expected-amount"]
    assert sign.status == status and text in sign.finding


def test_a_logged_one_sided_session_is_not_judged_by_volume(db, household, now):
    from tests.factories import make_session

    household_settings.set_feeding_mode(db, household.id, "exclusive", now=now)
    households.add_baby(db, household.id, name="Ada", birth_date=date(2026, 9, 20), due_date=None, now=now)
    view = make_session(db, household.id, now, left_ml=20.0, right_ml=None)
    sign = {s.id: s for s in assessment.assess(db, household.id, view.id).signs}["expected-amount"]
    assert sign.status == "unknown" and "from the left side only" in sign.finding


# --- before birth: only after the clinician agreed, and never past the whole-session bound -------


def _antenatal(now, events, ended_ms):
    plan = coach.plan(None, None, now=now, stage="antenatal", experience="practised")
    return coach.CoachedSession(
        plan=plan, started_at=now - timedelta(hours=5), events=events, ended_ms=ended_ms
    )


@pytest.mark.parametrize("event", ["pause", "pain", "contractions"])
def test_before_birth_a_global_event_at_the_check_saves_nothing(db, household, now, event):
    run = _antenatal(now, [{"t": 1000, "event": event}], 600_000)
    with pytest.raises(InvalidInput, match="(Ask first|midwife or doctor has agreed).*nothing to save"):
        coach.save(db, household.id, run, now=now)
    assert db.query(CoachRun).count() == 0


def test_before_birth_contractions_at_the_check_end_with_what_to_do(now):
    run = _antenatal(now, [{"t": 1000, "event": "contractions"}], 2000)
    player = coach.replay(run)
    assert player.current == "contractions" and player.finished


@pytest.mark.parametrize("event", ["pause", "pain"])
def test_before_birth_pause_or_pain_at_the_check_keeps_the_check(now, event):
    run = _antenatal(now, [{"t": 1000, "event": event}], 2000)
    player = coach.Player(run.plan).start(0).event(event, 1000)
    assert player.current == "check"


def test_before_birth_a_session_longer_than_the_whole_bound_is_refused(db, household, now):
    events = [{"t": 1000, "event": "ready"}, {"t": 2000, "event": "ready"}, {"t": 5000, "event": "pause"}]
    run = _antenatal(now, events, 10_800_000)
    with pytest.raises(InvalidInput, match=r"10 minutes.*nhs-forthvalley-colostrum"):
        coach.save(db, household.id, run, now=now)
    assert db.query(CoachRun).count() == 0


def test_before_birth_the_player_finishes_at_the_whole_bound(now):
    events = [{"t": 1000, "event": "ready"}, {"t": 2000, "event": "ready"}, {"t": 5000, "event": "pause"}]
    run = _antenatal(now, events, None)
    player = coach.Player(run.plan).start(0)
    for e in events:
        player.event(e["event"], e["t"])
    player.tick(3_600_000)
    assert player.finished and player.finished_ms == 2000 + 600_000


def test_before_birth_an_agreed_session_within_the_bound_is_saved(db, household, now):
    events = [{"t": 1000, "event": "ready"}, {"t": 2000, "event": "ready"}]
    view = coach.save(db, household.id, _antenatal(now, events, 300_000), now=now)
    assert view.id

"""An import replays recorded history: moves that were allowed then stay allowed, whatever
the household's storage rules say today; refreezing is never allowed."""

from datetime import timedelta

from letdown.services.accounts import households
from letdown.services.portability import archive as portability
from letdown.services.stash import containers as stash
from letdown.services.stash import limits as storage_limits
from tests.portability_fixtures import empty_database


def test_a_backup_restores_although_todays_shorter_limits_would_call_a_past_move_expired(db, household, now):
    c = stash.add(
        db,
        household.id,
        ml=90,
        expressed_at=(now - timedelta(days=3)).isoformat(),
        location="fridge",
        now=now,
    )
    stash.move(db, household.id, c.id, to="freezer", now=now)  # fine under CDC: 4 days in the fridge
    households.update(db, household.id, storage_profile="custom")
    storage_limits.set_limit(db, household.id, "fresh-fridge", {"unit": "days", "use_by": 2}, now=now)
    text = portability.dumps(portability.export_household(db, household.id))
    empty_database(db)
    portability.import_household(db, portability.loads(text, "backup.json"), now=now)
    restored = households.default(db, now=now)
    [view] = stash.list_containers(db, restored.id, now=now)
    assert (view.id, view.standing.location.value, len(view.history)) == (c.id, "freezer", 2)

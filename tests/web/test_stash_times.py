"""Times on the stash pages are in the household's zone (a use-by in UTC would be unsafe)."""

from letdown.services.stash import containers as stash


def test_stash_and_container_pages_show_use_by_in_the_households_zone(owner, db, now):
    from letdown.services.accounts import households

    b, household_id, _ = owner
    households.update(db, household_id, timezone="America/Los_Angeles")
    c = stash.add(db, household_id, ml=60, expressed_at="2026-11-25T02:00", location="room", now=now)
    # 02:00 Los Angeles + 4 h at room temperature = 06:00 Los Angeles (14:00 UTC)
    for page in ("/stash", f"/stash/{c.id}"):
        text = b.get(page).text
        assert "use by Wed 25 Nov 06:00" in text, page
        assert "25 Nov 14:00" not in text, page

"""One base for a household's secret tokens: every table with a token hash but the browser's
own sessions derives from store.models.base.HouseholdSecret, so the four kinds (API tokens,
calendar feeds, invites, share links) share their columns, key and lookup index."""

from letdown.store.models import load_all
from letdown.store.models.base import Base, HouseholdSecret


def test_every_household_token_table_uses_the_one_base():
    load_all()
    with_hash = {m.class_.__tablename__ for m in Base.registry.mappers if "token_hash" in m.columns}
    on_base = {m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, HouseholdSecret)}
    assert on_base == {"api_tokens", "calendar_feeds", "invites", "share_links"}
    assert with_hash - on_base == {"web_sessions"}  # found from a cookie, before any household


def test_the_base_gives_each_its_key_and_unique_lookup_index():
    tables = load_all().tables
    for name in ("api_tokens", "calendar_feeds", "invites", "share_links"):
        table = tables[name]
        assert [c.name for c in table.primary_key.columns] == ["household_id", "id"]
        (index,) = table.indexes
        assert (index.name, [c.name for c in index.columns], index.unique) == (
            f"ix_{name}_household_id_token_hash",
            ["household_id", "token_hash"],
            True,
        )

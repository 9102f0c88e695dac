"""Use cases for households and babies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import emergency, limits
from letdown.domain.choices import StorageProfile, Units, values
from letdown.domain.errors import InvalidInput, NotFound
from letdown.domain.timeparse import zone
from letdown.store.models import Baby, Household

DEFAULT_NAME = "My household"


@dataclass(frozen=True)
class HouseholdView:
    id: str
    name: str
    timezone: str
    units: Units
    storage_profile: StorageProfile
    usual_feed_ml: float | None
    country: str | None = None
    emergency_number: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def number_to_call(self) -> str:
        """What triage tells this household to call in an emergency."""
        return emergency.number_to_call(self.country, self.emergency_number)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "timezone": self.timezone,
            "units": self.units.value,
            "storage_profile": self.storage_profile.value,
            "usual_feed_ml": self.usual_feed_ml,
            "country": self.country,
            "emergency_number": self.emergency_number,
            "number_to_call": self.number_to_call,
        }


def view(row: Household) -> HouseholdView:
    return HouseholdView(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        units=Units(row.units),
        storage_profile=StorageProfile(row.storage_profile),
        usual_feed_ml=row.usual_feed_ml,
        country=row.country,
        emergency_number=row.emergency_number,
    )


def system_timezone() -> str:
    """The machine's IANA zone name, or UTC when it cannot be told."""
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name()
    except Exception:  # noqa: BLE001 - any failure means "cannot tell"
        name = None
    return name or "UTC"


def parse_units(text: str) -> Units:
    try:
        return Units(text.strip().lower())
    except ValueError:
        choices = ", ".join(values(Units))
        raise InvalidInput("units", f"unknown units '{text}'; choose one of {choices}") from None


def parse_profile(text: str) -> StorageProfile:
    try:
        return StorageProfile(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            "storage_profile",
            f"unknown storage profile '{text}'; choose one of {', '.join(values(StorageProfile))}",
        ) from None


def _validate_name(name: str) -> str:
    return limits.clean_name(name)


def get(db: Session, household_id: str) -> HouseholdView:
    row = db.get(Household, household_id)
    if row is None:
        raise NotFound("household", household_id)
    return view(row)


def create(
    db: Session,
    *,
    now: datetime,
    name: str = DEFAULT_NAME,
    timezone: str | None = None,
    units: str = "ml",
    storage_profile: str = "cdc",
) -> HouseholdView:
    tzname = timezone or system_timezone()
    zone(tzname)
    row = Household(
        name=_validate_name(name),
        timezone=tzname,
        units=parse_units(units).value,
        storage_profile=parse_profile(storage_profile).value,
        created_at=now,
    )
    db.add(row)
    db.commit()
    return view(row)


def default(db: Session, *, now: datetime) -> HouseholdView:
    """The database's first household, created on first use with the system's time zone."""
    row = db.scalars(select(Household).order_by(Household.created_at, Household.id).limit(1)).first()
    if row is not None:
        return view(row)
    return create(db, now=now)


def update(
    db: Session,
    household_id: str,
    *,
    name: str | None = None,
    timezone: str | None = None,
    units: str | None = None,
    storage_profile: str | None = None,
    usual_feed_ml: float | None = None,
    country: str | None = None,
    emergency_number: str | None = None,
) -> HouseholdView:
    """Change the settings given; ``None`` leaves one as it is, and an empty ``country`` or
    ``emergency_number`` clears it (answers then fall back, see ``domain.emergency``)."""
    row = db.get(Household, household_id)
    if row is None:
        raise NotFound("household", household_id)
    if name is not None:
        row.name = _validate_name(name)
    if timezone is not None:
        zone(timezone)
        row.timezone = timezone
    if units is not None:
        row.units = parse_units(units).value
    if storage_profile is not None:
        row.storage_profile = parse_profile(storage_profile).value
    if usual_feed_ml is not None:
        if not 0 < usual_feed_ml <= 1000:
            raise InvalidInput(
                "usual_feed_ml", f"must be more than 0 and at most 1000, got {usual_feed_ml:g}"
            )
        row.usual_feed_ml = round(usual_feed_ml, 1)
    if country is not None:
        row.country = emergency.parse_country(country)
    if emergency_number is not None:
        row.emergency_number = emergency.parse_number(emergency_number)
    db.commit()
    return view(row)


@dataclass(frozen=True)
class BabyView:
    id: str
    name: str
    birth_date: date | None
    due_date: date | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "due_date": self.due_date.isoformat() if self.due_date else None,
        }


def _baby_view(row: Baby) -> BabyView:
    return BabyView(id=row.id, name=row.name, birth_date=row.birth_date, due_date=row.due_date)


def add_baby(
    db: Session,
    household_id: str,
    *,
    name: str,
    birth_date: date | None,
    due_date: date | None,
    now: datetime,
) -> BabyView:
    if birth_date is None and due_date is None:
        raise InvalidInput("birth_date", "give a birth date or a due date")
    household = get(db, household_id)
    if birth_date is not None and birth_date > now.astimezone(household.tz).date():
        raise InvalidInput(
            "birth_date", f"{birth_date.isoformat()} is in the future; give it as the due date"
        )
    row = Baby(
        household_id=household_id,
        name=_validate_name(name),
        birth_date=birth_date,
        due_date=due_date,
        created_at=now,
    )
    db.add(row)
    db.commit()
    return _baby_view(row)


def list_babies(db: Session, household_id: str) -> list[BabyView]:
    rows = db.scalars(
        select(Baby).where(Baby.household_id == household_id).order_by(Baby.created_at, Baby.id)
    )
    return [_baby_view(r) for r in rows]


def current_baby_id(db: Session, household_id: str) -> str | None:
    """The baby a new session belongs to (see ``domain.sessions.current_baby``)."""
    from letdown.domain.sessions import current_baby

    return current_baby(db.scalars(select(Baby).where(Baby.household_id == household_id)).all())

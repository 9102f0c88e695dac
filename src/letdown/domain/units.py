"""Volume units. Volumes are stored in millilitres and shown in ml or US fluid ounces."""

from __future__ import annotations

from letdown.domain.choices import Units

# One US fluid ounce in millilitres (21 CFR 101.9; see guidance-facts.md section 6).
ML_PER_US_FL_OZ = 29.5735295625


def oz_to_ml(oz: float) -> float:
    return round(oz * ML_PER_US_FL_OZ, 1)


def ml_to_oz(ml: float) -> float:
    return ml / ML_PER_US_FL_OZ


def format_volume(ml: float | None, units: Units | str) -> str:
    """A volume as a person reads it: ``120 ml`` or ``4.1 oz``."""
    if ml is None:
        return "-"
    if Units(units) is Units.OZ:
        return f"{ml_to_oz(ml):.1f} oz"
    return f"{ml:g} ml" if float(ml).is_integer() else f"{ml:.1f} ml"

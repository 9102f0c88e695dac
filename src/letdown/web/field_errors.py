"""A refused form, said next to the field in the user's words and unit (issue 16).

``InvalidInput`` names an internal field (``right_ml``); a form shows its own label ("Right")
and, for a volume, the bound in the unit the person typed in ("Right: more than 33.8 fl oz").
Templates mark that field ``aria-invalid`` with the message beside it and focus it.
"""

from __future__ import annotations

from dataclasses import dataclass

from letdown.domain.choices import Units
from letdown.domain.errors import InvalidInput, LetdownError
from letdown.domain.units import ml_to_oz

# internal field -> (form field id, the label the person sees)
SESSION_FIELDS = {
    "started_at": ("start", "Started at"),
    "start": ("start", "Started at"),
    "ended_at": ("minutes", "Minutes"),
    "minutes": ("minutes", "Minutes"),
    "method": ("method", "Method"),
    "unit": ("unit", "Unit"),
    "left_ml": ("left", "Left"),
    "right_ml": ("right", "Right"),
    "passive_ml": ("passive", "Passive"),
    "let_downs": ("let_downs", "Let-downs"),
    "comfort": ("comfort", "Comfort"),
    "note": ("note", "Note"),
}
STORE_FIELDS = {
    "ml": ("volume", "Volume"),
    "unit": ("unit", "Unit"),
    "expressed_at": ("expressed_at", "Expressed at"),
    "location": ("location", "Stored in"),
    "label": ("label", "Label"),
}
VOLUME_IDS = {"left", "right", "passive", "volume"}


@dataclass(frozen=True)
class FieldError:
    id: str  # the form field's id
    message: str  # "Right: more than 1000 ml"

    def as_context(self) -> dict[str, str]:
        return {self.id: self.message}


def spoken_bound(ml: float, units: Units) -> str:
    """A bound in the unit the person typed in: ``1000 ml`` or ``33.8 fl oz``."""
    return f"{ml_to_oz(ml):.1f} fl oz" if units is Units.OZ else f"{ml:g} ml"


def field_error(exc: LetdownError, fields: dict[str, tuple[str, str]], units: Units) -> FieldError | None:
    """The message beside the field ``exc`` names; None when it names no field of this form."""
    if not isinstance(exc, InvalidInput) or exc.field not in fields:
        return None
    ident, label = fields[exc.field]
    if exc.over_ml is not None:
        return FieldError(ident, f"{label}: more than {spoken_bound(exc.over_ml, units)}")
    detail = exc.detail
    if ident in VOLUME_IDS:
        # the value after ", got" is in ml, which is not what an oz household typed
        detail = detail.split(", got")[0]
    for internal, (_, name) in fields.items():
        detail = detail.replace(f"{internal}:", f"{name}:")
    return FieldError(ident, f"{label}: {detail}")


def form_units(form: dict[str, str], default: Units) -> Units:
    """The unit the form was filled in (its own select), else the household's."""
    try:
        return Units((form.get("unit") or default.value).strip().lower())
    except ValueError:
        return default

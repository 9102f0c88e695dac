"""All models; importing this package registers every table on ``Base.metadata``."""

from letdown.store.models.base import Base
from letdown.store.models.household import ApiToken, Baby, Household, Membership, User
from letdown.store.models.session import ExpressionSession

__all__ = [
    "ApiToken",
    "Baby",
    "Base",
    "ExpressionSession",
    "Household",
    "Membership",
    "User",
]

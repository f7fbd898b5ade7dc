"""Who is acting: every state change names an actor, recorded in the audit trail."""

from dataclasses import dataclass

from rebox.core.models import ActorType


@dataclass(frozen=True)
class Actor:
    type: str
    label: str

    @classmethod
    def staff(cls, user) -> "Actor":
        return cls(ActorType.STAFF, user.get_username())

    @classmethod
    def integration(cls, key_name: str) -> "Actor":
        return cls(ActorType.INTEGRATION, key_name)

    @classmethod
    def customer(cls, email: str) -> "Actor":
        return cls(ActorType.CUSTOMER, email)

    @classmethod
    def carrier(cls, name: str) -> "Actor":
        return cls(ActorType.CARRIER, name)

    @classmethod
    def supplier(cls, code: str) -> "Actor":
        return cls(ActorType.SUPPLIER, code)


SYSTEM = Actor(ActorType.SYSTEM, "Rebox")

"""Public identifiers that cannot be guessed: Crockford base32 from a CSPRNG."""

import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_code(length: int = 10) -> str:
    """A random Crockford base32 code; 10 characters carry 50 bits."""
    return "".join(secrets.choice(CROCKFORD) for _ in range(length))


def normalize_code(text: str) -> str:
    """Read a code as a person typed it: case-insensitive, I/L as 1, O as 0, no dashes."""
    table = str.maketrans({"I": "1", "L": "1", "O": "0"})
    return text.strip().upper().replace("-", "").replace(" ", "").translate(table)

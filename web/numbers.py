"""Numbers from URLs and forms: ASCII digits only (str.isdigit() also takes '²'), and bounded."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


def bounded_int(text: str, *, low: int, high: int) -> int | None:
    """The number in `text` if it is 1-9 ASCII digits within [low, high], else None."""
    text = text.strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 9:
        return None
    value = int(text)
    return value if low <= value <= high else None


class IdConvertor(Convertor[int]):
    """`{name:id}` in a route: a row id of at most 9 digits, so a huge number is a 404, not a database overflow."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())

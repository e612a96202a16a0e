"""URL converters shared by every app: a record's id is a whole number in ASCII digits that fits the
database's ids (a longer or non-numeric one is simply not found, never a database error)."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class CodeConverter:
    """A credit code or another short code in a URL: letters and digits only."""

    regex = "[0-9A-Za-z-]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)

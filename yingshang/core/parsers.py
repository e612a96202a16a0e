"""The API's JSON parser (its own module: the API settings import it while the framework is loading)."""

from rest_framework import exceptions, parsers


def _finite(text: str):
    value = float(text)
    if value in (float("inf"), float("-inf")) or value != value:
        raise ValueError(f"{text} does not fit a number")
    return value


def _bounded_int(text: str):
    if len(text.lstrip("-")) > 18:
        raise ValueError(f"{text[:20]}… does not fit a whole number")
    return int(text)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


class JSONParser(parsers.JSONParser):
    """JSON bodies whose numbers fit: 1e400, NaN or a 40-digit integer is a 400, not an overflow later."""

    def parse(self, stream, media_type=None, parser_context=None):
        import codecs
        import json

        from django.conf import settings

        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return json.loads(text, parse_float=_finite, parse_int=_bounded_int, parse_constant=_no_constant)
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None

"""The API's OpenAPI description says what the server does: every operation lists the errors it answers
with (400, 401, 403, 404, 503, and 409 for writes — the JSON ``{"code", "detail", "fields"?}`` of
``core.api``)."""

from drf_spectacular.openapi import AutoSchema as _AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="a stable code: invalid, parse_error, not_authenticated, "
                                           "authentication_failed, permission_denied, not_found, "
                                           "illegal_transition, unavailable …")
    detail = serializers.CharField(help_text="a message in the user's language")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                   help_text="for invalid input: the messages of each field")


ERRORS = {"400": "bad input", "401": "not signed in", "403": "not allowed", "404": "not found (or not yours)",
          "409": "the record's state does not allow this now", "414": "the address is too long",
          "429": "too many failed sign-ins: locked for a while", "503": "the database is unavailable; retry"}


class AutoSchema(_AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        # Any request may be malformed (a bad body, filter or character: 400) or name what is not there (a record,
        # a page past the last: 404); a write may find the record moved on (409).
        wanted = {"400", "401", "403", "404", "414", "503"}
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            wanted.add("409")
        if self.path.endswith("/auth/token/"):
            wanted.add("429")
        for code in sorted(set(wanted)):
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = ERRORS[code]
        return responses

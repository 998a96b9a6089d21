"""Behaviour every app's viewsets share."""


class LocationOnCreateMixin:
    """A create answers 201 with the new record's detail URL in the Location header."""

    def get_success_headers(self, data):
        return {"Location": self.reverse_action("detail", args=[data["id"]])}

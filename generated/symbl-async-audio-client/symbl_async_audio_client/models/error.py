from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, is_json_integer

T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """The error body of every error response: the page's API limit error shape (reading 17 of the document
    description). `message` is always present and says what went wrong (for a `400`, the field and the
    rule broken).

        Attributes:
            message (str): What went wrong.
            status_code (int | Unset): The HTTP status code of the response.
    """

    message: str
    status_code: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        status_code = self.status_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
            }
        )
        if status_code is not UNSET:
            field_dict["statusCode"] = status_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message")
        if not isinstance(message, str):
            raise TypeError(f"message must be a JSON string, not {type(message).__name__}")

        status_code = d.pop("statusCode", UNSET)
        if not isinstance(status_code, Unset):
            if not is_json_integer(status_code):
                raise TypeError(f"statusCode must be a JSON integer, not {type(status_code).__name__}")
            if status_code < 400:
                raise ValueError("statusCode is below its minimum 400")
            if status_code > 599:
                raise ValueError("statusCode is above its maximum 599")

        error = cls(
            message=message,
            status_code=status_code,
        )

        error.additional_properties = d
        return error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

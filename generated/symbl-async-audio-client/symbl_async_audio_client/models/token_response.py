from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import is_json_integer

T = TypeVar("T", bound="TokenResponse")


@_attrs_define
class TokenResponse:
    """An access token and its lifetime.

    Attributes:
        access_token (str): The token, to send as `Authorization: Bearer <accessToken>`.
        expires_in (int): Whole seconds until the token expires: a new token's full lifetime, or what remains of the
            application's live token (reading 14 of the document description). Always a JSON integer: Symbl's
            Go SDK and the C# SDK refuse `86400.0`.
    """

    access_token: str
    expires_in: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expires_in = self.expires_in

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accessToken": access_token,
                "expiresIn": expires_in,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_token = d.pop("accessToken")
        if not isinstance(access_token, str):
            raise TypeError(f"accessToken must be a JSON string, not {type(access_token).__name__}")
        if len(access_token) < 1:
            raise ValueError("accessToken is shorter than its minLength 1")

        expires_in = d.pop("expiresIn")
        if not is_json_integer(expires_in):
            raise TypeError(f"expiresIn must be a JSON integer, not {type(expires_in).__name__}")
        if expires_in < 1:
            raise ValueError("expiresIn is below its minimum 1")

        token_response = cls(
            access_token=access_token,
            expires_in=expires_in,
        )

        token_response.additional_properties = d
        return token_response

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

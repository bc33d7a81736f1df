from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.token_request_type import TokenRequestType

T = TypeVar("T", bound="TokenRequest")


@_attrs_define
class TokenRequest:
    """Application credentials to exchange for an access token.

    Attributes:
        type_ (TokenRequestType): The kind of credentials; always `application`.
        app_id (str): The application's ID.
        app_secret (str): The application's secret.
    """

    type_: TokenRequestType
    app_id: str
    app_secret: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        app_id = self.app_id

        app_secret = self.app_secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "appId": app_id,
                "appSecret": app_secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = TokenRequestType(d.pop("type"))

        app_id = d.pop("appId")
        if not isinstance(app_id, str):
            raise TypeError(f"appId must be a JSON string, not {type(app_id).__name__}")
        if len(app_id) < 1:
            raise ValueError("appId is shorter than its minLength 1")

        app_secret = d.pop("appSecret")
        if not isinstance(app_secret, str):
            raise TypeError(f"appSecret must be a JSON string, not {type(app_secret).__name__}")
        if len(app_secret) < 1:
            raise ValueError("appSecret is shorter than its minLength 1")

        token_request = cls(
            type_=type_,
            app_id=app_id,
            app_secret=app_secret,
        )

        token_request.additional_properties = d
        return token_request

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

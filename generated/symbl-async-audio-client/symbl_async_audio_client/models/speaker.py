from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Speaker")


@_attrs_define
class Speaker:
    """The speaker of one channel. The page's table types `speaker` as "String" but describes a wrapper
    object with `name` and `email`, as every example shows (reading 9 of the document description).

        Attributes:
            name (str | Unset): Name of the speaker.
            email (str | Unset): Email address of the speaker.
    """

    name: str | Unset = UNSET
    email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)
        if not isinstance(name, Unset):
            if not isinstance(name, str):
                raise TypeError(f"name must be a JSON string, not {type(name).__name__}")

        email = d.pop("email", UNSET)
        if not isinstance(email, Unset):
            if not isinstance(email, str):
                raise TypeError(f"email must be a JSON string, not {type(email).__name__}")

        speaker = cls(
            name=name,
            email=email,
        )

        speaker.additional_properties = d
        return speaker

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

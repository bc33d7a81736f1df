from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomEntity")


@_attrs_define
class CustomEntity:
    """A custom entity to detect in the conversation (see Symbl's Entities API). Symbl's pages send
    `customType`, `value` and `text`; symbl-rest's model has no `value` (reading 2 of the document
    description).

        Attributes:
            custom_type (str): The entity's type, a name of your choosing.
            value (str | Unset): The entity's value.
            text (str | Unset): The text that stands for the entity in the conversation.
    """

    custom_type: str
    value: str | Unset = UNSET
    text: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custom_type = self.custom_type

        value = self.value

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customType": custom_type,
            }
        )
        if value is not UNSET:
            field_dict["value"] = value
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        custom_type = d.pop("customType")
        if not isinstance(custom_type, str):
            raise TypeError(f"customType must be a JSON string, not {type(custom_type).__name__}")
        if len(custom_type) < 1:
            raise ValueError("customType is shorter than its minLength 1")

        value = d.pop("value", UNSET)
        if not isinstance(value, Unset):
            if not isinstance(value, str):
                raise TypeError(f"value must be a JSON string, not {type(value).__name__}")
            if len(value) < 1:
                raise ValueError("value is shorter than its minLength 1")

        text = d.pop("text", UNSET)
        if not isinstance(text, Unset):
            if not isinstance(text, str):
                raise TypeError(f"text must be a JSON string, not {type(text).__name__}")

        custom_entity = cls(
            custom_type=custom_type,
            value=value,
            text=text,
        )

        custom_entity.additional_properties = d
        return custom_entity

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

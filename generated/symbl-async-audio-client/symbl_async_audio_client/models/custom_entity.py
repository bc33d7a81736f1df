from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomEntity")


@_attrs_define
class CustomEntity:
    """A custom entity to detect in the conversation (see Symbl's Entities API).

    Attributes:
        custom_type (str): The entity's type, a name of your choosing.
        value (str): The entity's value.
        text (str | Unset): The text that stands for the entity in the conversation.
    """

    custom_type: str
    value: str
    text: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        custom_type = self.custom_type

        value = self.value

        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customType": custom_type,
                "value": value,
            }
        )
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

        value = d.pop("value")
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

        return custom_entity

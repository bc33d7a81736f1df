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

        value = d.pop("value")

        text = d.pop("text", UNSET)

        custom_entity = cls(
            custom_type=custom_type,
            value=value,
            text=text,
        )

        return custom_entity

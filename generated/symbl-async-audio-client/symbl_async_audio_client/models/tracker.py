from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Tracker")


@_attrs_define
class Tracker:
    """A tracker (beta) to detect in the conversation (see Symbl's Tracker API), by name and vocabulary.
    Trackers by `id` are shown for the Text API only, and are not accepted here (reading 16).

        Attributes:
            name (str): The tracker's name.
            vocabulary (list[str]): Key words and phrases the tracker looks for.
    """

    name: str
    vocabulary: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        vocabulary = self.vocabulary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "vocabulary": vocabulary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")
        if not isinstance(name, str):
            raise TypeError(f"name must be a JSON string, not {type(name).__name__}")
        if len(name) < 1:
            raise ValueError("name is shorter than its minLength 1")

        vocabulary = cast(list[str], d.pop("vocabulary"))

        tracker = cls(
            name=name,
            vocabulary=vocabulary,
        )

        tracker.additional_properties = d
        return tracker

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

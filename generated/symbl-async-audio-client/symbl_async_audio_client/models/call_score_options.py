from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallScoreOptions")


@_attrs_define
class CallScoreOptions:
    """Options of the Call Score feature, as Symbl's Snowflake integration sends them (reading 11).

    Attributes:
        scorecard_id (str | Unset): The scorecard to score the call with.
    """

    scorecard_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scorecard_id = self.scorecard_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if scorecard_id is not UNSET:
            field_dict["scorecardId"] = scorecard_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scorecard_id = d.pop("scorecardId", UNSET)
        if not isinstance(scorecard_id, Unset):
            if not isinstance(scorecard_id, str):
                raise TypeError(f"scorecardId must be a JSON string, not {type(scorecard_id).__name__}")

        call_score_options = cls(
            scorecard_id=scorecard_id,
        )

        call_score_options.additional_properties = d
        return call_score_options

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallScoreMetadata")


@_attrs_define
class CallScoreMetadata:
    """What Call Score needs to know about the call, as symbl-rest's model, the Go SDK and Symbl's Snowflake
    integration send it (reading 11). The Go SDK sends empty strings when it has nothing to say.

        Attributes:
            sales_stage (str | Unset): The stage of the sale the call belongs to.
            prospect_name (str | Unset): The prospect's name.
    """

    sales_stage: str | Unset = UNSET
    prospect_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sales_stage = self.sales_stage

        prospect_name = self.prospect_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if sales_stage is not UNSET:
            field_dict["salesStage"] = sales_stage
        if prospect_name is not UNSET:
            field_dict["prospectName"] = prospect_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sales_stage = d.pop("salesStage", UNSET)
        if not isinstance(sales_stage, Unset):
            if not isinstance(sales_stage, str):
                raise TypeError(f"salesStage must be a JSON string, not {type(sales_stage).__name__}")

        prospect_name = d.pop("prospectName", UNSET)
        if not isinstance(prospect_name, Unset):
            if not isinstance(prospect_name, str):
                raise TypeError(f"prospectName must be a JSON string, not {type(prospect_name).__name__}")

        call_score_metadata = cls(
            sales_stage=sales_stage,
            prospect_name=prospect_name,
        )

        call_score_metadata.additional_properties = d
        return call_score_metadata

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

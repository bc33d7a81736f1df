from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.call_score_options import CallScoreOptions


T = TypeVar("T", bound="CallScoreFeatures")


@_attrs_define
class CallScoreFeatures:
    """Features to compute for the conversation, such as Call Score, as symbl-rest's model, the Go SDK and
    Symbl's Snowflake integration send them (reading 11 of the document description).

        Attributes:
            feature_list (list[str] | None | Unset): The features, such as `insights` and `callScore`. `null` means none:
                the Go SDK sends
                `"featureList": null` on every submission (reading 11), so this is the one nullable property.
            call_score (CallScoreOptions | Unset): Options of the Call Score feature, as Symbl's Snowflake integration sends
                them (reading 11).
    """

    feature_list: list[str] | None | Unset = UNSET
    call_score: CallScoreOptions | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        feature_list: list[str] | None | Unset
        if isinstance(self.feature_list, Unset):
            feature_list = UNSET
        elif isinstance(self.feature_list, list):
            feature_list = self.feature_list

        else:
            feature_list = self.feature_list

        call_score: dict[str, Any] | Unset = UNSET
        if not isinstance(self.call_score, Unset):
            call_score = self.call_score.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if feature_list is not UNSET:
            field_dict["featureList"] = feature_list
        if call_score is not UNSET:
            field_dict["callScore"] = call_score

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_score_options import CallScoreOptions  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_feature_list(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                feature_list_type_0 = cast(list[str], data)

                return feature_list_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        feature_list = _parse_feature_list(d.pop("featureList", UNSET))

        _call_score = d.pop("callScore", UNSET)
        call_score: CallScoreOptions | Unset
        if isinstance(_call_score, Unset):
            call_score = UNSET
        else:
            call_score = CallScoreOptions.from_dict(_call_score)

        call_score_features = cls(
            feature_list=feature_list,
            call_score=call_score,
        )

        call_score_features.additional_properties = d
        return call_score_features

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

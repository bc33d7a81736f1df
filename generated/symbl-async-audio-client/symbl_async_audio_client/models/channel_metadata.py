from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import is_json_integer

if TYPE_CHECKING:
    from ..models.speaker import Speaker


T = TypeVar("T", bound="ChannelMetadata")


@_attrs_define
class ChannelMetadata:
    """Which speaker is on which channel of a speaker-separated recording.

    Attributes:
        channel (int): The channel number in the audio file. Each channel holds one speaker's voice.
        speaker (Speaker): The speaker of one channel. The page's table types `speaker` as "String" but describes a
            wrapper
            object with `name` and `email`, as every example shows (reading 9 of the document description).
    """

    channel: int
    speaker: Speaker
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        speaker = self.speaker.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "speaker": speaker,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.speaker import Speaker  # noqa: PLC0415

        d = dict(src_dict)
        channel = d.pop("channel")
        if not is_json_integer(channel):
            raise TypeError(f"channel must be a JSON integer, not {type(channel).__name__}")
        if channel < 1:
            raise ValueError("channel is below its minimum 1")

        speaker = Speaker.from_dict(d.pop("speaker"))

        channel_metadata = cls(
            channel=channel,
            speaker=speaker,
        )

        channel_metadata.additional_properties = d
        return channel_metadata

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

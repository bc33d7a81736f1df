from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

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

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        speaker = self.speaker.to_dict()

        field_dict: dict[str, Any] = {}

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

        return channel_metadata

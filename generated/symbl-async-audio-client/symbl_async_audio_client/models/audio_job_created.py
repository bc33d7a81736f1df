from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import matches_pattern, parse_uuid

T = TypeVar("T", bound="AudioJobCreated")


@_attrs_define
class AudioJobCreated:
    """The conversation the audio belongs to and the job that processes it.

    Attributes:
        conversation_id (str): ID of the conversation, for the Conversation API and `appendAudioUrl` (a
            `ConversationId`).
        job_id (UUID): A job's ID. Lower case, as Symbl's job IDs are, since clients compare and echo them as strings.
    """

    conversation_id: str
    job_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversation_id = self.conversation_id

        job_id = str(self.job_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversationId": conversation_id,
                "jobId": job_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        conversation_id = d.pop("conversationId")
        if not isinstance(conversation_id, str):
            raise TypeError(f"conversationId must be a JSON string, not {type(conversation_id).__name__}")
        if len(conversation_id) < 1:
            raise ValueError("conversationId is shorter than its minLength 1")
        if len(conversation_id) > 64:
            raise ValueError("conversationId is longer than its maxLength 64")
        if not matches_pattern(conversation_id, "^[A-Za-z0-9_-]+$"):
            raise ValueError("conversationId does not match its pattern")

        job_id = parse_uuid(d.pop("jobId"))

        audio_job_created = cls(
            conversation_id=conversation_id,
            job_id=job_id,
        )

        audio_job_created.additional_properties = d
        return audio_job_created

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

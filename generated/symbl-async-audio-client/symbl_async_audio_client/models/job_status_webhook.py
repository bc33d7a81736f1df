from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status_value import JobStatusValue
from ..types import UNSET, Unset, parse_uuid

T = TypeVar("T", bound="JobStatusWebhook")


@_attrs_define
class JobStatusWebhook:
    """The payload POSTed to the `webhookUrl` on every status change of a job. `jobId` is the documented
    field; `id`, with the same value, is what Symbl's sample receiver and production integrations read
    (reading 6 of the document description).

        Attributes:
            job_id (UUID): A job's ID. Lower case, as Symbl's job IDs are, since clients compare and echo them as strings.
            status (JobStatusValue): Status of a job. It moves `scheduled` → `in_progress` → `completed` or `failed`, and
                never back;
                `completed` and `failed` are final (listed in `x-final-values`, which every reader of this document uses).
                No other value is sent: Symbl's Python SDK raises on any other.
            id (UUID | Unset): A job's ID. Lower case, as Symbl's job IDs are, since clients compare and echo them as
                strings.
    """

    job_id: UUID
    status: JobStatusValue
    id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = str(self.job_id)

        status = self.status.value

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "jobId": job_id,
                "status": status,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        job_id = parse_uuid(d.pop("jobId"))

        status = JobStatusValue(d.pop("status"))

        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id, Unset):
            id = UNSET
        else:
            id = parse_uuid(_id)

        job_status_webhook = cls(
            job_id=job_id,
            status=status,
            id=id,
        )

        job_status_webhook.additional_properties = d
        return job_status_webhook

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

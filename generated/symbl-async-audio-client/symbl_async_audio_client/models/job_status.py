from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status_value import JobStatusValue
from ..types import parse_uuid

T = TypeVar("T", bound="JobStatus")


@_attrs_define
class JobStatus:
    """A job and its current status (Job API).

    Attributes:
        id (UUID): A job's ID. Lower case, as Symbl's job IDs are, since clients compare and echo them as strings.
        status (JobStatusValue): Status of a job. It moves `scheduled` → `in_progress` → `completed` or `failed`, and
            never back;
            `completed` and `failed` are final (listed in `x-final-values`, which every reader of this document uses).
            No other value is sent: Symbl's Python SDK raises on any other.
    """

    id: UUID
    status: JobStatusValue
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = parse_uuid(d.pop("id"))

        status = JobStatusValue(d.pop("status"))

        job_status = cls(
            id=id,
            status=status,
        )

        job_status.additional_properties = d
        return job_status

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

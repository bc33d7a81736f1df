from enum import StrEnum


class AudioMode(StrEnum):
    DEFAULT = "default"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)

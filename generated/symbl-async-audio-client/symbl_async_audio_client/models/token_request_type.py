from enum import StrEnum


class TokenRequestType(StrEnum):
    APPLICATION = "application"

    def __str__(self) -> str:
        return str(self.value)

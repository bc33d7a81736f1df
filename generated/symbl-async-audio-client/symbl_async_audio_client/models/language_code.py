from enum import StrEnum


class LanguageCode(StrEnum):
    AR_SA = "ar-SA"
    DE_DE = "de-DE"
    EN_AU = "en-AU"
    EN_GB = "en-GB"
    EN_IE = "en-IE"
    EN_IN = "en-IN"
    EN_US = "en-US"
    EN_ZA = "en-ZA"
    ES_ES = "es-ES"
    ES_US = "es-US"
    FA_IR = "fa-IR"
    FR_CA = "fr-CA"
    FR_FR = "fr-FR"
    HI_IN = "hi-IN"
    IT_IT = "it-IT"
    JA_JP = "ja-JP"
    NL_NL = "nl-NL"
    PT_BR = "pt-BR"
    PT_PT = "pt-PT"
    RU_RU = "ru-RU"

    def __str__(self) -> str:
        return str(self.value)

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.audio_mode import AudioMode
from ..models.language_code import LanguageCode
from ..types import UNSET, Unset, is_json_integer

if TYPE_CHECKING:
    from ..models.channel_metadata import ChannelMetadata
    from ..models.custom_entity import CustomEntity
    from ..models.tracker import Tracker


T = TypeVar("T", bound="AudioUrlRequest")


@_attrs_define
class AudioUrlRequest:
    """The audio to process and the processing options, shared by `submitAudioUrl` and `appendAudioUrl`.
    Unknown properties are refused, so that a misspelt option is reported rather than silently ignored.

        Attributes:
            url (str): A valid, publicly accessible `http` or `https` URL of the audio file.
            name (str | Unset): Your meeting name. When not given, the conversation's name is its `conversationId`.
            webhook_url (str | Unset): URL to which job status updates are POSTed (the `jobStatusChanged` webhook). The
                empty string, as in
                the page's example body, means no webhook.
            custom_vocabulary (list[str] | Unset): Words and phrases that give hints to the speech recognition.
            confidence_threshold (float | Unset): Minimum confidence for an insight (action item, follow-up, topic,
                question) to be kept. The page's
                "<=0.5 to <=1.0" is read as its own gloss says: 0.5 ≤ x ≤ 1.0 (reading 5 of the document
                description).
                 Default: 0.5.
            detect_phrases (bool | Unset): Show actionable phrases in each sentence of the conversation (Conversation API's
                Messages). Default: False.
            entities (list[CustomEntity] | Unset): Custom entities to detect (Entities API). Canonical name; the page's
                table calls it
                `customEntities`, accepted as a deprecated alias (reading 2 of the document description).
            custom_entities (list[CustomEntity] | Unset): DEPRECATED alias of `entities`, as named in the page's parameter
                table (reading 2 of the document
                description). Use `entities`; when both are given, `entities` wins.
            detect_entities (bool | Unset): Detect entities; when not set, the Entities API returns no entities for the
                conversation. Default: False.
            language_code (LanguageCode | Unset): Language of the recording, one of Symbl's async supported languages.
            mode (AudioMode | Unset): `phone` suits audio from phone calls (typically recorded at 8 kHz); `default` suits
                audio from video or
                online meetings (typically 16 kHz or more). `default` is used when the field is not given.
            enable_separate_recognition_per_channel (bool | Unset): Process each channel of the audio as a separate speaker.
                Default: False.
            channel_metadata (list[ChannelMetadata] | Unset): Which speaker is on which channel. Only used when
                `enableSeparateRecognitionPerChannel` is `true`.
            trackers (list[Tracker] | Unset): Trackers (beta) to detect in the conversation.
            enable_all_trackers (bool | Unset): Detect all the trackers kept for the account by the Management API (beta).
                Default: False.
            enable_summary (bool | Unset): Generate a summary for the Summary API (alpha). Default: False.
            enable_speaker_diarization (bool | Unset): Enable speaker separation. Accepted in the body as the page's table
                says; the query parameter of
                the same name is canonical and wins when both are given (reading 3 of the document description).
            diarization_speaker_count (int | Unset): The number of unique speakers in the conversation. The page's table
                types it "String"; it is a count,
                so an integer of at least 1 (reading 3 of the document description).
    """

    url: str
    name: str | Unset = UNSET
    webhook_url: str | Unset = UNSET
    custom_vocabulary: list[str] | Unset = UNSET
    confidence_threshold: float | Unset = 0.5
    detect_phrases: bool | Unset = False
    entities: list[CustomEntity] | Unset = UNSET
    custom_entities: list[CustomEntity] | Unset = UNSET
    detect_entities: bool | Unset = False
    language_code: LanguageCode | Unset = UNSET
    mode: AudioMode | Unset = UNSET
    enable_separate_recognition_per_channel: bool | Unset = False
    channel_metadata: list[ChannelMetadata] | Unset = UNSET
    trackers: list[Tracker] | Unset = UNSET
    enable_all_trackers: bool | Unset = False
    enable_summary: bool | Unset = False
    enable_speaker_diarization: bool | Unset = UNSET
    diarization_speaker_count: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        name = self.name

        webhook_url = self.webhook_url

        custom_vocabulary: list[str] | Unset = UNSET
        if not isinstance(self.custom_vocabulary, Unset):
            custom_vocabulary = self.custom_vocabulary

        confidence_threshold = self.confidence_threshold

        detect_phrases = self.detect_phrases

        entities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.entities, Unset):
            entities = []
            for entities_item_data in self.entities:
                entities_item = entities_item_data.to_dict()
                entities.append(entities_item)

        custom_entities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.custom_entities, Unset):
            custom_entities = []
            for custom_entities_item_data in self.custom_entities:
                custom_entities_item = custom_entities_item_data.to_dict()
                custom_entities.append(custom_entities_item)

        detect_entities = self.detect_entities

        language_code: str | Unset = UNSET
        if not isinstance(self.language_code, Unset):
            language_code = self.language_code.value

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        enable_separate_recognition_per_channel = self.enable_separate_recognition_per_channel

        channel_metadata: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.channel_metadata, Unset):
            channel_metadata = []
            for channel_metadata_item_data in self.channel_metadata:
                channel_metadata_item = channel_metadata_item_data.to_dict()
                channel_metadata.append(channel_metadata_item)

        trackers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.trackers, Unset):
            trackers = []
            for trackers_item_data in self.trackers:
                trackers_item = trackers_item_data.to_dict()
                trackers.append(trackers_item)

        enable_all_trackers = self.enable_all_trackers

        enable_summary = self.enable_summary

        enable_speaker_diarization = self.enable_speaker_diarization

        diarization_speaker_count = self.diarization_speaker_count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if webhook_url is not UNSET:
            field_dict["webhookUrl"] = webhook_url
        if custom_vocabulary is not UNSET:
            field_dict["customVocabulary"] = custom_vocabulary
        if confidence_threshold is not UNSET:
            field_dict["confidenceThreshold"] = confidence_threshold
        if detect_phrases is not UNSET:
            field_dict["detectPhrases"] = detect_phrases
        if entities is not UNSET:
            field_dict["entities"] = entities
        if custom_entities is not UNSET:
            field_dict["customEntities"] = custom_entities
        if detect_entities is not UNSET:
            field_dict["detectEntities"] = detect_entities
        if language_code is not UNSET:
            field_dict["languageCode"] = language_code
        if mode is not UNSET:
            field_dict["mode"] = mode
        if enable_separate_recognition_per_channel is not UNSET:
            field_dict["enableSeparateRecognitionPerChannel"] = enable_separate_recognition_per_channel
        if channel_metadata is not UNSET:
            field_dict["channelMetadata"] = channel_metadata
        if trackers is not UNSET:
            field_dict["trackers"] = trackers
        if enable_all_trackers is not UNSET:
            field_dict["enableAllTrackers"] = enable_all_trackers
        if enable_summary is not UNSET:
            field_dict["enableSummary"] = enable_summary
        if enable_speaker_diarization is not UNSET:
            field_dict["enableSpeakerDiarization"] = enable_speaker_diarization
        if diarization_speaker_count is not UNSET:
            field_dict["diarizationSpeakerCount"] = diarization_speaker_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_metadata import ChannelMetadata  # noqa: PLC0415
        from ..models.custom_entity import CustomEntity  # noqa: PLC0415
        from ..models.tracker import Tracker  # noqa: PLC0415

        d = dict(src_dict)
        url = d.pop("url")
        if not isinstance(url, str):
            raise TypeError(f"url must be a JSON string, not {type(url).__name__}")

        name = d.pop("name", UNSET)
        if not isinstance(name, Unset):
            if not isinstance(name, str):
                raise TypeError(f"name must be a JSON string, not {type(name).__name__}")
            if len(name) > 1024:
                raise ValueError("name is longer than its maxLength 1024")

        webhook_url = d.pop("webhookUrl", UNSET)
        if not isinstance(webhook_url, Unset):
            if not isinstance(webhook_url, str):
                raise TypeError(f"webhookUrl must be a JSON string, not {type(webhook_url).__name__}")

        custom_vocabulary = cast(list[str], d.pop("customVocabulary", UNSET))

        confidence_threshold = d.pop("confidenceThreshold", UNSET)
        if not isinstance(confidence_threshold, Unset):
            if not isinstance(confidence_threshold, int | float) or isinstance(confidence_threshold, bool):
                raise TypeError(f"confidenceThreshold must be a JSON number, not {type(confidence_threshold).__name__}")
            if confidence_threshold < 0.5:
                raise ValueError("confidenceThreshold is below its minimum 0.5")
            if confidence_threshold > 1:
                raise ValueError("confidenceThreshold is above its maximum 1")

        detect_phrases = d.pop("detectPhrases", UNSET)
        if not isinstance(detect_phrases, Unset):
            if not isinstance(detect_phrases, bool):
                raise TypeError(f"detectPhrases must be a JSON boolean, not {type(detect_phrases).__name__}")

        _entities = d.pop("entities", UNSET)
        entities: list[CustomEntity] | Unset = UNSET
        if _entities is not UNSET:
            entities = []
            for entities_item_data in _entities:
                entities_item = CustomEntity.from_dict(entities_item_data)

                entities.append(entities_item)

        _custom_entities = d.pop("customEntities", UNSET)
        custom_entities: list[CustomEntity] | Unset = UNSET
        if _custom_entities is not UNSET:
            custom_entities = []
            for custom_entities_item_data in _custom_entities:
                custom_entities_item = CustomEntity.from_dict(custom_entities_item_data)

                custom_entities.append(custom_entities_item)

        detect_entities = d.pop("detectEntities", UNSET)
        if not isinstance(detect_entities, Unset):
            if not isinstance(detect_entities, bool):
                raise TypeError(f"detectEntities must be a JSON boolean, not {type(detect_entities).__name__}")

        _language_code = d.pop("languageCode", UNSET)
        language_code: LanguageCode | Unset
        if isinstance(_language_code, Unset):
            language_code = UNSET
        else:
            language_code = LanguageCode(_language_code)

        _mode = d.pop("mode", UNSET)
        mode: AudioMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = AudioMode(_mode)

        enable_separate_recognition_per_channel = d.pop("enableSeparateRecognitionPerChannel", UNSET)
        if not isinstance(enable_separate_recognition_per_channel, Unset):
            if not isinstance(enable_separate_recognition_per_channel, bool):
                raise TypeError(
                    f"enableSeparateRecognitionPerChannel must be a JSON boolean, not {type(enable_separate_recognition_per_channel).__name__}"
                )

        _channel_metadata = d.pop("channelMetadata", UNSET)
        channel_metadata: list[ChannelMetadata] | Unset = UNSET
        if _channel_metadata is not UNSET:
            channel_metadata = []
            for channel_metadata_item_data in _channel_metadata:
                channel_metadata_item = ChannelMetadata.from_dict(channel_metadata_item_data)

                channel_metadata.append(channel_metadata_item)

        _trackers = d.pop("trackers", UNSET)
        trackers: list[Tracker] | Unset = UNSET
        if _trackers is not UNSET:
            trackers = []
            for trackers_item_data in _trackers:
                trackers_item = Tracker.from_dict(trackers_item_data)

                trackers.append(trackers_item)

        enable_all_trackers = d.pop("enableAllTrackers", UNSET)
        if not isinstance(enable_all_trackers, Unset):
            if not isinstance(enable_all_trackers, bool):
                raise TypeError(f"enableAllTrackers must be a JSON boolean, not {type(enable_all_trackers).__name__}")

        enable_summary = d.pop("enableSummary", UNSET)
        if not isinstance(enable_summary, Unset):
            if not isinstance(enable_summary, bool):
                raise TypeError(f"enableSummary must be a JSON boolean, not {type(enable_summary).__name__}")

        enable_speaker_diarization = d.pop("enableSpeakerDiarization", UNSET)
        if not isinstance(enable_speaker_diarization, Unset):
            if not isinstance(enable_speaker_diarization, bool):
                raise TypeError(
                    f"enableSpeakerDiarization must be a JSON boolean, not {type(enable_speaker_diarization).__name__}"
                )

        diarization_speaker_count = d.pop("diarizationSpeakerCount", UNSET)
        if not isinstance(diarization_speaker_count, Unset):
            if not is_json_integer(diarization_speaker_count):
                raise TypeError(
                    f"diarizationSpeakerCount must be a JSON integer, not {type(diarization_speaker_count).__name__}"
                )

        audio_url_request = cls(
            url=url,
            name=name,
            webhook_url=webhook_url,
            custom_vocabulary=custom_vocabulary,
            confidence_threshold=confidence_threshold,
            detect_phrases=detect_phrases,
            entities=entities,
            custom_entities=custom_entities,
            detect_entities=detect_entities,
            language_code=language_code,
            mode=mode,
            enable_separate_recognition_per_channel=enable_separate_recognition_per_channel,
            channel_metadata=channel_metadata,
            trackers=trackers,
            enable_all_trackers=enable_all_trackers,
            enable_summary=enable_summary,
            enable_speaker_diarization=enable_speaker_diarization,
            diarization_speaker_count=diarization_speaker_count,
        )

        return audio_url_request

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audio_mode import AudioMode
from ..models.language_code import LanguageCode
from ..types import UNSET, Unset, is_json_integer

if TYPE_CHECKING:
    from ..models.call_score_features import CallScoreFeatures
    from ..models.call_score_metadata import CallScoreMetadata
    from ..models.channel_metadata import ChannelMetadata
    from ..models.custom_entity import CustomEntity
    from ..models.tracker import Tracker


T = TypeVar("T", bound="AudioUrlRequest")


@_attrs_define
class AudioUrlRequest:
    """The audio to process and the processing options, shared by `submitAudioUrl` and `appendAudioUrl`.
    Every property a client of this API is known to send is declared here; unknown properties are
    accepted and ignored (reading 12 of the document description).

        Attributes:
            url (str): A valid, publicly accessible `http` or `https` URL of the audio file, with a host (Symbl's POST page:
                no redirected or shortened links). Presigned URLs, with their query string, are fine.
            name (str | Unset): Your meeting name. When not given, the conversation's name is its `conversationId`.
            webhook_url (str | Unset): URL to which job status updates are POSTed (the `jobStatusChanged` webhook): `http`
                or `https`, with
                a host. The empty string, as in the page's example body, means no webhook.
            custom_vocabulary (list[str] | Unset): Words and phrases that give hints to the speech recognition.
            confidence_threshold (float | str | Unset): Minimum confidence for an insight (action item, follow-up, topic,
                question) to be kept, from 0.0 to
                1.0 as Symbl's OpenAPI file says for these operations; the pages' "0.5 to 1.0" is narrower than what
                Symbl documents in machine-readable form (reading 5 of the document description). A JSON number is
                canonical; its decimal text (`"0.6"`) means the same (reading 10).
            timezone_offset (int | Unset): Offset of the caller's time zone from UTC, in minutes. Typed int32 by Symbl's
                OpenAPI file, sent
                as `0` by Symbl's trackers cheat-sheet and demo apps (reading 11 of the document description).
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
            enable_summary (bool | Unset): Generate a summary for the Summary API (alpha). Accepted in the body, as the
                page's table and
                Pipedream put it; the query parameter of the same name, where Symbl's tutorial puts it, wins when
                both are given (reading 11 of the document description).
                 Default: False.
            enable_speaker_diarization (bool | str | Unset): A boolean option. JSON `true` or `false` is canonical; the text
                `true`, `True`, `false` or `False`
                means the same, as Symbl's Python clients send it (reading 10 of the document description).
            diarization_speaker_count (int | str | Unset): The number of unique speakers in the conversation: at least 1.
                The page's table types it "String";
                it is a count (reading 3 of the document description). A JSON integer is canonical; clients also
                send it as text (`"2"`) or, in the query string, as `2.0`: both mean 2 (reading 10). No source gives
                an upper bound; the bounds here (at most 9 digits) are this document's, so that every value it admits
                has a bounded length in a request target.
            features (CallScoreFeatures | Unset): Features to compute for the conversation, such as Call Score, as symbl-
                rest's model, the Go SDK and
                Symbl's Snowflake integration send them (reading 11 of the document description).
            metadata (CallScoreMetadata | Unset): What Call Score needs to know about the call, as symbl-rest's model, the
                Go SDK and Symbl's Snowflake
                integration send it (reading 11). The Go SDK sends empty strings when it has nothing to say.
            conversation_type (str | Unset): The kind of conversation, such as `sales` (Call Score), as Symbl's Snowflake
                integration and the Go
                SDK send it (reading 11 of the document description).
            parent_refs (bool | Unset): Sent by Symbl's Go SDK when set; not documented for this endpoint (reading 11).
            sentiment (bool | Unset): Sent by Symbl's Go SDK when set; not documented for this endpoint (reading 11).
    """

    url: str
    name: str | Unset = UNSET
    webhook_url: str | Unset = UNSET
    custom_vocabulary: list[str] | Unset = UNSET
    confidence_threshold: float | str | Unset = UNSET
    timezone_offset: int | Unset = UNSET
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
    enable_speaker_diarization: bool | str | Unset = UNSET
    diarization_speaker_count: int | str | Unset = UNSET
    features: CallScoreFeatures | Unset = UNSET
    metadata: CallScoreMetadata | Unset = UNSET
    conversation_type: str | Unset = UNSET
    parent_refs: bool | Unset = UNSET
    sentiment: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        name = self.name

        webhook_url = self.webhook_url

        custom_vocabulary: list[str] | Unset = UNSET
        if not isinstance(self.custom_vocabulary, Unset):
            custom_vocabulary = self.custom_vocabulary

        confidence_threshold: float | str | Unset
        if isinstance(self.confidence_threshold, Unset):
            confidence_threshold = UNSET
        else:
            confidence_threshold = self.confidence_threshold

        timezone_offset = self.timezone_offset

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

        enable_speaker_diarization: bool | str | Unset
        if isinstance(self.enable_speaker_diarization, Unset):
            enable_speaker_diarization = UNSET
        else:
            enable_speaker_diarization = self.enable_speaker_diarization

        diarization_speaker_count: int | str | Unset
        if isinstance(self.diarization_speaker_count, Unset):
            diarization_speaker_count = UNSET
        else:
            diarization_speaker_count = self.diarization_speaker_count

        features: dict[str, Any] | Unset = UNSET
        if not isinstance(self.features, Unset):
            features = self.features.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        conversation_type = self.conversation_type

        parent_refs = self.parent_refs

        sentiment = self.sentiment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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
        if timezone_offset is not UNSET:
            field_dict["timezoneOffset"] = timezone_offset
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
        if features is not UNSET:
            field_dict["features"] = features
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if conversation_type is not UNSET:
            field_dict["conversationType"] = conversation_type
        if parent_refs is not UNSET:
            field_dict["parentRefs"] = parent_refs
        if sentiment is not UNSET:
            field_dict["sentiment"] = sentiment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_score_features import CallScoreFeatures  # noqa: PLC0415
        from ..models.call_score_metadata import CallScoreMetadata  # noqa: PLC0415
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

        def _parse_confidence_threshold(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        confidence_threshold = _parse_confidence_threshold(d.pop("confidenceThreshold", UNSET))

        timezone_offset = d.pop("timezoneOffset", UNSET)
        if not isinstance(timezone_offset, Unset):
            if not is_json_integer(timezone_offset):
                raise TypeError(f"timezoneOffset must be a JSON integer, not {type(timezone_offset).__name__}")
            if timezone_offset < -2147483648:
                raise ValueError("timezoneOffset is below its minimum -2147483648")
            if timezone_offset > 2147483647:
                raise ValueError("timezoneOffset is above its maximum 2147483647")

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

        def _parse_enable_speaker_diarization(data: object) -> bool | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(bool | str | Unset, data)

        enable_speaker_diarization = _parse_enable_speaker_diarization(d.pop("enableSpeakerDiarization", UNSET))

        def _parse_diarization_speaker_count(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        diarization_speaker_count = _parse_diarization_speaker_count(d.pop("diarizationSpeakerCount", UNSET))

        _features = d.pop("features", UNSET)
        features: CallScoreFeatures | Unset
        if isinstance(_features, Unset):
            features = UNSET
        else:
            features = CallScoreFeatures.from_dict(_features)

        _metadata = d.pop("metadata", UNSET)
        metadata: CallScoreMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = CallScoreMetadata.from_dict(_metadata)

        conversation_type = d.pop("conversationType", UNSET)
        if not isinstance(conversation_type, Unset):
            if not isinstance(conversation_type, str):
                raise TypeError(f"conversationType must be a JSON string, not {type(conversation_type).__name__}")

        parent_refs = d.pop("parentRefs", UNSET)
        if not isinstance(parent_refs, Unset):
            if not isinstance(parent_refs, bool):
                raise TypeError(f"parentRefs must be a JSON boolean, not {type(parent_refs).__name__}")

        sentiment = d.pop("sentiment", UNSET)
        if not isinstance(sentiment, Unset):
            if not isinstance(sentiment, bool):
                raise TypeError(f"sentiment must be a JSON boolean, not {type(sentiment).__name__}")

        audio_url_request = cls(
            url=url,
            name=name,
            webhook_url=webhook_url,
            custom_vocabulary=custom_vocabulary,
            confidence_threshold=confidence_threshold,
            timezone_offset=timezone_offset,
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
            features=features,
            metadata=metadata,
            conversation_type=conversation_type,
            parent_refs=parent_refs,
            sentiment=sentiment,
        )

        audio_url_request.additional_properties = d
        return audio_url_request

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

"""Contains all the data models used in inputs/outputs"""

from .audio_job_created import AudioJobCreated
from .audio_mode import AudioMode
from .audio_url_request import AudioUrlRequest
from .call_score_features import CallScoreFeatures
from .call_score_metadata import CallScoreMetadata
from .call_score_options import CallScoreOptions
from .channel_metadata import ChannelMetadata
from .custom_entity import CustomEntity
from .error import Error
from .job_status import JobStatus
from .job_status_value import JobStatusValue
from .job_status_webhook import JobStatusWebhook
from .language_code import LanguageCode
from .speaker import Speaker
from .token_request import TokenRequest
from .token_request_type import TokenRequestType
from .token_response import TokenResponse
from .tracker import Tracker

__all__ = (
    "AudioJobCreated",
    "AudioMode",
    "AudioUrlRequest",
    "CallScoreFeatures",
    "CallScoreMetadata",
    "CallScoreOptions",
    "ChannelMetadata",
    "CustomEntity",
    "Error",
    "JobStatus",
    "JobStatusValue",
    "JobStatusWebhook",
    "LanguageCode",
    "Speaker",
    "TokenRequest",
    "TokenRequestType",
    "TokenResponse",
    "Tracker",
)

"""Tell Roam when a training job saved a checkpoint, a dataset or a model: CloudEvents over Kafka or HTTP.

The framework callbacks live in ``roam_events.huggingface`` (``RoamCheckpointCallback``) and
``roam_events.lightning`` (``RoamModelCheckpoint``); they import their framework only when it is installed.
"""

from .emitters import (
    GATEWAY_URL_VARIABLE,
    KAFKA_BOOTSTRAP_SERVERS_VARIABLE,
    KAFKA_SASL_MECHANISM_VARIABLE,
    KAFKA_SASL_PASSWORD_VARIABLE,
    KAFKA_SASL_USERNAME_VARIABLE,
    KAFKA_SECURITY_PROTOCOL_VARIABLE,
    KAFKA_SSL_CAFILE_VARIABLE,
    KAFKA_SSL_CERTFILE_VARIABLE,
    KAFKA_SSL_KEYFILE_VARIABLE,
    KAFKA_TOPIC_VARIABLE,
    PROJECT_TOPIC,
    PROJECT_VARIABLE,
    TOKEN_VARIABLE,
    TOPIC,
    ContentMode,
    Emitter,
    HttpEmitter,
    KafkaEmitter,
    KafkaRecord,
    emitter_from_environment,
    kafka_record,
)
from .errors import ConfigurationError, DeliveryError, EventRejectedError, InvalidEventError, RoamEventsError
from .events import (
    CHECKPOINT_SAVED,
    DATASET_REGISTERED,
    EVENT_TYPES,
    MODEL_SAVED,
    TrainingEvent,
    build_event,
    checkpoint_saved,
    dataset_registered,
    model_saved,
)
from .locations import StorageLocations

__all__ = [
    "CHECKPOINT_SAVED", "DATASET_REGISTERED", "EVENT_TYPES", "GATEWAY_URL_VARIABLE",
    "KAFKA_BOOTSTRAP_SERVERS_VARIABLE", "KAFKA_SASL_MECHANISM_VARIABLE", "KAFKA_SASL_PASSWORD_VARIABLE",
    "KAFKA_SASL_USERNAME_VARIABLE", "KAFKA_SECURITY_PROTOCOL_VARIABLE", "KAFKA_SSL_CAFILE_VARIABLE",
    "KAFKA_SSL_CERTFILE_VARIABLE", "KAFKA_SSL_KEYFILE_VARIABLE", "KAFKA_TOPIC_VARIABLE", "MODEL_SAVED", "PROJECT_TOPIC",
    "PROJECT_VARIABLE", "TOKEN_VARIABLE", "TOPIC",
    "ConfigurationError", "ContentMode", "DeliveryError", "Emitter", "EventRejectedError", "HttpEmitter",
    "InvalidEventError", "KafkaEmitter", "KafkaRecord", "RoamEventsError", "StorageLocations", "TrainingEvent",
    "build_event", "checkpoint_saved", "dataset_registered", "emitter_from_environment", "kafka_record",
    "model_saved",
]

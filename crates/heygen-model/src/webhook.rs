//! Webhooks: endpoints (`/v3/webhooks/endpoints…`), event types, delivered events, and the
//! payload of a delivery as a typed, open [`WebhookEvent`].
//!
//! The signing secret is a [`WebhookSecret`]: `Debug` and `Display` never print it. Verifying a
//! delivery is `heygen_core::webhook` (it needs the raw body bytes, not these types).

use core::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::macros::{option_setters, page_cursor_setters, resource_id};
use crate::secret::PresignedUrl;
use crate::validate::{self, Rule, ValidationError};

resource_id!(
    /// The id of a webhook endpoint.
    WebhookEndpointId,
    "endpoint_id"
);

/// The prefix of a HeyGen endpoint signing secret.
pub const WEBHOOK_SECRET_PREFIX: &str = "whsec_";

/// An endpoint's signing secret (`whsec_…`), returned only by create and rotate-secret. The whole
/// string, as UTF-8 bytes, is the HMAC-SHA256 key. `Debug` and `Display` print `whsec_<redacted>`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebhookSecret(String);

impl TryFrom<String> for WebhookSecret {
    type Error = ValidationError;

    fn try_from(secret: String) -> Result<Self, Self::Error> {
        Self::new(secret)
    }
}

impl From<WebhookSecret> for String {
    fn from(secret: WebhookSecret) -> Self {
        secret.0
    }
}

/// Compares in constant time (the length aside), so a comparison cannot be timed.
impl PartialEq for WebhookSecret {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for WebhookSecret {}

impl WebhookSecret {
    /// Wraps a secret.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `secret`) for an empty or blank secret.
    pub fn new(secret: impl Into<String>) -> Result<Self, ValidationError> {
        let secret = secret.into();
        if secret.trim().is_empty() {
            return Err(ValidationError::new("secret", Rule::Empty));
        }
        Ok(Self(secret))
    }

    /// The secret itself, to key an HMAC or store it; never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WebhookSecret")
            .field(&format_args!("{self}"))
            .finish()
    }
}

impl fmt::Display for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.starts_with(WEBHOOK_SECRET_PREFIX) {
            write!(f, "{WEBHOOK_SECRET_PREFIX}<redacted>")
        } else {
            f.write_str("<redacted>")
        }
    }
}

/// A registered webhook endpoint (`data` of `POST`/`PATCH /v3/webhooks/endpoints…`, items of
/// `GET /v3/webhooks/endpoints`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookEndpoint {
    /// The endpoint id.
    pub endpoint_id: WebhookEndpointId,
    /// Where deliveries are posted.
    pub url: String,
    /// `enabled` or `disabled` (other values are kept as sent).
    pub status: String,
    /// The subscribed event types; `None` means every event.
    #[serde(default)]
    pub events: Option<Vec<String>>,
    /// The signing secret: only in the responses of create and rotate-secret. A blank one (the
    /// schema allows any string where none is shown) reads as `None`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "blank_secret_as_none"
    )]
    pub secret: Option<WebhookSecret>,
    /// When it was created, ISO 8601 (unlike the Unix seconds of avatars and videos).
    pub created_at: String,
}

/// An endpoint's `secret`: absent, `null` or blank is `None`, so one endpoint without a secret to
/// show cannot fail a whole list.
fn blank_secret_as_none<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<WebhookSecret>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.and_then(|s| WebhookSecret::new(s).ok()))
}

/// The body of `POST /v3/webhooks/endpoints`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreateWebhookEndpointRequest {
    /// Where deliveries are posted.
    pub url: String,
    /// Event types to subscribe to; unset means every event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
    /// Scopes the endpoint to one entity (for example a personalized video project).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
}

impl CreateWebhookEndpointRequest {
    /// An endpoint for every event at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            events: None,
            entity_id: None,
        }
    }

    /// Subscribes only to these event types.
    #[must_use]
    pub fn events<I, S>(mut self, events: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.events = Some(events.into_iter().map(Into::into).collect());
        self
    }

    /// Scopes the endpoint to one entity.
    #[must_use]
    pub fn entity_id(mut self, entity_id: impl Into<String>) -> Self {
        self.entity_id = Some(entity_id.into());
        self
    }

    /// Checks the request: an `http(s)` URL and non-blank event types.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate_endpoint_url(&self.url)?;
        validate_event_types(self.events.as_deref())
    }
}

/// The body of `PATCH /v3/webhooks/endpoints/{endpoint_id}`: unset fields are left as they are;
/// `events` replaces the whole list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpdateWebhookEndpointRequest {
    /// A new URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The new list of event types (replaces the old one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
}

impl UpdateWebhookEndpointRequest {
    /// No changes (`{}`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the endpoint to `url`.
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Replaces the subscribed event types.
    #[must_use]
    pub fn events<I, S>(mut self, events: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.events = Some(events.into_iter().map(Into::into).collect());
        self
    }

    /// Checks the request as [`CreateWebhookEndpointRequest::validate`] does, for the fields set.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(url) = &self.url {
            validate_endpoint_url(url)?;
        }
        validate_event_types(self.events.as_deref())
    }
}

fn validate_endpoint_url(url: &str) -> Result<(), ValidationError> {
    validate::validate_http_url("url", url)
}

fn validate_event_types(events: Option<&[String]>) -> Result<(), ValidationError> {
    if events.is_some_and(|list| list.iter().any(|e| e.trim().is_empty())) {
        return Err(ValidationError::new("events", Rule::Empty));
    }
    Ok(())
}

/// The `data` of `POST /v3/webhooks/endpoints/{endpoint_id}/rotate-secret`: the new secret (the
/// old one stops working at once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RotatedWebhookSecret {
    /// The endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// Its new signing secret, shown only here.
    pub secret: WebhookSecret,
}

/// An item of `GET /v3/webhooks/event-types`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookEventType {
    /// The event type, e.g. `avatar_video.success`.
    pub event_type: String,
    /// When it fires.
    #[serde(default)]
    pub description: String,
}

/// The query of `GET /v3/webhooks/endpoints`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListWebhookEndpointsQuery {
    /// Page size, 1 to [`MAX_WEBHOOK_PAGE_LIMIT`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Cursor from the previous page's `next_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// The largest `limit` of the webhook list endpoints.
pub const MAX_WEBHOOK_PAGE_LIMIT: u32 = 100;

impl ListWebhookEndpointsQuery {
    /// An empty query (server defaults).
    pub fn new() -> Self {
        Self::default()
    }

    page_cursor_setters!(with_token);

    /// Checks `limit`.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `limit`) outside 1 to [`MAX_WEBHOOK_PAGE_LIMIT`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate_limit(self.limit)
    }

    /// Query pairs in a fixed order, not yet percent-encoded; unset fields are left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(token) = &self.token {
            pairs.push(("token", token.clone()));
        }
        pairs
    }
}

/// The query of `GET /v3/webhooks/events`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListWebhookEventsQuery {
    /// Only events of this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Only events of this entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// Page size, 1 to [`MAX_WEBHOOK_PAGE_LIMIT`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Cursor from the previous page's `next_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl ListWebhookEventsQuery {
    /// An empty query (server defaults).
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        /// Only events of this type.
        event_type(event_type: impl Into<String>) => into;
        /// Only events of this entity.
        entity_id(entity_id: impl Into<String>) => into;
    }

    page_cursor_setters!(with_token);

    /// Checks `limit`.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `limit`) outside 1 to [`MAX_WEBHOOK_PAGE_LIMIT`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate_limit(self.limit)
    }

    /// Query pairs in a fixed order, not yet percent-encoded; unset fields are left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(event_type) = &self.event_type {
            pairs.push(("event_type", event_type.clone()));
        }
        if let Some(entity_id) = &self.entity_id {
            pairs.push(("entity_id", entity_id.clone()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(token) = &self.token {
            pairs.push(("token", token.clone()));
        }
        pairs
    }
}

fn validate_limit(limit: Option<u32>) -> Result<(), ValidationError> {
    validate::validate_page_limit(limit, MAX_WEBHOOK_PAGE_LIMIT)
}

/// One webhook delivery's body, or an item of `GET /v3/webhooks/events`:
/// `{event_id?, event_type, event_data, created_at?}` with the event typed by its
/// `event_type`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The event id (the de-duplication key), when the body carries one.
    pub event_id: Option<String>,
    /// When the event was created, as sent (ISO 8601 or Unix seconds), when present.
    pub created_at: Option<Value>,
    /// The event.
    pub event: WebhookEvent,
}

impl Serialize for WebhookDelivery {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let fields =
            2 + usize::from(self.event_id.is_some()) + usize::from(self.created_at.is_some());
        let mut out = serializer.serialize_struct("WebhookDelivery", fields)?;
        if let Some(id) = &self.event_id {
            out.serialize_field("event_id", id)?;
        }
        out.serialize_field("event_type", self.event.event_type())?;
        out.serialize_field("event_data", &EventData(&self.event))?;
        if let Some(created_at) = &self.created_at {
            out.serialize_field("created_at", created_at)?;
        }
        out.end()
    }
}

/// The `event_data` of an event, as the typed variant serializes it.
struct EventData<'a>(&'a WebhookEvent);

impl Serialize for EventData<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            WebhookEvent::VideoSucceeded(data) | WebhookEvent::VideoGifSucceeded(data) => {
                data.serialize(serializer)
            }
            WebhookEvent::VideoFailed(data) | WebhookEvent::VideoGifFailed(data) => {
                data.serialize(serializer)
            }
            WebhookEvent::PhotoAvatarTrainSucceeded(data)
            | WebhookEvent::PhotoAvatarTrainFailed(data)
            | WebhookEvent::PhotoAvatarGenerationSucceeded(data)
            | WebhookEvent::PhotoAvatarGenerationFailed(data)
            | WebhookEvent::InstantAvatarSucceeded(data)
            | WebhookEvent::InstantAvatarFailed(data) => data.serialize(serializer),
            WebhookEvent::Unknown { raw, .. } => raw.serialize(serializer),
        }
    }
}

/// An item of `GET /v3/webhooks/events`: a delivered event as HeyGen stored it. Its data stays
/// raw so one odd item never fails the page; [`WebhookEventRecord::event`] types it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookEventRecord {
    /// The event id.
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// The payload as sent.
    #[serde(default)]
    pub event_data: Value,
    /// When it was created, ISO 8601.
    #[serde(default)]
    pub created_at: String,
}

impl WebhookEventRecord {
    /// The typed event.
    ///
    /// # Errors
    /// As [`WebhookEvent::from_parts`].
    pub fn event(&self) -> Result<WebhookEvent, String> {
        WebhookEvent::from_parts(&self.event_type, self.event_data.clone())
    }
}

impl<'de> Deserialize<'de> for WebhookDelivery {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            event_id: Option<String>,
            event_type: String,
            #[serde(default)]
            event_data: Option<Value>,
            #[serde(default)]
            created_at: Option<Value>,
        }
        let raw = Raw::deserialize(deserializer)?;
        let data = raw.event_data.unwrap_or(Value::Object(Map::new()));
        let event = WebhookEvent::from_parts(&raw.event_type, data).map_err(D::Error::custom)?;
        Ok(Self {
            event_id: raw.event_id.filter(|id| !id.is_empty()),
            created_at: raw.created_at.filter(|v| !v.is_null()),
            event,
        })
    }
}

/// A webhook event, typed by its `event_type`. Open: a type this version does not know is
/// [`WebhookEvent::Unknown`] with its raw data, never an error.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `avatar_video.success`: a video finished rendering.
    VideoSucceeded(VideoSucceeded),
    /// `avatar_video.fail`: a video failed.
    VideoFailed(VideoFailed),
    /// `avatar_video_gif.success`: a video's GIF is ready.
    VideoGifSucceeded(VideoSucceeded),
    /// `avatar_video_gif.fail`: a video's GIF failed.
    VideoGifFailed(VideoFailed),
    /// `photo_avatar_train.success`: a photo avatar finished training.
    PhotoAvatarTrainSucceeded(AvatarEvent),
    /// `photo_avatar_train.fail`: a photo avatar's training failed.
    PhotoAvatarTrainFailed(AvatarEvent),
    /// `photo_avatar_generation.success`: photo avatar images were generated.
    PhotoAvatarGenerationSucceeded(AvatarEvent),
    /// `photo_avatar_generation.fail`: photo avatar generation failed.
    PhotoAvatarGenerationFailed(AvatarEvent),
    /// `instant_avatar.success`: a digital twin (instant avatar) finished training.
    InstantAvatarSucceeded(AvatarEvent),
    /// `instant_avatar.fail`: a digital twin's training failed.
    InstantAvatarFailed(AvatarEvent),
    /// Any other event type, with its data as sent.
    Unknown {
        /// The event type as sent.
        event_type: String,
        /// The `event_data` as sent.
        raw: Value,
    },
}

impl WebhookEvent {
    /// The event from its type and data.
    ///
    /// # Errors
    /// A message when the data of a known event type does not have that type's shape (for
    /// example `video_id` missing from `avatar_video.success`).
    pub fn from_parts(event_type: &str, data: Value) -> Result<Self, String> {
        fn typed<T: serde::de::DeserializeOwned>(
            event_type: &str,
            data: Value,
        ) -> Result<T, String> {
            serde_json::from_value(data).map_err(|e| format!("{event_type} event_data: {e}"))
        }
        Ok(match event_type {
            "avatar_video.success" => Self::VideoSucceeded(typed(event_type, data)?),
            "avatar_video.fail" => Self::VideoFailed(typed(event_type, data)?),
            "avatar_video_gif.success" => Self::VideoGifSucceeded(typed(event_type, data)?),
            "avatar_video_gif.fail" => Self::VideoGifFailed(typed(event_type, data)?),
            "photo_avatar_train.success" => {
                Self::PhotoAvatarTrainSucceeded(typed(event_type, data)?)
            }
            "photo_avatar_train.fail" => Self::PhotoAvatarTrainFailed(typed(event_type, data)?),
            "photo_avatar_generation.success" => {
                Self::PhotoAvatarGenerationSucceeded(typed(event_type, data)?)
            }
            "photo_avatar_generation.fail" => {
                Self::PhotoAvatarGenerationFailed(typed(event_type, data)?)
            }
            "instant_avatar.success" => Self::InstantAvatarSucceeded(typed(event_type, data)?),
            "instant_avatar.fail" => Self::InstantAvatarFailed(typed(event_type, data)?),
            other => Self::Unknown {
                event_type: other.to_owned(),
                raw: data,
            },
        })
    }

    /// The wire event type.
    pub fn event_type(&self) -> &str {
        match self {
            Self::VideoSucceeded(_) => "avatar_video.success",
            Self::VideoFailed(_) => "avatar_video.fail",
            Self::VideoGifSucceeded(_) => "avatar_video_gif.success",
            Self::VideoGifFailed(_) => "avatar_video_gif.fail",
            Self::PhotoAvatarTrainSucceeded(_) => "photo_avatar_train.success",
            Self::PhotoAvatarTrainFailed(_) => "photo_avatar_train.fail",
            Self::PhotoAvatarGenerationSucceeded(_) => "photo_avatar_generation.success",
            Self::PhotoAvatarGenerationFailed(_) => "photo_avatar_generation.fail",
            Self::InstantAvatarSucceeded(_) => "instant_avatar.success",
            Self::InstantAvatarFailed(_) => "instant_avatar.fail",
            Self::Unknown { event_type, .. } => event_type,
        }
    }

    /// Whether the event reports a failure (a known `….fail` type, or an unknown type ending in
    /// `.fail`).
    pub fn is_failure(&self) -> bool {
        self.event_type()
            .rsplit_once('.')
            .is_some_and(|(_, outcome)| outcome == "fail")
    }

    /// The failure text of a failure event (`msg` or `message`), if any.
    pub fn failure_message(&self) -> Option<&str> {
        match self {
            Self::VideoFailed(e) | Self::VideoGifFailed(e) => e.message.as_deref(),
            Self::PhotoAvatarTrainFailed(e)
            | Self::PhotoAvatarGenerationFailed(e)
            | Self::InstantAvatarFailed(e) => e.message.as_deref(),
            Self::Unknown { raw, .. } => raw
                .get("msg")
                .or_else(|| raw.get("message"))
                .and_then(Value::as_str),
            _ => None,
        }
    }

    /// The video id of a video event.
    pub fn video_id(&self) -> Option<&str> {
        match self {
            Self::VideoSucceeded(e) | Self::VideoGifSucceeded(e) => Some(&e.video_id),
            Self::VideoFailed(e) | Self::VideoGifFailed(e) => Some(&e.video_id),
            _ => None,
        }
    }
}

/// The data of `avatar_video.success` and `avatar_video_gif.success`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoSucceeded {
    /// The video.
    pub video_id: String,
    /// The file (a presigned link: its query is redacted in `Debug`).
    #[serde(default)]
    pub url: Option<PresignedUrl>,
    /// The `callback_id` given at creation; `null` or absent is `None`.
    #[serde(default)]
    pub callback_id: Option<String>,
    /// Every other member, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The data of `avatar_video.fail` and `avatar_video_gif.fail`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoFailed {
    /// The video.
    pub video_id: String,
    /// The failure text, from `msg` or `message`.
    #[serde(default, alias = "msg")]
    pub message: Option<String>,
    /// The `callback_id` given at creation; `null` or absent is `None`.
    #[serde(default)]
    pub callback_id: Option<String>,
    /// Every other member, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The data of the avatar training and generation events. HeyGen does not document their
/// members beyond the failure text, so they are kept as sent in [`AvatarEvent::data`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AvatarEvent {
    /// The failure text of a failure event, from `msg` or `message`.
    #[serde(default, alias = "msg")]
    pub message: Option<String>,
    /// The `callback_id`, when sent; `null` or absent is `None`.
    #[serde(default)]
    pub callback_id: Option<String>,
    /// Every other member, as sent.
    #[serde(flatten)]
    pub data: Map<String, Value>,
}

impl AvatarEvent {
    /// A member of the data as a string (`avatar_id`, `group_id`, …), if present.
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.data.get(name).and_then(Value::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn br_20_payload_drift_and_unknown_events() {
        let failed: WebhookDelivery = serde_json::from_str(
            r#"{"event_type":"avatar_video.fail","event_data":{"video_id":"vid_0001","msg":"Render failed","callback_id":null}}"#,
        )
        .unwrap();
        assert!(failed.event.is_failure());
        assert_eq!(failed.event.failure_message(), Some("Render failed"));
        assert_eq!(failed.event.video_id(), Some("vid_0001"));
        assert_eq!(failed.event_id, None);

        let translate: WebhookDelivery = serde_json::from_str(
            r#"{"event_type":"video_translate.fail","event_data":{"video_translate_id":"vt_0001","message":"Failed","callback_id":"cb_2","output_language":"es"}}"#,
        )
        .unwrap();
        assert!(
            matches!(&translate.event, WebhookEvent::Unknown { event_type, .. } if event_type == "video_translate.fail")
        );
        assert_eq!(translate.event.failure_message(), Some("Failed"));

        let gif: WebhookDelivery = serde_json::from_str(
            r#"{"event_type":"avatar_video_gif.success","event_data":{"video_id":"vid_0001","url":"https://files.example.com/v.gif","callback_id":"cb_3"}}"#,
        )
        .unwrap();
        let WebhookEvent::VideoGifSucceeded(data) = &gif.event else {
            panic!("{gif:?}");
        };
        assert_eq!(data.callback_id.as_deref(), Some("cb_3"));
        assert_eq!(
            data.url.as_ref().map(PresignedUrl::as_str),
            Some("https://files.example.com/v.gif")
        );

        let unknown: WebhookDelivery =
            serde_json::from_str(r#"{"event_type":"brand_new.event","event_data":{"foo":1}}"#)
                .unwrap();
        assert_eq!(
            unknown.event,
            WebhookEvent::Unknown {
                event_type: "brand_new.event".to_owned(),
                raw: serde_json::json!({"foo": 1}),
            }
        );
        assert!(!unknown.event.is_failure());
    }

    #[test]
    fn a_known_event_with_the_wrong_shape_is_an_error_naming_the_type() {
        let err = serde_json::from_str::<WebhookDelivery>(
            r#"{"event_type":"avatar_video.success","event_data":{"url":"https://x.example/v.mp4"}}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("avatar_video.success"), "{err}");
    }

    #[test]
    fn a_delivery_serializes_back_to_the_wire_shape() {
        let text = r#"{"event_id":"evt_1","event_type":"avatar_video.fail","event_data":{"video_id":"vid_0001","message":"Render failed","callback_id":null,"extra":1},"created_at":1764400000}"#;
        let delivery: WebhookDelivery = serde_json::from_str(text).unwrap();
        let back: Value = serde_json::to_value(&delivery).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
        let record: WebhookEventRecord = serde_json::from_str(
            r#"{"event_id":"e","event_type":"avatar_video.success","event_data":{},"created_at":"2026-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert!(
            record.event().is_err(),
            "a success without video_id is reported, not hidden"
        );
    }

    #[test]
    fn the_secret_never_prints() {
        let secret = WebhookSecret::new("whsec_SUPERSECRET").unwrap();
        assert_eq!(format!("{secret}"), "whsec_<redacted>");
        assert!(!format!("{secret:?}").contains("SUPERSECRET"));
        let endpoint: WebhookEndpoint = serde_json::from_str(
            r#"{"endpoint_id":"ep_1","url":"https://example.com/h","status":"enabled","events":null,"secret":"whsec_SUPERSECRET","created_at":"2026-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert!(!format!("{endpoint:?}").contains("SUPERSECRET"));
        assert_eq!(endpoint.secret.unwrap().expose(), "whsec_SUPERSECRET");
        assert!(WebhookSecret::new("  ").is_err());
    }

    #[test]
    fn requests_validate_and_serialize_as_the_reference_shows() {
        let create = CreateWebhookEndpointRequest::new("https://example.com/hook")
            .events(["avatar_video.success"]);
        create.validate().unwrap();
        assert_eq!(
            serde_json::to_string(&create).unwrap(),
            r#"{"url":"https://example.com/hook","events":["avatar_video.success"]}"#
        );
        assert!(
            CreateWebhookEndpointRequest::new("ftp://x")
                .validate()
                .is_err()
        );
        assert!(
            CreateWebhookEndpointRequest::new("https://example.com/h")
                .events([" "])
                .validate()
                .is_err()
        );
        assert_eq!(
            serde_json::to_string(&UpdateWebhookEndpointRequest::new()).unwrap(),
            "{}"
        );
        assert!(ListWebhookEventsQuery::new().limit(101).validate().is_err());
        assert_eq!(
            ListWebhookEventsQuery::new()
                .event_type("avatar_video.success")
                .limit(5)
                .to_query_pairs(),
            vec![
                ("event_type", "avatar_video.success".to_owned()),
                ("limit", "5".to_owned())
            ]
        );
    }
}

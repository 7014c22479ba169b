//! Error shapes HeyGen returns: the `{"error": {…}}` envelope, the older flat
//! `{"code", "message"}` body and `{"detail": …}`, plus [`ResourceError`] on failed resources.

use core::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::macros::open_enum;

open_enum! {
    /// Well-known string error codes.
    pub enum ApiErrorCode {
        /// A parameter is missing or wrong.
        InvalidParameter = "invalid_parameter",
        /// The credentials are missing or wrong.
        Unauthorized = "unauthorized",
        /// The credentials do not allow this.
        Forbidden = "forbidden",
        /// The resource does not exist.
        NotFound = "not_found",
        /// The avatar does not exist.
        AvatarNotFound = "avatar_not_found",
        /// The video does not exist.
        VideoNotFound = "video_not_found",
        /// The resource does not exist.
        ResourceNotFound = "resource_not_found",
        /// Not enough credit.
        InsufficientCredit = "insufficient_credit",
        /// Too many requests; retry later.
        RateLimitExceeded = "rate_limit_exceeded",
        /// A quota is used up.
        QuotaExceeded = "quota_exceeded",
        /// The body is too large.
        PayloadTooLarge = "payload_too_large",
        /// The asset is not ready or not usable.
        AssetNotAvailable = "asset_not_available",
        /// The request conflicts with the resource state.
        Conflict = "conflict",
        /// A request with the same idempotency key is still running.
        RequestInProgress = "request_in_progress",
        /// Server error.
        InternalError = "internal_error",
        /// The server timed out.
        Timeout = "timeout",
    }
}

/// An error `code` in either wire form: a string or a number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub enum ErrorCode {
    /// A string code such as `not_found`.
    Text(ApiErrorCode),
    /// A numeric code such as `400112` (older services).
    Number(i64),
}

impl ErrorCode {
    /// The string code, if this is one.
    pub fn as_api_code(&self) -> Option<&ApiErrorCode> {
        match self {
            Self::Text(code) => Some(code),
            Self::Number(_) => None,
        }
    }

    /// The numeric code, if this is one.
    pub fn as_number(&self) -> Option<i64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::Text(_) => None,
        }
    }

    /// Whether the code is the given well-known code.
    pub fn is(&self, code: &ApiErrorCode) -> bool {
        self.as_api_code() == Some(code)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(code) => f.write_str(code.as_str()),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(code) => serializer.serialize_str(code.as_str()),
            Self::Number(n) => serializer.serialize_i64(*n),
        }
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl Visitor<'_> for CodeVisitor {
            type Value = ErrorCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error code string or integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ErrorCode, E> {
                Ok(ErrorCode::Text(ApiErrorCode::from_wire(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ErrorCode, E> {
                Ok(ErrorCode::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ErrorCode, E> {
                i64::try_from(v)
                    .map(ErrorCode::Number)
                    .map_err(|_| E::custom("error code out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ErrorCode, E> {
                if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
                    #[allow(clippy::cast_possible_truncation, reason = "integral and within range")]
                    Ok(ErrorCode::Number(v as i64))
                } else {
                    Err(E::custom("error code is not an integer"))
                }
            }
        }
        deserializer.deserialize_any(CodeVisitor)
    }
}

/// The error body of a failed call, from any of HeyGen's shapes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// Error code, string or numeric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    /// Message for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The request parameter at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// Link to documentation about the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    /// The raw `detail` value of a `{"detail": …}` body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Value>,
}

fn lenient_code(value: Option<&Value>) -> Option<ErrorCode> {
    match value? {
        Value::String(s) => Some(ErrorCode::Text(ApiErrorCode::from_wire(s))),
        Value::Number(n) => n.as_i64().map(ErrorCode::Number),
        _ => None,
    }
}

fn lenient_string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl ApiErrorBody {
    fn from_object(object: &serde_json::Map<String, Value>) -> Self {
        Self {
            code: lenient_code(object.get("code")),
            message: lenient_string(object.get("message").or_else(|| object.get("msg"))),
            param: lenient_string(object.get("param")),
            doc_url: lenient_string(object.get("doc_url")),
            detail: None,
        }
    }

    /// Finds an error in a decoded JSON body, whatever its shape:
    /// `{"error": {…}}` (also `{"error": "text"}`), `{"detail": …}`, or a flat
    /// `{"code": …, "message": …}` without `data`. Returns `None` when the body carries no
    /// error (for example `{"data": …, "error": null}`).
    pub fn from_json_value(body: &Value) -> Option<Self> {
        let object = body.as_object()?;
        match object.get("error") {
            Some(Value::Object(inner)) => return Some(Self::from_object(inner)),
            Some(Value::String(text)) => {
                return Some(Self {
                    message: Some(text.clone()),
                    ..Self::default()
                });
            }
            _ => {}
        }
        if let Some(detail) = object.get("detail").filter(|d| !d.is_null()) {
            let message = match detail {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            return Some(Self {
                message: Some(message),
                detail: Some(detail.clone()),
                ..Self::default()
            });
        }
        let has_data = object.get("data").is_some_and(|d| !d.is_null());
        let has_code = object
            .get("code")
            .is_some_and(|c| c.is_string() || c.is_number());
        let has_message = object.get("message").is_some_and(Value::is_string);
        if !has_data && (has_code || has_message) {
            return Some(Self::from_object(object));
        }
        None
    }

    /// Like [`from_json_value`](Self::from_json_value) on raw bytes; `None` for bytes that are
    /// not JSON.
    pub fn from_slice(body: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(body).ok()?;
        Self::from_json_value(&value)
    }
}

/// Why a resource (avatar group, look, video) failed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct ResourceError {
    /// Machine-readable code.
    #[serde(default, deserialize_with = "crate::avatar::null_as_default")]
    pub code: String,
    /// Message for people.
    #[serde(default, deserialize_with = "crate::avatar::null_as_default")]
    pub message: String,
}

impl ResourceError {
    /// An error from its parts.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }
}

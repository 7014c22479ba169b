//! The reply types every handler returns: the `HeyGen` error envelope ([`ApiError`]) and a
//! response before faults and framing ([`Reply`], [`Payload`]).
//!
//! The bottom layer of the crate: it depends on no other module of the emulator.

use bytes::Bytes;
use serde_json::{Value, json};

/// An error answered with the `HeyGen` error envelope.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) param: Option<String>,
}

impl ApiError {
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            param: None,
        }
    }

    pub(crate) fn invalid(param: &str, message: impl Into<String>) -> Self {
        Self::new(400, "invalid_parameter", message).param(param)
    }

    #[must_use]
    pub(crate) fn param(mut self, p: &str) -> Self {
        self.param = Some(p.to_owned());
        self
    }

    pub(crate) fn body(&self) -> Value {
        let mut e = json!({"code": self.code, "message": self.message});
        if let Some(p) = &self.param {
            e["param"] = Value::String(p.clone());
        }
        json!({ "error": e })
    }

    pub(crate) fn into_reply(self) -> Reply {
        Reply::json(self.status, self.body())
    }
}

/// A response body before faults and framing.
pub(crate) enum Payload {
    Json(Value),
    Raw {
        content_type: String,
        bytes: Bytes,
    },
    Stream {
        content_type: String,
        body: axum::body::Body,
        len: Option<u64>,
    },
    Empty,
}

/// A response before faults and framing.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) payload: Payload,
}

impl Reply {
    pub(crate) fn json(status: u16, v: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            payload: Payload::Json(v),
        }
    }

    pub(crate) fn raw(status: u16, content_type: &str, bytes: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            payload: Payload::Raw {
                content_type: content_type.to_owned(),
                bytes: bytes.into(),
            },
        }
    }

    pub(crate) fn html(status: u16, html: String) -> Self {
        Self::raw(status, "text/html; charset=utf-8", html)
    }

    #[must_use]
    pub(crate) fn header(mut self, k: &str, v: impl Into<String>) -> Self {
        self.headers.push((k.to_owned(), v.into()));
        self
    }
}

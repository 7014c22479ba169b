//! [`Outcome`]: the normalized, comparable result of an action, and [`Expect`]: what a scenario
//! expects of it.

use core::fmt;

use heygen_core::{Error, ErrorClass};
use serde::Serialize;
use serde_json::{Value, json};

/// A failure reduced to what both clients must agree on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorSummary {
    /// The variant (`api`, `unexpected_response`, `unexpected_redirect`, `body_too_large`,
    /// `decode`, `transport`, `invalid_request`, `invalid_config`, `job_failed`,
    /// `wait_timed_out`, `pagination_stalled`, `upload_failed`, `other`).
    pub kind: String,
    /// [`Error::class`], as its `Debug` name.
    pub class: String,
    /// [`Error::status`].
    pub status: Option<u16>,
    /// [`Error::api_code`].
    pub api_code: Option<String>,
    /// [`Error::is_retryable`].
    pub retryable: bool,
    /// [`Error::is_timeout`].
    pub timeout: bool,
    /// [`Error::retry_after`], in whole seconds.
    pub retry_after_secs: Option<u64>,
    /// [`Error::transport_kind`], as its `Debug` name.
    pub transport_kind: Option<String>,
    /// The refused redirect's `Location`, for `unexpected_redirect`.
    pub location: Option<String>,
    /// The asset id an `upload_failed` names.
    pub asset_id: Option<String>,
    /// Whether the error carries an `X-Request-Id`.
    pub has_request_id: bool,
    /// The `Display` text (for reports only; not compared by [`Expect`]).
    pub message: String,
}

impl ErrorSummary {
    /// Summarizes an SDK error.
    pub fn from_error(error: &Error) -> Self {
        let (kind, location, asset_id) = match error {
            Error::InvalidConfig(_) => ("invalid_config", None, None),
            Error::InvalidRequest(_) => ("invalid_request", None, None),
            Error::Transport(_) => ("transport", None, None),
            Error::Api(_) => ("api", None, None),
            Error::UnexpectedResponse(_) => ("unexpected_response", None, None),
            Error::UnexpectedRedirect(e) => ("unexpected_redirect", e.location.clone(), None),
            Error::BodyTooLarge(_) => ("body_too_large", None, None),
            Error::Decode(_) => ("decode", None, None),
            Error::JobFailed(_) => ("job_failed", None, None),
            Error::WaitTimedOut(_) => ("wait_timed_out", None, None),
            Error::PaginationStalled(_) => ("pagination_stalled", None, None),
            Error::UploadFailed(e) => ("upload_failed", None, Some(e.asset_id.clone())),
            _ => ("other", None, None),
        };
        Self {
            kind: kind.to_owned(),
            class: format!("{:?}", error.class()),
            status: error.status().map(|s| s.as_u16()),
            api_code: error.api_code().map(str::to_owned),
            retryable: error.is_retryable(),
            timeout: error.is_timeout(),
            retry_after_secs: error.retry_after().map(|d| d.as_secs()),
            transport_kind: error.transport_kind().map(|k| format!("{k:?}")),
            location,
            asset_id,
            has_request_id: error.request_id().is_some(),
            message: error.to_string(),
        }
    }
}

/// The normalized result of one action.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Success: a JSON summary (see [`crate::Action`] for the shape per action).
    Ok(Value),
    /// Failure.
    Err(ErrorSummary),
}

impl Outcome {
    /// The error outcome of an SDK error.
    pub fn error(error: &Error) -> Self {
        Self::Err(ErrorSummary::from_error(error))
    }

    /// The outcome of a call returning one model value (serialized as it is).
    pub fn value<T: Serialize>(result: Result<T, Error>) -> Self {
        match result {
            Ok(v) => Self::Ok(serde_json::to_value(v).unwrap_or(Value::Null)),
            Err(e) => Self::error(&e),
        }
    }

    /// The outcome of walking every page: `{"count": n, "ids": [...]}` (each item's `id`, or
    /// for webhook items its `endpoint_id` or `event_id`), or the first error.
    pub fn items<T: Serialize>(items: impl IntoIterator<Item = Result<T, Error>>) -> Self {
        let mut ids = Vec::new();
        for item in items {
            match item {
                Ok(v) => {
                    let v = serde_json::to_value(v).unwrap_or(Value::Null);
                    let id = ["id", "endpoint_id", "event_id"]
                        .iter()
                        .find_map(|key| v.get(*key))
                        .cloned();
                    ids.push(id.unwrap_or(Value::Null));
                }
                Err(e) => return Self::error(&e),
            }
        }
        Self::Ok(json!({"count": ids.len(), "ids": ids}))
    }

    /// The outcome of a wait: `{"state": "completed" | "pending_consent", "resource": …}`.
    pub fn waited<T: Serialize>(state: &str, resource: &T) -> Self {
        Self::Ok(json!({
            "state": state,
            "resource": serde_json::to_value(resource).unwrap_or(Value::Null),
        }))
    }

    /// The outcome of `create_avatar_from_file`: `{"avatar": …, "asset_id": … | null}`.
    pub fn avatar_from_file<T: Serialize>(avatar: &T, asset_id: Option<&str>) -> Self {
        Self::Ok(json!({
            "avatar": serde_json::to_value(avatar).unwrap_or(Value::Null),
            "asset_id": asset_id,
        }))
    }

    /// The success value, if any.
    pub fn ok_value(&self) -> Option<&Value> {
        match self {
            Self::Ok(v) => Some(v),
            Self::Err(_) => None,
        }
    }
}

/// What a scenario expects of an error; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorExpect {
    /// [`ErrorSummary::kind`].
    pub kind: Option<&'static str>,
    /// The class.
    pub class: Option<ErrorClass>,
    /// The status (`Some(None)`: no status).
    pub status: Option<Option<u16>>,
    /// HeyGen's code (`Some(None)`: none).
    pub api_code: Option<Option<&'static str>>,
    /// [`Error::is_retryable`].
    pub retryable: Option<bool>,
    /// [`Error::is_timeout`].
    pub timeout: Option<bool>,
    /// Retry-After in whole seconds.
    pub retry_after_secs: Option<Option<u64>>,
    /// Transport kind name (`Timeout`, `Io`, …).
    pub transport_kind: Option<&'static str>,
    /// A substring the redirect location must contain.
    pub location_contains: Option<&'static str>,
    /// Whether an asset id must be named (upload failures).
    pub names_asset: Option<bool>,
    /// Texts the `Display` message must contain (`${var}` substituted).
    pub message_contains: Vec<String>,
    /// Texts the `Display` message must not contain (`${var}` substituted).
    pub message_lacks: Vec<String>,
}

impl ErrorExpect {
    /// An expectation on the class only.
    pub fn class(class: ErrorClass) -> Self {
        Self {
            class: Some(class),
            ..Self::default()
        }
    }

    /// Sets the variant.
    #[must_use]
    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Sets the status.
    #[must_use]
    pub fn status(mut self, status: Option<u16>) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets HeyGen's code.
    #[must_use]
    pub fn code(mut self, code: Option<&'static str>) -> Self {
        self.api_code = Some(code);
        self
    }

    /// Sets the retryable flag.
    #[must_use]
    pub fn retryable(mut self, value: bool) -> Self {
        self.retryable = Some(value);
        self
    }

    /// Sets the timeout flag.
    #[must_use]
    pub fn timeout(mut self, value: bool) -> Self {
        self.timeout = Some(value);
        self
    }

    /// Sets the Retry-After in seconds.
    #[must_use]
    pub fn retry_after(mut self, secs: Option<u64>) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    /// Sets the transport kind.
    #[must_use]
    pub fn transport(mut self, kind: &'static str) -> Self {
        self.transport_kind = Some(kind);
        self
    }

    /// Requires the redirect location to contain `text`.
    #[must_use]
    pub fn location(mut self, text: &'static str) -> Self {
        self.location_contains = Some(text);
        self
    }

    /// Requires an asset id (or none).
    #[must_use]
    pub fn names_asset(mut self, value: bool) -> Self {
        self.names_asset = Some(value);
        self
    }

    /// Requires the message to contain `text` (variables such as `${dir}` allowed).
    #[must_use]
    pub fn message(mut self, text: &str) -> Self {
        self.message_contains.push(text.to_owned());
        self
    }

    /// Requires the message not to contain `text` (variables such as `${dir}` allowed).
    #[must_use]
    pub fn message_lacks(mut self, text: &str) -> Self {
        self.message_lacks.push(text.to_owned());
        self
    }

    fn check(&self, got: &ErrorSummary, problems: &mut Vec<String>) {
        let mut check = |what: &str, ok: bool, want: String, have: String| {
            if !ok {
                problems.push(format!("{what}: expected {want}, got {have}"));
            }
        };
        if let Some(kind) = self.kind {
            check("kind", got.kind == kind, kind.to_owned(), got.kind.clone());
        }
        if let Some(class) = self.class {
            let want = format!("{class:?}");
            check("class", got.class == want, want.clone(), got.class.clone());
        }
        if let Some(status) = self.status {
            check(
                "status",
                got.status == status,
                format!("{status:?}"),
                format!("{:?}", got.status),
            );
        }
        if let Some(code) = self.api_code {
            check(
                "api_code",
                got.api_code.as_deref() == code,
                format!("{code:?}"),
                format!("{:?}", got.api_code),
            );
        }
        if let Some(r) = self.retryable {
            check(
                "retryable",
                got.retryable == r,
                r.to_string(),
                got.retryable.to_string(),
            );
        }
        if let Some(t) = self.timeout {
            check(
                "timeout",
                got.timeout == t,
                t.to_string(),
                got.timeout.to_string(),
            );
        }
        if let Some(ra) = self.retry_after_secs {
            check(
                "retry_after_secs",
                got.retry_after_secs == ra,
                format!("{ra:?}"),
                format!("{:?}", got.retry_after_secs),
            );
        }
        if let Some(kind) = self.transport_kind {
            check(
                "transport_kind",
                got.transport_kind.as_deref() == Some(kind),
                kind.to_owned(),
                format!("{:?}", got.transport_kind),
            );
        }
        if let Some(text) = self.location_contains {
            check(
                "location",
                got.location.as_deref().is_some_and(|l| l.contains(text)),
                format!("containing {text:?}"),
                format!("{:?}", got.location),
            );
        }
        for text in &self.message_contains {
            check(
                "message",
                got.message.contains(text.as_str()),
                format!("containing {text:?}"),
                format!("{:?}", got.message),
            );
        }
        for text in &self.message_lacks {
            check(
                "message",
                !got.message.contains(text.as_str()),
                format!("without {text:?}"),
                format!("{:?}", got.message),
            );
        }
        if let Some(named) = self.names_asset {
            check(
                "asset_id",
                got.asset_id.is_some() == named,
                named.to_string(),
                format!("{:?}", got.asset_id),
            );
        }
    }
}

/// What a scenario expects of the action's outcome.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Expect {
    /// Success whose value contains this JSON: objects match by subset, arrays and scalars
    /// exactly, and the string `"<any>"` matches any present value.
    Ok(Value),
    /// Failure matching these fields.
    Err(ErrorExpect),
}

/// Marker that matches any present value in [`Expect::Ok`].
pub const ANY: &str = "<any>";

fn subset(path: &str, want: &Value, have: &Value, problems: &mut Vec<String>) {
    match (want, have) {
        (Value::String(s), _) if s == ANY => {
            if have.is_null() {
                problems.push(format!("{path}: expected a value, got null"));
            }
        }
        (Value::Object(w), Value::Object(h)) => {
            for (k, wv) in w {
                let p = format!("{path}/{k}");
                match h.get(k) {
                    Some(hv) => subset(&p, wv, hv, problems),
                    None => problems.push(format!("{p}: missing")),
                }
            }
        }
        (Value::Array(w), Value::Array(h)) if w.len() == h.len() => {
            for (i, (wv, hv)) in w.iter().zip(h).enumerate() {
                subset(&format!("{path}/{i}"), wv, hv, problems);
            }
        }
        _ => {
            if want != have {
                problems.push(format!("{path}: expected {want}, got {have}"));
            }
        }
    }
}

impl Expect {
    /// The mismatches between this expectation and an outcome (empty when it matches).
    pub fn problems(&self, outcome: &Outcome) -> Vec<String> {
        let mut problems = Vec::new();
        match (self, outcome) {
            (Self::Ok(want), Outcome::Ok(have)) => subset("", want, have, &mut problems),
            (Self::Err(want), Outcome::Err(have)) => want.check(have, &mut problems),
            (Self::Ok(_), Outcome::Err(e)) => {
                problems.push(format!("expected success, got error: {}", e.message));
            }
            (Self::Err(_), Outcome::Ok(v)) => {
                let mut text = v.to_string();
                text.truncate(300);
                problems.push(format!("expected an error, got success: {text}"));
            }
        }
        problems
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ok(v) => {
                let mut text = v.to_string();
                if text.len() > 200 {
                    let mut end = 200;
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.truncate(end);
                    text.push('…');
                }
                write!(f, "ok {text}")
            }
            Self::Err(e) => write!(
                f,
                "err {} class={} status={:?} code={:?} retryable={}: {}",
                e.kind, e.class, e.status, e.api_code, e.retryable, e.message
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_matching() {
        let have = Outcome::Ok(json!({"a": 1, "b": {"c": "x", "d": [1, 2]}, "e": null}));
        assert!(Expect::Ok(json!({"a": 1})).problems(&have).is_empty());
        assert!(
            Expect::Ok(json!({"b": {"c": ANY}}))
                .problems(&have)
                .is_empty()
        );
        assert_eq!(Expect::Ok(json!({"e": ANY})).problems(&have).len(), 1);
        assert_eq!(
            Expect::Ok(json!({"b": {"d": [1]}})).problems(&have).len(),
            1
        );
        assert_eq!(Expect::Ok(json!({"z": 1})).problems(&have).len(), 1);
        let e = Expect::Err(ErrorExpect::class(ErrorClass::NotFound));
        assert_eq!(e.problems(&have).len(), 1);
    }
}

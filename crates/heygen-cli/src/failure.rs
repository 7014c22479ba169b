//! The failure side of the output contract: exit codes, `cli_*` codes and the JSON error
//! envelope written to stderr.

use std::collections::BTreeMap;

use heygen_core::{Error, ErrorClass, TransportErrorKind};
use serde::Serialize;

/// Exit status: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit status: the API or the network failed.
pub(crate) const EXIT_API: u8 = 1;
/// Exit status: usage error or client-side validation; nothing was sent.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit status: authentication (401/403, or no API key configured).
pub(crate) const EXIT_AUTH: u8 = 3;
/// Exit status: a request timeout or a wait deadline.
pub(crate) const EXIT_TIMEOUT: u8 = 4;

/// Why the command failed, ready to print.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    /// The process exit status.
    pub(crate) exit: u8,
    /// HeyGen's code, or a stable `cli_*` code.
    pub(crate) code: String,
    /// Lower-case, one-line description.
    pub(crate) message: String,
    /// HTTP status, when a response was received.
    pub(crate) status: Option<u16>,
    /// The parameter at fault.
    pub(crate) param: Option<String>,
    /// HeyGen's documentation link.
    pub(crate) doc_url: Option<String>,
    /// `X-Request-Id` of the response.
    pub(crate) request_id: Option<String>,
    /// The delay the API asked for (`Retry-After`), in seconds.
    pub(crate) retry_after_seconds: Option<f64>,
    /// Ids of resources created before the failure (`video_id`, `group_id`, `asset_id`), so a
    /// script can resume instead of creating again.
    pub(crate) ids: BTreeMap<&'static str, String>,
}

/// The JSON written to stderr: `{"error": {…}}`.
#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    param: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after_seconds: Option<f64>,
    #[serde(flatten)]
    ids: &'a BTreeMap<&'static str, String>,
}

impl Failure {
    /// A failure with a CLI code and no HTTP details.
    pub(crate) fn new(exit: u8, code: &str, message: impl Into<String>) -> Self {
        Self {
            exit,
            code: code.to_owned(),
            message: one_line(&message.into()),
            status: None,
            param: None,
            doc_url: None,
            request_id: None,
            retry_after_seconds: None,
            ids: BTreeMap::new(),
        }
    }

    /// A usage error (exit 2, `cli_usage_error`).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(EXIT_USAGE, "cli_usage_error", message)
    }

    /// A client-side validation error (exit 2, `cli_validation_error`); nothing was sent.
    pub(crate) fn validation(param: Option<&str>, message: impl Into<String>) -> Self {
        let mut failure = Self::new(EXIT_USAGE, "cli_validation_error", message);
        failure.param = param.map(str::to_owned);
        failure
    }

    /// No credential is configured (exit 3); nothing was sent.
    pub(crate) fn missing_api_key() -> Self {
        Self::new(
            EXIT_AUTH,
            "cli_missing_api_key",
            "no api key: pass --api-key, set HEYGEN_API_KEY or HEYGEN_ACCESS_TOKEN, or run `heygen auth login`",
        )
    }

    /// Adds the id of a resource the failure concerns.
    #[must_use]
    pub(crate) fn with_id(mut self, key: &'static str, id: impl Into<String>) -> Self {
        self.ids.insert(key, id.into());
        self
    }

    /// The envelope as one JSON line (without the newline).
    pub(crate) fn to_json_line(&self) -> String {
        let envelope = Envelope {
            error: Body {
                code: &self.code,
                message: &self.message,
                status: self.status,
                param: self.param.as_deref(),
                doc_url: self.doc_url.as_deref(),
                request_id: self.request_id.as_deref(),
                retry_after_seconds: self.retry_after_seconds,
                ids: &self.ids,
            },
        };
        serde_json::to_string(&envelope).unwrap_or_else(|_| {
            String::from(
                r#"{"error":{"code":"cli_internal_error","message":"could not encode the error"}}"#,
            )
        })
    }
}

/// Collapses whitespace runs that contain a line break so the message stays on one line.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(line);
    }
    out
}

/// The id key used in the envelope for a resource kind named by the SDK.
pub(crate) fn id_key(resource: &str) -> &'static str {
    match resource {
        "video" => "video_id",
        "look" => "look_id",
        "asset" => "asset_id",
        "voice" => "voice_id",
        // `WaitBatch` names its resource after the kind of batch; it is still a batch id.
        "video batch" | "asset batch" | "batch" => "batch_id",
        _ => "group_id",
    }
}

/// The `cli_*` code for an API error that carried no HeyGen code.
fn class_code(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::Validation => "cli_invalid_request",
        ErrorClass::Unauthorized => "cli_unauthorized",
        ErrorClass::Forbidden => "cli_forbidden",
        ErrorClass::NotFound => "cli_not_found",
        ErrorClass::InsufficientCredit => "cli_insufficient_credit",
        ErrorClass::RateLimited => "cli_rate_limited",
        ErrorClass::QuotaExceeded => "cli_quota_exceeded",
        ErrorClass::RequestInProgress => "cli_request_in_progress",
        ErrorClass::Conflict => "cli_conflict",
        ErrorClass::PayloadTooLarge => "cli_payload_too_large",
        ErrorClass::Server => "cli_server_error",
        ErrorClass::Redirect => "cli_unexpected_redirect",
        ErrorClass::Timeout => "cli_timeout",
        _ => "cli_api_error",
    }
}

/// The exit status for an error that reached the API (or tried to).
fn exit_for(error: &Error) -> u8 {
    match error {
        Error::InvalidConfig(_) | Error::InvalidRequest(_) => EXIT_USAGE,
        Error::WaitTimedOut(_) => EXIT_TIMEOUT,
        Error::Transport(e) if e.kind.is_timeout() => EXIT_TIMEOUT,
        Error::UploadFailed(e) => exit_for(&e.source),
        _ => match error.class() {
            ErrorClass::Unauthorized | ErrorClass::Forbidden => EXIT_AUTH,
            _ => EXIT_API,
        },
    }
}

/// The code for an SDK error: HeyGen's when there is one, a `cli_*` code otherwise.
fn code_for(error: &Error) -> String {
    let code = match error {
        Error::InvalidConfig(_) => "cli_invalid_config",
        Error::InvalidRequest(_) => "cli_validation_error",
        Error::Transport(e) if e.kind.is_timeout() => "cli_timeout",
        Error::Transport(e) if e.kind == TransportErrorKind::Redirect => "cli_unexpected_redirect",
        Error::Transport(_) => "cli_network_error",
        Error::Api(e) => {
            return e
                .code
                .clone()
                .unwrap_or_else(|| class_code(error.class()).to_owned());
        }
        // A non-JSON body with an error status (an HTML 404 or 502 from a gateway) is still
        // that status's class, as the SDK classifies it; any other non-JSON body is unexpected.
        Error::UnexpectedResponse(e) if e.status.as_u16() >= 400 => {
            match class_code(error.class()) {
                "cli_api_error" => "cli_unexpected_response",
                code => code,
            }
        }
        Error::UnexpectedResponse(_) => "cli_unexpected_response",
        Error::UnexpectedRedirect(_) => "cli_unexpected_redirect",
        Error::BodyTooLarge(_) => "cli_response_too_large",
        Error::Decode(_) => "cli_decode_error",
        Error::JobFailed(e) => {
            return e
                .code
                .clone()
                .unwrap_or_else(|| "cli_job_failed".to_owned());
        }
        Error::WaitTimedOut(_) => "cli_timeout",
        Error::PaginationStalled(_) => "cli_pagination_stalled",
        Error::UploadFailed(e) => return code_for(&e.source),
        Error::LoginRequired(_) => "cli_login_required",
        _ => "cli_error",
    };
    code.to_owned()
}

impl From<&Error> for Failure {
    fn from(error: &Error) -> Self {
        let mut failure = Failure::new(exit_for(error), &code_for(error), error.to_string());
        failure.status = error.status().map(|s| s.as_u16());
        failure.request_id = error.request_id().map(str::to_owned);
        failure.retry_after_seconds = error.retry_after().map(|d| d.as_secs_f64());
        match error {
            Error::Api(e) => {
                failure.param.clone_from(&e.param);
                failure.doc_url.clone_from(&e.doc_url);
            }
            Error::InvalidRequest(e) => failure.param.clone_from(&e.field),
            Error::JobFailed(e) => {
                failure = failure.with_id(id_key(e.resource), e.id.clone());
            }
            Error::WaitTimedOut(e) => {
                failure = failure.with_id(id_key(e.resource), e.id.clone());
            }
            Error::UploadFailed(e) => {
                failure = failure.with_id("asset_id", e.asset_id.clone());
                if let Error::Api(api) = &e.source {
                    failure.param.clone_from(&api.param);
                    failure.doc_url.clone_from(&api.doc_url);
                }
            }
            _ => {}
        }
        failure
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::from(&error)
    }
}

impl From<heygen_model::ValidationError> for Failure {
    fn from(error: heygen_model::ValidationError) -> Self {
        Failure::validation(Some(&error.field), error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_is_one_line_with_optional_fields_omitted() {
        let failure =
            Failure::usage("unexpected argument\n\nUsage: heygen").with_id("video_id", "vid_1");
        let line = failure.to_json_line();
        assert!(!line.contains('\n'));
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["error"]["code"], "cli_usage_error");
        assert_eq!(
            value["error"]["message"],
            "unexpected argument; Usage: heygen"
        );
        assert_eq!(value["error"]["video_id"], "vid_1");
        assert!(value["error"].get("status").is_none());
    }

    #[test]
    fn a_batch_is_named_by_batch_id_never_group_id() {
        assert_eq!(id_key("video batch"), "batch_id");
        assert_eq!(id_key("asset batch"), "batch_id");
        assert_eq!(id_key("avatar group"), "group_id");
    }

    #[test]
    fn validation_errors_exit_2() {
        let error = Error::invalid_request(Some("limit"), "out of range");
        let failure = Failure::from(&error);
        assert_eq!(failure.exit, EXIT_USAGE);
        assert_eq!(failure.code, "cli_validation_error");
        assert_eq!(failure.param.as_deref(), Some("limit"));
    }

    #[test]
    fn transport_timeouts_exit_4_and_other_transport_errors_exit_1() {
        let timeout = Failure::from(Error::transport(TransportErrorKind::Timeout, None));
        assert_eq!(
            (timeout.exit, timeout.code.as_str()),
            (EXIT_TIMEOUT, "cli_timeout")
        );
        let connect = Failure::from(Error::transport(TransportErrorKind::Connect, None));
        assert_eq!(
            (connect.exit, connect.code.as_str()),
            (EXIT_API, "cli_network_error")
        );
    }
}

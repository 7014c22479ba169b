//! The one error type of the SDK, shared by both transports.
//!
//! Every variant boxes its details so that `Result<T, Error>` stays two words wide. Messages are
//! lower-case, have no trailing period and never contain headers, credentials or presigned URL
//! signatures.

use core::fmt;
use core::time::Duration;
use std::error::Error as StdError;

use http::{Method, StatusCode};

/// A boxed error source from a transport or another library.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Every way a call can fail.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is invalid; nothing was sent.
    InvalidConfig(Box<InvalidConfig>),
    /// The request failed validation; nothing was sent.
    InvalidRequest(Box<InvalidRequest>),
    /// No response was received (connect, TLS, timeout, I/O, connection closed).
    Transport(Box<TransportFailure>),
    /// HeyGen answered with an error: a JSON error body, a `200` carrying an `error` object, or a
    /// JSON-less error status the status alone explains.
    Api(Box<ApiError>),
    /// The body was not the JSON the API speaks (an HTML page from a proxy, for example).
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// The server answered with a redirect; API calls never follow one.
    UnexpectedRedirect(Box<UnexpectedRedirect>),
    /// The response body was larger than the configured limit.
    BodyTooLarge(Box<BodyTooLarge>),
    /// A successful response did not have the expected shape.
    Decode(Box<DecodeError>),
    /// A job (avatar training, video rendering) ended in `failed`.
    JobFailed(Box<JobFailed>),
    /// A wait reached its deadline before the resource reached a final state.
    WaitTimedOut(Box<WaitTimedOut>),
    /// A list endpoint returned a cursor it had returned before, or the page cap was reached.
    PaginationStalled(Box<PaginationStalled>),
    /// Uploading the bytes of an asset failed after the asset was created.
    UploadFailed(Box<UploadFailed>),
    /// The OAuth refresh token is dead (the token endpoint answered 400 or 401), or an access
    /// token was refused with none to refresh it: log in again.
    LoginRequired(Box<LoginRequired>),
    /// Downloading a rendered video failed, or the video cannot be downloaded (not completed).
    DownloadFailed(Box<DownloadFailed>),
}

/// Details of [`Error::InvalidConfig`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidConfig {
    /// What is wrong.
    pub message: String,
}

/// Details of [`Error::InvalidRequest`].
#[derive(Debug)]
#[non_exhaustive]
pub struct InvalidRequest {
    /// The operation's method, when known.
    pub method: Option<Method>,
    /// The operation's path template, when known.
    pub path: Option<&'static str>,
    /// The offending field, when one is to blame.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The validation error from the model, when there is one.
    pub source: Option<BoxError>,
}

/// What kind of transport failure happened; transports map their own errors onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Name resolution or TCP connect failed; nothing was sent.
    Connect,
    /// The connect timeout expired; nothing was sent.
    ConnectTimeout,
    /// The TLS handshake failed.
    Tls,
    /// The request timeout expired after the request may have been sent.
    Timeout,
    /// The connection was reset while sending or receiving.
    ConnectionReset,
    /// The connection closed before any response byte arrived (for example a stale pooled
    /// connection).
    ClosedBeforeResponse,
    /// The response body ended early or could not be read.
    Io,
    /// The transport refused or failed a redirect.
    Redirect,
    /// The request body could not be read (for example a streamed file failed).
    Body,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    /// A short lower-case description.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connect => "connect failed",
            Self::ConnectTimeout => "connect timed out",
            Self::Tls => "tls handshake failed",
            Self::Timeout => "request timed out",
            Self::ConnectionReset => "connection reset",
            Self::ClosedBeforeResponse => "connection closed before any response",
            Self::Io => "i/o error",
            Self::Redirect => "redirect failed",
            Self::Body => "request body failed",
            Self::Other => "transport error",
        }
    }

    /// Whether nothing reached the server, so a retry is always safe.
    pub fn nothing_sent(self) -> bool {
        matches!(self, Self::Connect | Self::ConnectTimeout)
    }

    /// Whether this is a timeout.
    pub fn is_timeout(self) -> bool {
        matches!(self, Self::ConnectTimeout | Self::Timeout)
    }
}

/// Details of [`Error::Transport`].
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportFailure {
    /// What happened.
    pub kind: TransportErrorKind,
    /// The operation's method, when known.
    pub method: Option<Method>,
    /// The operation's path template, when known.
    pub path: Option<&'static str>,
    /// The transport's own error; it never contains credentials.
    pub source: Option<BoxError>,
}

/// Details of [`Error::Api`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The request method.
    pub method: Method,
    /// The path template (`/v3/videos/{video_id}`), never the filled-in path.
    pub path: &'static str,
    /// The HTTP status (a `200` when the body carried an `error` object).
    pub status: StatusCode,
    /// HeyGen's error code (`not_found`, `rate_limit_exceeded`, `400112`, …), when given.
    pub code: Option<String>,
    /// HeyGen's message, when given.
    pub message: Option<String>,
    /// The parameter at fault, when given.
    pub param: Option<String>,
    /// A documentation link, when given.
    pub doc_url: Option<String>,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
    /// The server's `Retry-After`, resolved to a delay (an HTTP date is taken relative to the
    /// response's `Date` header; a past date gives zero).
    pub retry_after: Option<Duration>,
}

/// Details of [`Error::UnexpectedResponse`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// The request method.
    pub method: Method,
    /// The path template.
    pub path: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The `Content-Type` header, when present and readable.
    pub content_type: Option<String>,
    /// At most 512 bytes of the (decoded) body, lossily converted to text, with presigned URL
    /// signatures redacted.
    pub snippet: String,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
    /// The server's `Retry-After`, resolved to a delay.
    pub retry_after: Option<Duration>,
}

/// Details of [`Error::UnexpectedRedirect`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnexpectedRedirect {
    /// The request method.
    pub method: Method,
    /// The path template.
    pub path: &'static str,
    /// The 3xx status.
    pub status: StatusCode,
    /// The `Location` header with query secrets redacted, when present.
    pub location: Option<String>,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
}

/// Details of [`Error::BodyTooLarge`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BodyTooLarge {
    /// The request method, when known.
    pub method: Option<Method>,
    /// The path template, when known.
    pub path: Option<&'static str>,
    /// The HTTP status, when a response head was received.
    pub status: Option<StatusCode>,
    /// The limit, in bytes.
    pub limit: usize,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
}

/// Details of [`Error::Decode`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The request method.
    pub method: Method,
    /// The path template.
    pub path: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// Where in the JSON document decoding failed (`data.avatar_group.created_at`); `.` for the
    /// root.
    pub json_path: String,
    /// What serde reported.
    pub message: String,
    /// At most 512 bytes of the body, redacted like [`UnexpectedResponse::snippet`].
    pub snippet: String,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
}

/// Details of [`Error::JobFailed`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobFailed {
    /// The resource kind (`avatar group`, `look`, `video`).
    pub resource: &'static str,
    /// The resource id.
    pub id: String,
    /// HeyGen's failure code, when given.
    pub code: Option<String>,
    /// HeyGen's failure message, when given.
    pub message: Option<String>,
}

/// Details of [`Error::WaitTimedOut`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitTimedOut {
    /// The resource kind.
    pub resource: &'static str,
    /// The resource id.
    pub id: String,
    /// The last raw status seen, when any check succeeded with a status.
    pub last_status: Option<String>,
    /// What the last check's failure said (a 503, a timeout, …), when the last check failed;
    /// at most 160 characters.
    pub last_error: Option<String>,
    /// Status checks made (successful or not).
    pub checks: u32,
    /// How long the wait lasted.
    pub elapsed: Duration,
}

/// Why pagination stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StallReason {
    /// The server returned a cursor it had already returned.
    RepeatedToken,
    /// `has_more` was true but no cursor came back.
    MissingToken,
    /// The hard page cap was reached.
    PageCap,
    /// Several pages in a row held no items yet still reported `has_more` (see
    /// [`crate::paginate::MAX_EMPTY_PAGES`]).
    EmptyPages,
}

/// Details of [`Error::PaginationStalled`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaginationStalled {
    /// The path template of the list endpoint.
    pub path: &'static str,
    /// Why.
    pub reason: StallReason,
    /// Pages received so far.
    pub pages: u32,
}

/// Details of [`Error::UploadFailed`].
#[derive(Debug)]
#[non_exhaustive]
pub struct UploadFailed {
    /// The asset that was created and is not complete; resume or clean up with it.
    pub asset_id: String,
    /// What failed.
    pub source: Error,
}

/// Details of [`Error::DownloadFailed`].
#[derive(Debug)]
#[non_exhaustive]
pub struct DownloadFailed {
    /// The video.
    pub video_id: String,
    /// What went wrong.
    pub reason: DownloadFailure,
}

/// Why a download failed. No variant carries a presigned URL's query (its signature).
#[derive(Debug)]
#[non_exhaustive]
pub enum DownloadFailure {
    /// The video is not `completed` (yet, or at all): nothing was requested from the file
    /// origin. The raw status as read, `None` when the server sent none.
    NotCompleted {
        /// The status, as HeyGen wrote it.
        status: Option<String>,
    },
    /// The completed video has no download URL (`video_url`, or `captioned_video_url` when
    /// `captioned`).
    NoUrl {
        /// Whether the captioned file was asked for.
        captioned: bool,
    },
    /// The file origin answered with this status (a second `403` after one refresh, a `404`,
    /// a `5xx`, …).
    Refused {
        /// The status.
        status: StatusCode,
        /// The link, whose `Display` and `Debug` hide its query.
        url: heygen_model::secret::PresignedUrl,
    },
    /// The file origin answered a 2xx whose `Content-Type` names a document, not media
    /// (`text/html`, `application/xml`, `application/problem+json`, …): a storage or proxy
    /// error page. Refused at the head: nothing was written to the sink.
    NotMedia {
        /// The status.
        status: StatusCode,
        /// The `Content-Type` as sent (at most 128 characters).
        content_type: String,
    },
    /// The body was not as long as its `Content-Length`: `received` bytes (at least, when
    /// longer) of the announced `expected`.
    WrongLength {
        /// Bytes announced, from `Content-Length`.
        expected: u64,
        /// Bytes received.
        received: u64,
    },
    /// The connection failed after `received` bytes of the body (or before the response head,
    /// with `received` 0).
    Interrupted {
        /// Bytes received before the failure.
        received: u64,
        /// What failed.
        kind: TransportErrorKind,
    },
    /// The server answered the read of the video with another video's id: nothing was
    /// requested from the file origin.
    OtherVideo {
        /// The id the server sent.
        id: String,
    },
    /// The link the server gave is not `https` (nor `http` to a loopback host), or is not a
    /// URL at all: nothing was requested from the file origin.
    UnsafeUrl {
        /// Whether it was the captioned file's link.
        captioned: bool,
    },
    /// Writing the bytes to the caller's sink (the file) failed after `received` bytes.
    Write {
        /// Bytes received before the failure.
        received: u64,
        /// The I/O error's text.
        message: String,
    },
}

/// Details of [`Error::LoginRequired`]. Never holds a token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoginRequired {
    /// The status of the answer that showed it (the token endpoint's 400 or 401, or the API's
    /// 401), when there was one.
    pub status: Option<StatusCode>,
    /// The OAuth error code (`invalid_grant`, …), when given.
    pub code: Option<String>,
    /// The server's explanation, when given.
    pub message: Option<String>,
    /// The `X-Request-Id` of that answer.
    pub request_id: Option<String>,
}

/// Classes a caller can branch on, derived from the status and HeyGen's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// Invalid configuration or request (client side), or a 400/422 from the server.
    Validation,
    /// 401: missing, wrong or expired credentials.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 402 or `insufficient_credit`.
    InsufficientCredit,
    /// 429 or `rate_limit_exceeded`.
    RateLimited,
    /// `quota_exceeded`: not worth retrying.
    QuotaExceeded,
    /// 409 `request_in_progress`: the same idempotency key is still being processed.
    RequestInProgress,
    /// Any other 409.
    Conflict,
    /// 413 or `payload_too_large`.
    PayloadTooLarge,
    /// 5xx.
    Server,
    /// A redirect was refused.
    Redirect,
    /// No response (connect, TLS, I/O).
    Transport,
    /// A timeout, from the transport or a wait.
    Timeout,
    /// The response could not be understood (decode, unexpected body, too large).
    Protocol,
    /// A job failed.
    JobFailed,
    /// Pagination stalled.
    Pagination,
    /// Something else.
    Other,
}

impl ErrorClass {
    /// The class as snake-case text (`rate_limited`), for logs and traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::InsufficientCredit => "insufficient_credit",
            Self::RateLimited => "rate_limited",
            Self::QuotaExceeded => "quota_exceeded",
            Self::RequestInProgress => "request_in_progress",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Server => "server",
            Self::Redirect => "redirect",
            Self::Transport => "transport",
            Self::Timeout => "timeout",
            Self::Protocol => "protocol",
            Self::JobFailed => "job_failed",
            Self::Pagination => "pagination",
            Self::Other => "other",
        }
    }
}

/// The class for a status and an optional HeyGen code.
pub(crate) fn class_for(status: StatusCode, code: Option<&str>) -> ErrorClass {
    if let Some(code) = code {
        match code {
            "unauthorized" => return ErrorClass::Unauthorized,
            "forbidden" => return ErrorClass::Forbidden,
            "not_found" | "avatar_not_found" | "video_not_found" | "resource_not_found" => {
                return ErrorClass::NotFound;
            }
            "insufficient_credit" => return ErrorClass::InsufficientCredit,
            "rate_limit_exceeded" => return ErrorClass::RateLimited,
            "quota_exceeded" => return ErrorClass::QuotaExceeded,
            "payload_too_large" => return ErrorClass::PayloadTooLarge,
            "request_in_progress" => return ErrorClass::RequestInProgress,
            "conflict" => return ErrorClass::Conflict,
            "invalid_parameter" => return ErrorClass::Validation,
            _ => {}
        }
    }
    match status.as_u16() {
        400 | 422 => ErrorClass::Validation,
        401 => ErrorClass::Unauthorized,
        402 => ErrorClass::InsufficientCredit,
        403 => ErrorClass::Forbidden,
        404 | 410 => ErrorClass::NotFound,
        409 => ErrorClass::Conflict,
        413 => ErrorClass::PayloadTooLarge,
        429 => ErrorClass::RateLimited,
        408 | 504 => ErrorClass::Timeout,
        500..=599 => ErrorClass::Server,
        300..=399 => ErrorClass::Redirect,
        _ => ErrorClass::Other,
    }
}

impl Error {
    /// An invalid configuration.
    pub fn invalid_config(message: impl Into<String>) -> Self {
        Self::InvalidConfig(Box::new(InvalidConfig {
            message: message.into(),
        }))
    }

    /// An invalid request, blamed on `field` when given.
    pub fn invalid_request(field: Option<&str>, message: impl Into<String>) -> Self {
        Self::InvalidRequest(Box::new(InvalidRequest {
            method: None,
            path: None,
            field: field.map(str::to_owned),
            message: message.into(),
            source: None,
        }))
    }

    /// A transport failure. Clients report [`crate::Event::Failed`] and let [`crate::Call`] call
    /// this; the source must not contain credentials.
    pub fn transport(kind: TransportErrorKind, source: Option<BoxError>) -> Self {
        Self::Transport(Box::new(TransportFailure {
            kind,
            method: None,
            path: None,
            source,
        }))
    }

    /// A body over `limit` bytes.
    pub fn body_too_large(status: Option<StatusCode>, limit: usize) -> Self {
        Self::BodyTooLarge(Box::new(BodyTooLarge {
            method: None,
            path: None,
            status,
            limit,
            request_id: None,
        }))
    }

    /// An upload of asset `asset_id` failed with `source`.
    pub fn upload_failed(asset_id: impl Into<String>, source: Error) -> Self {
        Self::UploadFailed(Box::new(UploadFailed {
            asset_id: asset_id.into(),
            source,
        }))
    }

    /// Fills in the method and path template where the variant has room for them and they are
    /// not set yet.
    #[must_use]
    pub fn with_operation(mut self, method: &Method, path: &'static str) -> Self {
        match &mut self {
            Self::InvalidRequest(e) => {
                e.method.get_or_insert_with(|| method.clone());
                e.path.get_or_insert(path);
            }
            Self::Transport(e) => {
                e.method.get_or_insert_with(|| method.clone());
                e.path.get_or_insert(path);
            }
            Self::BodyTooLarge(e) => {
                e.method.get_or_insert_with(|| method.clone());
                e.path.get_or_insert(path);
            }
            _ => {}
        }
        self
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::UnexpectedResponse(e) => Some(e.status),
            Self::UnexpectedRedirect(e) => Some(e.status),
            Self::BodyTooLarge(e) => e.status,
            Self::Decode(e) => Some(e.status),
            Self::UploadFailed(e) => e.source.status(),
            Self::LoginRequired(e) => e.status,
            Self::DownloadFailed(e) => match &e.reason {
                DownloadFailure::Refused { status, .. }
                | DownloadFailure::NotMedia { status, .. } => Some(*status),
                _ => None,
            },
            _ => None,
        }
    }

    /// HeyGen's error code, when the server sent one (or the job failure code).
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.code.as_deref(),
            Self::JobFailed(e) => e.code.as_deref(),
            Self::UploadFailed(e) => e.source.api_code(),
            Self::LoginRequired(e) => e.code.as_deref(),
            _ => None,
        }
    }

    /// The `X-Request-Id` of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.request_id.as_deref(),
            Self::UnexpectedResponse(e) => e.request_id.as_deref(),
            Self::UnexpectedRedirect(e) => e.request_id.as_deref(),
            Self::BodyTooLarge(e) => e.request_id.as_deref(),
            Self::Decode(e) => e.request_id.as_deref(),
            Self::UploadFailed(e) => e.source.request_id(),
            Self::LoginRequired(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The server's `Retry-After` as a delay, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(e) => e.retry_after,
            Self::UnexpectedResponse(e) => e.retry_after,
            _ => None,
        }
    }

    /// The transport failure kind, for [`Error::Transport`].
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            Self::Transport(e) => Some(e.kind),
            _ => None,
        }
    }

    /// The class a caller can branch on.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::InvalidConfig(_) | Self::InvalidRequest(_) => ErrorClass::Validation,
            Self::Transport(e) if e.kind.is_timeout() => ErrorClass::Timeout,
            Self::Transport(e) if e.kind == TransportErrorKind::Redirect => ErrorClass::Redirect,
            Self::Transport(_) => ErrorClass::Transport,
            Self::Api(e) => class_for(e.status, e.code.as_deref()),
            Self::UnexpectedResponse(e) => match class_for(e.status, None) {
                ErrorClass::Other => ErrorClass::Protocol,
                class => class,
            },
            Self::UnexpectedRedirect(_) => ErrorClass::Redirect,
            Self::BodyTooLarge(_) | Self::Decode(_) => ErrorClass::Protocol,
            Self::JobFailed(_) => ErrorClass::JobFailed,
            Self::WaitTimedOut(_) => ErrorClass::Timeout,
            Self::PaginationStalled(_) => ErrorClass::Pagination,
            Self::UploadFailed(e) => e.source.class(),
            Self::LoginRequired(_) => ErrorClass::Unauthorized,
            // A refusal of the file origin is not about the API credentials: not `Forbidden`.
            Self::DownloadFailed(e) => match &e.reason {
                DownloadFailure::Interrupted { kind, .. } if kind.is_timeout() => {
                    ErrorClass::Timeout
                }
                DownloadFailure::Interrupted { .. } => ErrorClass::Transport,
                DownloadFailure::WrongLength { .. }
                | DownloadFailure::NotMedia { .. }
                | DownloadFailure::OtherVideo { .. }
                | DownloadFailure::UnsafeUrl { .. } => ErrorClass::Protocol,
                _ => ErrorClass::Other,
            },
        }
    }

    /// Whether the failure is transient: rate limits, `request_in_progress`, 5xx and transport
    /// failures other than TLS and redirects.
    ///
    /// This is a hint for callers; whether the SDK itself retries also depends on the request's
    /// idempotency (see [`crate::retry::decide`]).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(e) => !matches!(
                e.kind,
                TransportErrorKind::Tls | TransportErrorKind::Redirect | TransportErrorKind::Body
            ),
            Self::Api(_) | Self::UnexpectedResponse(_) => matches!(
                self.class(),
                ErrorClass::RateLimited
                    | ErrorClass::RequestInProgress
                    | ErrorClass::Server
                    | ErrorClass::Timeout
            ),
            Self::UploadFailed(e) => e.source.is_retryable(),
            _ => false,
        }
    }

    /// Whether this is a timeout: a transport timeout, a 408/504, or a wait deadline.
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Transport(e) => e.kind.is_timeout(),
            Self::WaitTimedOut(_) => true,
            Self::Api(_) | Self::UnexpectedResponse(_) => {
                matches!(self.status().map(|s| s.as_u16()), Some(408 | 504))
            }
            Self::UploadFailed(e) => e.source.is_timeout(),
            Self::DownloadFailed(e) => matches!(
                e.reason,
                DownloadFailure::Interrupted { kind, .. } if kind.is_timeout()
            ),
            _ => false,
        }
    }
}

/// A transport's error whose text held a secret, kept as its scrubbed text.
#[derive(Debug)]
struct Scrubbed(String);

impl fmt::Display for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Scrubbed {}

/// Replaces every `form` in `text` with `<redacted>`.
fn scrub_text(text: &mut String, forms: &[String]) {
    for form in forms {
        if text.contains(form.as_str()) {
            *text = text.replace(form.as_str(), "<redacted>");
        }
    }
}

fn scrub_opt(text: &mut Option<String>, forms: &[String]) {
    if let Some(text) = text {
        scrub_text(text, forms);
    }
}

fn scrub_source(source: &mut Option<BoxError>, forms: &[String]) {
    if let Some(inner) = source {
        let text = inner.to_string();
        if forms.iter().any(|form| text.contains(form.as_str())) {
            let mut text = text;
            scrub_text(&mut text, forms);
            *source = Some(Box::new(Scrubbed(text)));
        }
    }
}

impl Error {
    /// The same error with every one of `forms` (the texts of a credential) replaced by
    /// `<redacted>` in every text it carries: messages, snippets, parameters, locations, and a
    /// transport's source (then kept as its scrubbed text only). A server that echoes the API key
    /// in an error message can thus never put it in `Display` or `Debug`.
    #[must_use]
    pub(crate) fn scrub(mut self, forms: &[String]) -> Self {
        if forms.is_empty() {
            return self;
        }
        if let Self::UploadFailed(mut e) = self {
            scrub_text(&mut e.asset_id, forms);
            e.source = e.source.scrub(forms);
            return Self::UploadFailed(e);
        }
        match &mut self {
            Self::InvalidConfig(e) => scrub_text(&mut e.message, forms),
            Self::InvalidRequest(e) => {
                scrub_text(&mut e.message, forms);
                scrub_opt(&mut e.field, forms);
                scrub_source(&mut e.source, forms);
            }
            Self::Transport(e) => scrub_source(&mut e.source, forms),
            Self::Api(e) => {
                scrub_opt(&mut e.code, forms);
                scrub_opt(&mut e.message, forms);
                scrub_opt(&mut e.param, forms);
                scrub_opt(&mut e.doc_url, forms);
                scrub_opt(&mut e.request_id, forms);
            }
            Self::UnexpectedResponse(e) => {
                scrub_text(&mut e.snippet, forms);
                scrub_opt(&mut e.content_type, forms);
                scrub_opt(&mut e.request_id, forms);
            }
            Self::UnexpectedRedirect(e) => {
                scrub_opt(&mut e.location, forms);
                scrub_opt(&mut e.request_id, forms);
            }
            Self::BodyTooLarge(e) => scrub_opt(&mut e.request_id, forms),
            Self::Decode(e) => {
                scrub_text(&mut e.json_path, forms);
                scrub_text(&mut e.message, forms);
                scrub_text(&mut e.snippet, forms);
                scrub_opt(&mut e.request_id, forms);
            }
            Self::JobFailed(e) => {
                scrub_text(&mut e.id, forms);
                scrub_opt(&mut e.code, forms);
                scrub_opt(&mut e.message, forms);
            }
            Self::WaitTimedOut(e) => {
                scrub_text(&mut e.id, forms);
                scrub_opt(&mut e.last_status, forms);
                scrub_opt(&mut e.last_error, forms);
            }
            Self::DownloadFailed(e) => {
                scrub_text(&mut e.video_id, forms);
                if let DownloadFailure::Write { message, .. }
                | DownloadFailure::OtherVideo { id: message }
                | DownloadFailure::NotMedia {
                    content_type: message,
                    ..
                } = &mut e.reason
                {
                    scrub_text(message, forms);
                }
            }
            Self::LoginRequired(e) => {
                scrub_opt(&mut e.code, forms);
                scrub_opt(&mut e.message, forms);
                scrub_opt(&mut e.request_id, forms);
            }
            // Nothing to scrub; an upload failure was handled above.
            Self::PaginationStalled(_) | Self::UploadFailed(_) => {}
        }
        self
    }
}

fn write_op(
    f: &mut fmt::Formatter<'_>,
    method: Option<&Method>,
    path: Option<&str>,
) -> fmt::Result {
    match (method, path) {
        (Some(m), Some(p)) => write!(f, " ({m} {p})"),
        (None, Some(p)) => write!(f, " ({p})"),
        _ => Ok(()),
    }
}

impl From<heygen_model::MissingField> for Error {
    fn from(missing: heygen_model::MissingField) -> Self {
        Self::Decode(Box::new(DecodeError {
            method: Method::POST,
            path: "(response)",
            status: StatusCode::OK,
            json_path: format!("data.{}", missing.0),
            message: missing.to_string(),
            snippet: String::new(),
            request_id: None,
        }))
    }
}

impl From<heygen_model::ValidationError> for Error {
    fn from(error: heygen_model::ValidationError) -> Self {
        Self::InvalidRequest(Box::new(InvalidRequest {
            method: None,
            path: None,
            field: Some(error.field.to_string()),
            message: error.to_string(),
            source: Some(Box::new(error)),
        }))
    }
}

impl fmt::Display for Error {
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per variant reads best as one match"
    )]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidConfig(e) => write!(f, "invalid configuration: {}", e.message),
            Self::InvalidRequest(e) => {
                f.write_str("invalid request")?;
                write_op(f, e.method.as_ref(), e.path)?;
                match &e.field {
                    Some(field) if !e.message.contains(field.as_str()) => {
                        write!(f, ": {field}: {}", e.message)
                    }
                    _ => write!(f, ": {}", e.message),
                }
            }
            Self::Transport(e) => {
                f.write_str(e.kind.as_str())?;
                write_op(f, e.method.as_ref(), e.path)
            }
            Self::Api(e) => {
                write!(
                    f,
                    "{} {} failed with status {}",
                    e.method,
                    e.path,
                    e.status.as_u16()
                )?;
                if let Some(code) = &e.code {
                    write!(f, " ({code})")?;
                }
                if let Some(message) = &e.message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Self::UnexpectedResponse(e) => {
                write!(
                    f,
                    "unexpected response to {} {}: status {}, content type {}",
                    e.method,
                    e.path,
                    e.status.as_u16(),
                    e.content_type.as_deref().unwrap_or("none")
                )
            }
            Self::UnexpectedRedirect(e) => {
                write!(
                    f,
                    "refused to follow a redirect from {} {}: status {}",
                    e.method,
                    e.path,
                    e.status.as_u16()
                )?;
                if let Some(location) = &e.location {
                    write!(f, " to {location}")?;
                }
                Ok(())
            }
            Self::BodyTooLarge(e) => {
                write!(f, "response body larger than {} bytes", e.limit)?;
                write_op(f, e.method.as_ref(), e.path)
            }
            Self::Decode(e) => write!(
                f,
                "could not decode the response to {} {} (status {}) at {}: {}",
                e.method,
                e.path,
                e.status.as_u16(),
                e.json_path,
                e.message
            ),
            Self::JobFailed(e) => {
                write!(f, "{} {} failed", e.resource, e.id)?;
                if let Some(code) = &e.code {
                    write!(f, " ({code})")?;
                }
                if let Some(message) = &e.message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Self::WaitTimedOut(e) => {
                write!(
                    f,
                    "timed out after {} s waiting for {} {}",
                    e.elapsed.as_secs(),
                    e.resource,
                    e.id
                )?;
                match (&e.last_status, &e.last_error) {
                    (Some(status), None) => write!(f, " (last status {status})"),
                    (Some(status), Some(error)) => {
                        write!(f, " (last status {status}; last check failed: {error})")
                    }
                    (None, Some(error)) => write!(
                        f,
                        " (no status seen in {} checks; last check failed: {error})",
                        e.checks
                    ),
                    (None, None) if e.checks > 0 => {
                        write!(f, " (none of {} responses carried a status)", e.checks)
                    }
                    (None, None) => f.write_str(" (no check finished)"),
                }
            }
            Self::PaginationStalled(e) => {
                let why = match e.reason {
                    StallReason::RepeatedToken => "the server repeated a page token",
                    StallReason::MissingToken => "the server said there is more but sent no token",
                    StallReason::PageCap => "the page cap was reached",
                    StallReason::EmptyPages => {
                        "the server kept sending empty pages that claim more"
                    }
                };
                write!(
                    f,
                    "pagination of {} stopped after {} pages: {why}",
                    e.path, e.pages
                )
            }
            Self::UploadFailed(e) => {
                write!(f, "upload of asset {} failed: {}", e.asset_id, e.source)
            }
            Self::LoginRequired(e) => {
                f.write_str("the oauth login is no longer valid; log in again")?;
                match (e.status, &e.code) {
                    (Some(status), Some(code)) => {
                        write!(f, " (status {}, {code})", status.as_u16())
                    }
                    (Some(status), None) => write!(f, " (status {})", status.as_u16()),
                    (None, Some(code)) => write!(f, " ({code})"),
                    (None, None) => Ok(()),
                }
            }
            Self::DownloadFailed(e) => {
                write!(f, "download of video {} failed: ", e.video_id)?;
                match &e.reason {
                    DownloadFailure::NotCompleted { status } => write!(
                        f,
                        "the video is not completed (status {})",
                        status.as_deref().unwrap_or("unknown")
                    ),
                    DownloadFailure::NoUrl { captioned: true } => {
                        f.write_str("the video has no captioned_video_url")
                    }
                    DownloadFailure::NoUrl { captioned: false } => {
                        f.write_str("the video has no video_url")
                    }
                    DownloadFailure::Refused { status, url } => {
                        write!(f, "GET {url} answered status {}", status.as_u16())
                    }
                    DownloadFailure::NotMedia {
                        status,
                        content_type,
                    } => write!(
                        f,
                        "the file origin answered status {} with {content_type}, an error page \
                         rather than the video",
                        status.as_u16()
                    ),
                    DownloadFailure::WrongLength { expected, received } => write!(
                        f,
                        "the body had {received} bytes, content-length said {expected}"
                    ),
                    DownloadFailure::Interrupted { received, kind } => {
                        write!(f, "{} after {received} bytes", kind.as_str())
                    }
                    DownloadFailure::Write { received, message } => {
                        write!(f, "writing failed after {received} bytes: {message}")
                    }
                    DownloadFailure::OtherVideo { id } => {
                        write!(f, "the server answered with video {id}")
                    }
                    DownloadFailure::UnsafeUrl { captioned } => write!(
                        f,
                        "the server's {} is not an https url (http only for a loopback host)",
                        if *captioned {
                            "captioned_video_url"
                        } else {
                            "video_url"
                        }
                    ),
                }
            }
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::InvalidRequest(e) => e.source.as_deref().map(|s| s as &(dyn StdError + 'static)),
            Self::Transport(e) => e.source.as_deref().map(|s| s as &(dyn StdError + 'static)),
            Self::UploadFailed(e) => Some(&e.source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_small() {
        assert!(size_of::<Error>() <= 16);
    }
}

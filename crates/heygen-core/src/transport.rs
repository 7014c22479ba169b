//! What both transports hand each other and the core for one HTTP exchange: the per-attempt
//! limits ([`SendOptions`]) and the failure with no usable response ([`TransportError`]).
//!
//! The transports (`heygen-blocking`, `heygen-async`) re-export these under their own paths;
//! the core defines them once so the two cannot drift.

use core::fmt;
use core::time::Duration;

use bytes::Bytes;
use http::Response;

use crate::error::{BoxError, TransportErrorKind};

/// The most a transport reserves for a response body before its bytes arrive: 1 MiB.
pub const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// Limits for one exchange, from the core's [`crate::Call`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// Whole-exchange timeout (connect, send, receive), wall-clock. The async client also
    /// enforces it around its transport's `send`.
    pub timeout: Duration,
    /// Connect timeout (TLS included), wall-clock.
    pub connect_timeout: Duration,
    /// Read at most this many bytes of the response body (the configured maximum plus one, so
    /// the core can tell an over-limit body); stop reading there.
    pub read_limit: u64,
    /// For a streamed download body ([`crate::workflow::Next::Receive`]): the longest wait for
    /// the next bytes of the body. When set, `timeout` bounds only the wait for the response
    /// head and the whole transfer has no limit, so a slow but live download is never cut.
    pub idle: Option<Duration>,
}

impl SendOptions {
    /// Options with these timeouts and read limit (in bytes).
    pub fn new(timeout: Duration, connect_timeout: Duration, read_limit: u64) -> Self {
        Self {
            timeout,
            connect_timeout,
            read_limit,
            idle: None,
        }
    }

    /// These options with an idle limit for a streamed body (see [`SendOptions::idle`]).
    #[must_use]
    pub fn with_idle(mut self, idle: Duration) -> Self {
        self.idle = Some(idle);
        self
    }

    /// The read limit as a `usize` (saturating on 32-bit targets), in bytes.
    pub fn read_limit_usize(&self) -> usize {
        usize::try_from(self.read_limit).unwrap_or(usize::MAX)
    }

    /// How many bytes to reserve for a response body before reading it, given the length the
    /// peer announced (`Content-Length`, or what is still announced after the first bytes):
    /// that length, but never more than the read limit or [`MAX_PREALLOCATION`]. An announced
    /// length is the peer's claim, not bytes received, so a false or huge one costs at most
    /// that much memory up front; a body that really is larger grows its buffer as it arrives.
    pub fn preallocation(&self, announced: Option<u64>) -> usize {
        let bytes = announced
            .unwrap_or(0)
            .min(self.read_limit)
            .min(MAX_PREALLOCATION);
        usize::try_from(bytes).unwrap_or(0)
    }

    /// `response` with its body cut to [`SendOptions::read_limit`] bytes: what a transport that
    /// got the whole body in memory (a closure, a mock) returns, so the core sees the same
    /// bytes a streaming transport would have read.
    pub fn truncate(&self, response: Response<Bytes>) -> Response<Bytes> {
        let (parts, body) = response.into_parts();
        let limit = self.read_limit_usize();
        let body = if body.len() > limit {
            body.slice(..limit)
        } else {
            body
        };
        Response::from_parts(parts, body)
    }
}

/// A failure with no usable response, mapped onto the core's [`TransportErrorKind`].
///
/// The source is opaque (no ureq or hyper type is public) and never carries credentials.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<BoxError>,
}

impl TransportError {
    /// A failure of this kind with an optional cause.
    pub fn new(kind: TransportErrorKind, source: Option<BoxError>) -> Self {
        Self { kind, source }
    }

    /// A failure of this kind with a message as its cause.
    pub fn msg(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self::new(kind, Some(message.into().into()))
    }

    /// A failure reading the request body (the caller's file or reader), with that error as
    /// its cause ([`TransportErrorKind::Body`]).
    pub fn body(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Body, Some(source.into()))
    }

    /// What happened.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Splits into kind and cause.
    pub fn into_parts(self) -> (TransportErrorKind, Option<BoxError>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.as_str())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preallocation_trusts_an_announced_length_only_so_far() {
        let options = SendOptions::new(Duration::from_secs(1), Duration::from_secs(1), 16 << 20);
        assert_eq!(options.preallocation(None), 0);
        assert_eq!(options.preallocation(Some(23_274)), 23_274);
        assert_eq!(options.preallocation(Some(u64::MAX)), 1 << 20);
        let small = SendOptions::new(Duration::from_secs(1), Duration::from_secs(1), 100);
        assert_eq!(small.preallocation(Some(23_274)), 100);
    }

    #[test]
    fn truncate_cuts_at_the_read_limit() {
        let options = SendOptions::new(Duration::from_secs(1), Duration::from_secs(1), 3);
        let response = Response::new(Bytes::from_static(b"abcdef"));
        assert_eq!(options.truncate(response).body().as_ref(), b"abc");
        let short = Response::new(Bytes::from_static(b"ab"));
        assert_eq!(options.truncate(short).body().as_ref(), b"ab");
    }

    #[test]
    fn error_shows_its_kind_and_keeps_its_cause() {
        let error = TransportError::msg(TransportErrorKind::Connect, "refused");
        assert_eq!(error.to_string(), TransportErrorKind::Connect.as_str());
        assert_eq!(
            std::error::Error::source(&error).map(ToString::to_string),
            Some("refused".to_owned())
        );
        let (kind, _) = TransportError::body(std::io::Error::other("gone")).into_parts();
        assert_eq!(kind, TransportErrorKind::Body);
    }
}

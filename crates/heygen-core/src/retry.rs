//! The retry decision: a pure function of the attempt number, the request, the outcome, the
//! elapsed time and a jitter value.

use core::time::Duration;

use http::Method;

use crate::config::RetryPolicy;
use crate::error::{Error, ErrorClass, TransportErrorKind};

/// What the retry decision needs to know about the request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestFacts {
    /// The method.
    pub method: Method,
    /// Whether repeating the request is safe: `GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, or a
    /// request that carries an `Idempotency-Key`.
    pub idempotent: bool,
    /// Whether the body can be sent again (false for a streamed body whose reader is consumed).
    pub body_replayable: bool,
    /// Whether a plain 409 conflict is transient for this request (completing a direct upload
    /// whose object storage has not caught up yet).
    pub retry_conflict: bool,
}

impl RequestFacts {
    /// Facts for a request with a replayable body.
    pub fn new(method: Method, idempotent: bool) -> Self {
        Self {
            method,
            idempotent,
            body_replayable: true,
            retry_conflict: false,
        }
    }

    /// Sets whether a plain 409 conflict is retried.
    #[must_use]
    pub fn retry_conflict(mut self, value: bool) -> Self {
        self.retry_conflict = value;
        self
    }

    /// Sets whether the body can be sent again.
    #[must_use]
    pub fn body_replayable(mut self, value: bool) -> Self {
        self.body_replayable = value;
        self
    }
}

/// Whether a method is idempotent by itself.
pub fn method_is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Give up and report the error.
    Stop,
    /// Send the same request again after this delay.
    RetryAfter(Duration),
}

/// The backoff before retry number `retry` (1-based): `base * 2^(retry-1)`, times a jitter factor
/// in `[jitter_min, jitter_max)` chosen by `jitter` in `[0, 1)`, capped at `max_delay`.
pub fn backoff(retry: u32, policy: &RetryPolicy, jitter: f64) -> Duration {
    let exponent = retry.saturating_sub(1).min(30);
    let raw = policy
        .base_delay
        .saturating_mul(1u32 << exponent)
        .min(policy.max_delay);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let lo = if policy.jitter_min.is_finite() {
        policy.jitter_min.max(0.0)
    } else {
        1.0
    };
    let hi = if policy.jitter_max.is_finite() {
        policy.jitter_max.max(lo)
    } else {
        lo
    };
    let factor = lo + (hi - lo) * jitter;
    let scaled = raw.as_secs_f64() * factor;
    let cap = policy.max_delay.as_secs_f64();
    // The cap again after the trip through f64, which can round up by a few nanoseconds.
    Duration::try_from_secs_f64(scaled.min(cap))
        .unwrap_or(policy.max_delay)
        .min(policy.max_delay)
}

/// Why an outcome may be retried.
enum Retryable {
    /// Retry regardless of idempotency (429, `request_in_progress`, nothing sent).
    Always,
    /// Retry only when the request is idempotent (5xx, resets, timeouts after sending).
    IfIdempotent,
    /// Never.
    Never,
}

fn classify(outcome: &Error) -> Retryable {
    match outcome {
        Error::Transport(t) => match t.kind {
            TransportErrorKind::Connect | TransportErrorKind::ConnectTimeout => Retryable::Always,
            TransportErrorKind::Timeout
            | TransportErrorKind::ConnectionReset
            | TransportErrorKind::ClosedBeforeResponse
            | TransportErrorKind::Io => Retryable::IfIdempotent,
            _ => Retryable::Never,
        },
        Error::Api(_) | Error::UnexpectedResponse(_) => {
            let status = outcome.status().map_or(0, |s| s.as_u16());
            match outcome.class() {
                ErrorClass::QuotaExceeded | ErrorClass::InsufficientCredit => Retryable::Never,
                _ if status == 429 => Retryable::Always,
                ErrorClass::RequestInProgress if status == 409 => Retryable::Always,
                _ if matches!(status, 500 | 502 | 503 | 504) => Retryable::IfIdempotent,
                _ => Retryable::Never,
            }
        }
        _ => Retryable::Never,
    }
}

/// Decides whether to retry after attempt number `attempt` (1-based) failed with `outcome`.
///
/// Rules:
/// - at most `policy.max_retries` retries (so `max_retries + 1` attempts);
/// - 429 is retried for every method (unless the code says the quota is exhausted), honouring
///   `Retry-After` (capped at `max_delay`);
/// - 409 `request_in_progress` is retried (it only happens to requests with an idempotency key),
///   and so is any 409 conflict when `facts.retry_conflict` (completing a direct upload);
/// - 500, 502, 503 and 504 (any body), connection resets, connections closed before any
///   response byte, I/O errors and timeouts after sending are retried only when
///   `facts.idempotent`;
/// - connect failures (nothing sent) are retried for every method;
/// - 402, other 4xx, quota exhaustion, TLS failures, redirects, decode errors are never retried;
/// - a body that cannot be replayed is retried only when nothing was sent;
/// - with `policy.max_elapsed`, a retry whose delay would end past it is not made.
///
/// `now` is the time elapsed since the logical call started; `jitter` is a value in `[0, 1)`
/// from the transport's random source.
pub fn decide(
    attempt: u32,
    facts: &RequestFacts,
    outcome: &Error,
    now: Duration,
    jitter: f64,
    policy: &RetryPolicy,
) -> Decision {
    if attempt == 0 || attempt > policy.max_retries {
        return Decision::Stop;
    }
    let conflict = facts.retry_conflict
        && outcome.status().is_some_and(|s| s.as_u16() == 409)
        && outcome.class() == ErrorClass::Conflict;
    let allowed = conflict
        || match classify(outcome) {
            Retryable::Always => true,
            Retryable::IfIdempotent => facts.idempotent,
            Retryable::Never => false,
        };
    if !allowed {
        return Decision::Stop;
    }
    let nothing_sent = outcome
        .transport_kind()
        .is_some_and(TransportErrorKind::nothing_sent);
    if !facts.body_replayable && !nothing_sent {
        return Decision::Stop;
    }
    let delay = match outcome.retry_after() {
        Some(after) => after.min(policy.max_delay),
        None => backoff(attempt, policy, jitter),
    };
    if let Some(budget) = policy.max_elapsed
        && now.saturating_add(delay) > budget
    {
        return Decision::Stop;
    }
    Decision::RetryAfter(delay)
}

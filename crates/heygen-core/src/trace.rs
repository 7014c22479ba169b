//! Observability: with the `tracing` feature, one span per logical call and one event per retry,
//! emitted from [`crate::Call`], the one place every client's calls go through. Without the
//! feature [`CallSpan`] is an empty type whose methods do nothing and compute nothing.
//!
//! The span `heygen.call` carries `method`, `path` (the template, never ids), `attempts`,
//! `status`, `request_id`, `elapsed_ms` and `outcome`; the event `heygen.retry` carries the
//! attempt, the `reason` (the error's class and status) and `delay_ms`. No header, body, key,
//! token or URL query is ever recorded.

pub(crate) use imp::CallSpan;

#[cfg(feature = "tracing")]
mod imp {
    use core::time::Duration;

    use http::{HeaderMap, Method};

    use crate::error::Error;
    use crate::response::request_id;

    /// The span of one logical call.
    #[derive(Debug)]
    pub(crate) struct CallSpan {
        span: tracing::Span,
    }

    fn millis(duration: Duration) -> u64 {
        u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
    }

    impl CallSpan {
        /// Opens the span of a call of `method` to `path` (a template).
        pub(crate) fn new(method: &Method, path: &'static str) -> Self {
            Self {
                span: tracing::info_span!(
                    "heygen.call",
                    method = %method,
                    path,
                    attempts = tracing::field::Empty,
                    status = tracing::field::Empty,
                    request_id = tracing::field::Empty,
                    elapsed_ms = tracing::field::Empty,
                    outcome = tracing::field::Empty,
                ),
            }
        }

        /// Records a response's status and request id (from its headers).
        pub(crate) fn response(&self, status: u16, headers: &HeaderMap) {
            self.span.record("status", status);
            if let Some(id) = request_id(headers) {
                self.span.record("request_id", id);
            }
        }

        /// Emits the retry event after attempt `attempt` failed with `error`.
        pub(crate) fn retry(&self, attempt: u32, error: &Error, delay: Duration) {
            let status = error.status().map_or(0, |s| s.as_u16());
            let reason = error.class().as_str();
            tracing::info!(
                name: "heygen.retry",
                parent: &self.span,
                attempt,
                reason,
                status,
                delay_ms = millis(delay),
                "retrying"
            );
        }

        /// Records the end of the call.
        pub(crate) fn finish(&self, attempts: u32, error: Option<&Error>, elapsed: Duration) {
            self.span.record("attempts", attempts);
            self.span.record("elapsed_ms", millis(elapsed));
            self.span
                .record("outcome", error.map_or("ok", |e| e.class().as_str()));
        }
    }
}

#[cfg(not(feature = "tracing"))]
mod imp {
    use core::time::Duration;

    use http::{HeaderMap, Method};

    use crate::error::Error;

    /// Without the `tracing` feature: nothing recorded, nothing computed.
    #[derive(Debug)]
    pub(crate) struct CallSpan;

    #[allow(clippy::unused_self, reason = "the same calls as with the feature")]
    impl CallSpan {
        pub(crate) fn new(_: &Method, _: &'static str) -> Self {
            Self
        }

        pub(crate) fn response(&self, _: u16, _: &HeaderMap) {}

        pub(crate) fn retry(&self, _: u32, _: &Error, _: Duration) {}

        pub(crate) fn finish(&self, _: u32, _: Option<&Error>, _: Duration) {}
    }
}

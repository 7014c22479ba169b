//! `retry_after`: `Retry-After` parsing and the retry decision over any response.
//!
//! Input: a first line of up to eight space-separated numbers (missing or invalid ones take a
//! default): `attempt now_ms jitter max_retries base_ms max_delay_ms max_elapsed_ms flags`
//! (`jitter` is in 1/65536ths, `max_elapsed_ms` 0 means none, `flags` bit 0 idempotent, bit 1
//! replayable body, bit 2 retry 409 conflicts, bit 3 raw (possibly NaN) jitter factors); then a
//! response as [`Response::split`] reads it.
//!
//! Invariants:
//! - `parse_retry_after` is delta seconds (saturating) or an HTTP date relative to `Date`
//!   (never negative), and `None` otherwise;
//! - `backoff` never panics and never exceeds `max_delay`, whatever the jitter and policy;
//! - `decide` stops for attempt 0 or past `max_retries`; a retry waits at most `max_delay`,
//!   exactly the server's `Retry-After` (capped) when it sent one, fits in `max_elapsed`, and
//!   only follows a status that may be retried (409, 429, 500, 502, 503, 504).

use core::time::Duration;

use heygen_core::RetryPolicy;
use heygen_core::ops::GetVideo;
use heygen_core::response::parse_retry_after;
use heygen_core::retry::{Decision, RequestFacts, backoff, decide};
use heygen_core::{Operation, ResponseLimits};
use heygen_model::VideoId;
use http::header::{DATE, RETRY_AFTER};
use http::{HeaderMap, Method};

use crate::input::Response;

/// The parameters on the first line.
#[derive(Debug)]
struct Params {
    attempt: u32,
    now: Duration,
    jitter: f64,
    policy: RetryPolicy,
    facts: RequestFacts,
}

fn params(line: &[u8]) -> Params {
    let text = String::from_utf8_lossy(line);
    let mut numbers = text.split(' ').map(|n| n.trim().parse::<u64>().ok());
    let mut next = |default: u64| numbers.next().flatten().unwrap_or(default);
    let attempt = u32::try_from(next(1)).unwrap_or(u32::MAX);
    let now = Duration::from_millis(next(0));
    #[allow(clippy::cast_precision_loss, reason = "jitter is a fraction")]
    let jitter = (next(32_768) % 65_537) as f64 / 65_536.0;
    let mut policy = RetryPolicy::new()
        .max_retries(u32::try_from(next(2)).unwrap_or(u32::MAX))
        .base_delay(Duration::from_millis(next(1_000)))
        .max_delay(Duration::from_millis(next(30_000)));
    let elapsed = next(0);
    if elapsed > 0 {
        policy = policy.max_elapsed(Some(Duration::from_millis(elapsed)));
    }
    let flags = next(3);
    if flags & 8 != 0 {
        // The fields are public: a caller can set any factor, NaN included.
        policy.jitter_min = f64::from_bits(elapsed);
        policy.jitter_max = f64::from_bits(flags);
    }
    let facts = RequestFacts::new(Method::GET, flags & 1 != 0)
        .body_replayable(flags & 2 != 0)
        .retry_conflict(flags & 4 != 0);
    Params {
        attempt,
        now,
        jitter,
        policy,
        facts,
    }
}

/// What `parse_retry_after` must give, computed independently.
fn expected_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let date = httpdate::parse_http_date(headers.get(DATE)?.to_str().ok()?.trim()).ok()?;
    Some(at.duration_since(date).unwrap_or(Duration::ZERO))
}

/// Parses `Retry-After` and decides a retry for one response.
///
/// # Panics
/// When an invariant above does not hold.
pub fn retry_after(data: &[u8]) {
    let (line, rest) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let params = params(line);
    let input = Response::split(rest);
    let response = input.to_http();
    let parsed = parse_retry_after(response.headers());
    assert_eq!(
        parsed,
        expected_retry_after(response.headers()),
        "parse_retry_after disagrees with the rule"
    );

    let policy = &params.policy;
    for retry in [0, 1, 2, params.attempt, u32::MAX] {
        let delay = backoff(retry, policy, params.jitter);
        assert!(
            delay <= policy.max_delay,
            "backoff {delay:?} over max_delay {:?}",
            policy.max_delay
        );
    }
    let _ = backoff(params.attempt, policy, f64::NAN);
    let _ = backoff(params.attempt, policy, -1.0);

    let Ok(video) = VideoId::new("vid_0001") else {
        return;
    };
    let Err(error) = GetVideo::new(video).parse(response, &ResponseLimits::default()) else {
        return;
    };
    let decision = decide(
        params.attempt,
        &params.facts,
        &error,
        params.now,
        params.jitter,
        policy,
    );
    let Decision::RetryAfter(delay) = decision else {
        return;
    };
    assert!(
        params.attempt >= 1 && params.attempt <= policy.max_retries,
        "retried attempt {} of {}",
        params.attempt,
        policy.max_retries
    );
    assert!(delay <= policy.max_delay, "retry delay over max_delay");
    if let Some(budget) = policy.max_elapsed {
        assert!(
            params.now.saturating_add(delay) <= budget,
            "retry ends past max_elapsed"
        );
    }
    if let Some(after) = error.retry_after() {
        assert_eq!(
            delay,
            after.min(policy.max_delay),
            "retry ignores Retry-After"
        );
    }
    let status = error.status().map(|s| s.as_u16());
    assert!(
        matches!(status, Some(409 | 429 | 500 | 502 | 503 | 504)),
        "retried after {error:?}"
    );
}

//! The retry decision as tables.

use std::time::Duration;

use heygen_core::ops::GetVideo;
use heygen_core::retry::{Decision, backoff, decide};
use heygen_core::{
    Error, Operation, RequestFacts, ResponseLimits, RetryPolicy, TransportErrorKind,
};
use http::Method;

use crate::support::{json_resp, resp, video};

fn api(status: u16, body: &str) -> Error {
    GetVideo::new(video())
        .parse(json_resp(status, body), &ResponseLimits::default())
        .unwrap_err()
}

fn with_headers(status: u16, headers: &[(&str, &str)], body: &str) -> Error {
    GetVideo::new(video())
        .parse(
            resp(status, headers, body.as_bytes()),
            &ResponseLimits::default(),
        )
        .unwrap_err()
}

fn post(idempotent: bool) -> RequestFacts {
    RequestFacts::new(Method::POST, idempotent)
}

fn get() -> RequestFacts {
    RequestFacts::new(Method::GET, true)
}

fn policy() -> RetryPolicy {
    RetryPolicy::default()
}

/// With jitter 0.5 the factor is exactly 1.
fn d(attempt: u32, facts: &RequestFacts, outcome: &Error) -> Decision {
    decide(attempt, facts, outcome, Duration::ZERO, 0.5, &policy())
}

const S1: Decision = Decision::RetryAfter(Duration::from_secs(1));

#[test]
fn status_table() {
    let rows: &[(u16, &str, bool, Decision)] = &[
        // status, body, idempotent, expected on attempt 1
        (
            429,
            r#"{"error":{"code":"rate_limit_exceeded"}}"#,
            false,
            S1,
        ),
        (429, r#"{"error":{"code":"rate_limit_exceeded"}}"#, true, S1),
        (
            429,
            r#"{"error":{"code":"quota_exceeded"}}"#,
            true,
            Decision::Stop,
        ),
        (409, r#"{"error":{"code":"request_in_progress"}}"#, true, S1),
        (
            409,
            r#"{"error":{"code":"conflict"}}"#,
            true,
            Decision::Stop,
        ),
        (500, r#"{"error":{"code":"internal_error"}}"#, true, S1),
        (
            500,
            r#"{"error":{"code":"internal_error"}}"#,
            false,
            Decision::Stop,
        ),
        (502, "{}", true, S1),
        (503, "{}", true, S1),
        (504, "{}", true, S1),
        (504, "{}", false, Decision::Stop),
        (501, "{}", true, Decision::Stop),
        (
            400,
            r#"{"error":{"code":"invalid_parameter"}}"#,
            true,
            Decision::Stop,
        ),
        (401, "{}", true, Decision::Stop),
        (
            402,
            r#"{"error":{"code":"insufficient_credit"}}"#,
            true,
            Decision::Stop,
        ),
        (403, "{}", true, Decision::Stop),
        (404, "{}", true, Decision::Stop),
        (413, "{}", true, Decision::Stop),
        (422, "{}", true, Decision::Stop),
    ];
    for (status, body, idempotent, want) in rows {
        let facts = if *idempotent { get() } else { post(false) };
        assert_eq!(
            d(1, &facts, &api(*status, body)),
            *want,
            "{status} {body} {idempotent}"
        );
    }
}

#[test]
fn html_5xx_follows_the_same_rule() {
    let err = with_headers(503, &[("content-type", "text/html")], "<html>down</html>");
    assert_eq!(d(1, &get(), &err), S1);
    assert_eq!(d(1, &post(false), &err), Decision::Stop);
}

#[test]
fn transport_table() {
    use TransportErrorKind as K;
    let rows = [
        (K::Connect, false, true),
        (K::ConnectTimeout, false, true),
        (K::Timeout, false, false),
        (K::Timeout, true, true),
        (K::ConnectionReset, false, false),
        (K::ConnectionReset, true, true),
        (K::ClosedBeforeResponse, false, false),
        (K::ClosedBeforeResponse, true, true),
        (K::Io, true, true),
        (K::Tls, true, false),
        (K::Redirect, true, false),
        (K::Body, true, false),
        (K::Other, true, false),
    ];
    for (kind, idempotent, retried) in rows {
        let facts = RequestFacts::new(Method::POST, idempotent);
        let got = d(1, &facts, &Error::transport(kind, None));
        assert_eq!(
            got != Decision::Stop,
            retried,
            "{kind:?} idempotent={idempotent}"
        );
    }
}

#[test]
fn retry_after_forms() {
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    let rows: &[(&[(&str, &str)], Duration)] = &[
        (&[("retry-after", "3")], Duration::from_secs(3)),
        (&[("retry-after", "0")], Duration::ZERO),
        // Capped at max_delay.
        (&[("retry-after", "3600")], Duration::from_secs(30)),
        (
            &[("retry-after", "99999999999999999999999")],
            Duration::from_secs(30),
        ),
        // HTTP date relative to the Date header.
        (
            &[
                ("retry-after", "Wed, 21 Oct 2015 07:28:07 GMT"),
                ("date", date),
            ],
            Duration::from_secs(7),
        ),
        // A past date gives zero.
        (
            &[
                ("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT"),
                ("date", date),
            ],
            Duration::ZERO,
        ),
        // Garbage or a date without reference falls back to the backoff (1 s at attempt 1).
        (&[("retry-after", "soon")], Duration::from_secs(1)),
        (&[("retry-after", "-5")], Duration::from_secs(1)),
        (&[("retry-after", "1.5")], Duration::from_secs(1)),
        (
            &[("retry-after", "Wed, 21 Oct 2015 07:28:07 GMT")],
            Duration::from_secs(1),
        ),
        (&[], Duration::from_secs(1)),
    ];
    for (headers, want) in rows {
        let err = with_headers(429, headers, r#"{"error":{"code":"rate_limit_exceeded"}}"#);
        assert_eq!(
            d(1, &post(false), &err),
            Decision::RetryAfter(*want),
            "{headers:?}"
        );
    }
    // Retry-After on a 503 is honoured too.
    let err = with_headers(503, &[("retry-after", "4")], "");
    assert_eq!(
        d(1, &get(), &err),
        Decision::RetryAfter(Duration::from_secs(4))
    );
}

#[test]
fn budget_and_backoff() {
    let err = api(503, "{}");
    assert_eq!(d(1, &get(), &err), S1);
    assert_eq!(
        d(2, &get(), &err),
        Decision::RetryAfter(Duration::from_secs(2))
    );
    assert_eq!(d(3, &get(), &err), Decision::Stop);
    let p = RetryPolicy::default().max_retries(10);
    assert_eq!(backoff(5, &p, 0.5), Duration::from_secs(16));
    assert_eq!(backoff(6, &p, 0.5), Duration::from_secs(30));
    assert_eq!(backoff(60, &p, 0.99), Duration::from_secs(30));
    assert_eq!(backoff(1, &p, 0.0), Duration::from_millis(750));
    assert!(backoff(1, &p, 0.999) < Duration::from_millis(1250));
    assert_eq!(backoff(1, &p, f64::NAN), Duration::from_secs(1));
    assert_eq!(
        decide(1, &get(), &err, Duration::ZERO, 0.5, &RetryPolicy::never()),
        Decision::Stop
    );
}

#[test]
fn elapsed_budget() {
    let p = RetryPolicy::default().max_elapsed(Some(Duration::from_secs(10)));
    let err = api(503, "{}");
    assert_eq!(decide(1, &get(), &err, Duration::from_secs(5), 0.5, &p), S1);
    assert_eq!(
        decide(1, &get(), &err, Duration::from_secs(9_500), 0.5, &p),
        Decision::Stop
    );
}

#[test]
fn streamed_body_is_not_replayed_unless_nothing_was_sent() {
    let facts = get().body_replayable(false);
    assert_eq!(d(1, &facts, &api(503, "{}")), Decision::Stop);
    assert_eq!(
        d(
            1,
            &facts,
            &Error::transport(TransportErrorKind::Connect, None)
        ),
        S1
    );
}

#[test]
fn conflict_retried_only_when_asked() {
    let err = api(
        409,
        r#"{"error":{"code":"conflict","message":"Uploaded object not found yet"}}"#,
    );
    assert_eq!(d(1, &post(true), &err), Decision::Stop);
    assert_eq!(d(1, &post(true).retry_conflict(true), &err), S1);
}

#[test]
fn other_errors_are_never_retried() {
    for err in [
        Error::invalid_request(None, "x"),
        Error::body_too_large(None, 10),
        Error::invalid_config("x"),
    ] {
        assert_eq!(d(1, &get(), &err), Decision::Stop);
    }
}

//! `webhook`: verifying a webhook delivery from its headers and raw body.
//!
//! Input: like a response ([`Response::split`]), but the first line holds up to four
//! space-separated numbers instead of a status: `now tolerance strict sign` (Unix seconds, the
//! tolerance in seconds, 1 to require a timestamp, and `sign` flags: bit 0 signs the body with
//! the test secret, bit 1 puts the signature in the fallback `Signature` header, bit 2 writes it
//! in upper case, bit 3 adds a `sha256=` prefix). Header lines and the body follow.
//!
//! Invariants:
//! - nothing panics;
//! - a delivery is accepted only when its signature header (`Heygen-Signature`, else
//!   `Signature`) is the HMAC-SHA256 of the body under the secret, its timestamp (required in
//!   strict mode) is within the tolerance of `now`, and the body decodes as a delivery; the
//!   event id is the body's (signed), else the header's, and the replay key never depends on
//!   the header;
//! - a body signed with the secret is never refused for its signature;
//! - no error text contains the secret, the expected signature, or a secret parameter value.

use core::time::Duration;
use std::time::SystemTime;

use heygen_core::webhook::{EVENT_ID_HEADER, Verifier, WebhookError, sign};
use heygen_core::webhook::{FALLBACK_SIGNATURE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use heygen_model::webhook::{WebhookDelivery, WebhookSecret};
use http::{HeaderMap, HeaderValue};

use crate::input::Response;
use crate::secrets::{SECRET_PARAMS, assert_no_leak};

const SECRET: &str = "whsec_fuzz_0123456789";

/// The signature a verifier reads: the primary header, else the fallback.
fn signature_header(headers: &HeaderMap) -> Option<&HeaderValue> {
    headers
        .get(SIGNATURE_HEADER)
        .or_else(|| headers.get(FALLBACK_SIGNATURE_HEADER))
}

/// Whether `value` is `expected` (lower-case hex) as the verifier reads it: trimmed, an optional
/// `sha256=`/`SHA256=` prefix, hex of either case.
fn is_signature(value: &[u8], expected: &str) -> bool {
    let text = value.trim_ascii();
    let text = text
        .strip_prefix(b"sha256=")
        .or_else(|| text.strip_prefix(b"SHA256="))
        .unwrap_or(text);
    text.eq_ignore_ascii_case(expected.as_bytes())
}

/// Verifies one delivery.
///
/// # Panics
/// When an invariant in the module docs does not hold.
pub fn webhook(data: &[u8]) {
    let (line, rest) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let line = String::from_utf8_lossy(line);
    let mut numbers = line.split(' ').map(|n| n.trim().parse::<u64>().ok());
    let mut next = |default: u64| numbers.next().flatten().unwrap_or(default);
    let now_secs = next(1_764_400_000);
    let tolerance = next(300);
    let strict = next(0) & 1 == 1;
    let flags = next(1);
    // The response reader wants a status line first.
    let mut text = b"200\n".to_vec();
    text.extend_from_slice(rest);
    let input = Response::split(&text);
    let body = input.body;
    let mut headers = input.to_http().headers().clone();

    let Ok(secret) = WebhookSecret::new(SECRET) else {
        return;
    };
    let expected = sign(body, &secret);
    let signed = flags & 1 == 1;
    if signed {
        let mut value = if flags & 4 == 0 {
            expected.clone()
        } else {
            expected.to_ascii_uppercase()
        };
        if flags & 8 != 0 {
            value.insert_str(0, "sha256=");
        }
        headers.remove(SIGNATURE_HEADER);
        let name = if flags & 2 == 0 {
            SIGNATURE_HEADER
        } else {
            FALLBACK_SIGNATURE_HEADER
        };
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(now_secs.min(1 << 40));
    let verifier = Verifier::new(secret)
        .tolerance(Duration::from_secs(tolerance))
        .require_timestamp(strict);
    match verifier.verify(&headers, body, now) {
        Ok(verified) => check_accepted(&Accepted {
            headers: &headers,
            body,
            expected: &expected,
            strict,
            tolerance,
            now: now_secs.min(1 << 40),
            verified,
        }),
        Err(error) => {
            if signed && signature_header(&headers).is_some() {
                assert!(
                    !matches!(
                        error,
                        WebhookError::SignatureMismatch | WebhookError::MalformedSignature
                    ),
                    "refused a correctly signed body: {error}"
                );
            }
            let _ = format!("{error:?}");
            let shown = format!("{error} {}", error.code());
            assert!(!shown.contains(SECRET), "the error shows the secret");
            assert!(
                !shown.to_ascii_lowercase().contains(&expected),
                "the error shows the expected signature"
            );
            assert_no_leak("the webhook error", &shown, SECRET_PARAMS);
        }
    }
}

/// An accepted delivery and what it was checked against.
struct Accepted<'a> {
    headers: &'a HeaderMap,
    body: &'a [u8],
    expected: &'a str,
    strict: bool,
    tolerance: u64,
    now: u64,
    verified: heygen_core::webhook::VerifiedEvent,
}

/// An accepted delivery was signed, fresh and a delivery.
fn check_accepted(a: &Accepted<'_>) {
    let signature = signature_header(a.headers).map(HeaderValue::as_bytes);
    assert!(
        signature.is_some_and(|s| is_signature(s, a.expected)),
        "accepted a delivery whose signature is not the body's"
    );
    match a.headers.get(TIMESTAMP_HEADER) {
        Some(value) => {
            let sent = value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok());
            let Some(sent) = sent else {
                panic!("accepted the timestamp {value:?}");
            };
            assert_eq!(a.verified.timestamp, Some(sent));
            assert!(
                sent.abs_diff(a.now) <= a.tolerance,
                "accepted a timestamp {sent} at {} with tolerance {}",
                a.now,
                a.tolerance
            );
        }
        None => assert!(!a.strict, "accepted no timestamp in strict mode"),
    }
    let decoded: Result<WebhookDelivery, _> = serde_json::from_slice(a.body);
    assert_eq!(decoded.as_ref().ok(), Some(&a.verified.delivery));
    let header_id = a
        .headers
        .get(EVENT_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|id| !id.is_empty());
    // The body's id is signed and wins; the unsigned header only names an event without one,
    // and the replay key never depends on the header.
    assert_eq!(
        a.verified.event_id.as_deref(),
        a.verified.delivery.event_id.as_deref().or(header_id)
    );
    match a.verified.delivery.event_id.as_deref() {
        Some(id) => assert_eq!(a.verified.replay_key(), id),
        None => assert_eq!(a.verified.replay_key().len(), 64, "the body digest"),
    }
    let _ = format!("{:?}", a.verified);
}

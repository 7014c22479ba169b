//! The webhook verifier: BR-19's raw bytes, every way a delivery can be wrong, and a property:
//! sign then verify holds, and any single changed byte fails.

use std::time::{Duration, SystemTime};

use heygen_core::model::webhook::{WebhookEvent, WebhookSecret};
use heygen_core::webhook::{Verifier, WebhookError, sign, verify};
use http::HeaderMap;
use proptest::prelude::*;

/// BR-19: the exact bytes HeyGen sent, spaces and key order included.
const BR_19_BODY: &[u8] = br#"{"event_type": "avatar_video.success", "event_data": {"video_id": "vid_0001", "url": "https://files.example.com/v.mp4", "callback_id": "cb_1"}}"#;
const NOW_SECS: u64 = 1_764_400_000;

fn secret(text: &str) -> WebhookSecret {
    WebhookSecret::new(text).unwrap()
}

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(NOW_SECS)
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, value.parse().unwrap());
    }
    map
}

fn signed(body: &[u8], key: &str) -> HeaderMap {
    headers(&[("heygen-signature", &sign(body, &secret(key)))])
}

#[test]
fn br_19_the_raw_bytes_verify_and_a_reserialized_copy_does_not() {
    let verified = verify(
        &signed(BR_19_BODY, "whsec_TEST"),
        BR_19_BODY,
        &secret("whsec_TEST"),
        now(),
    )
    .unwrap();
    let WebhookEvent::VideoSucceeded(data) = &verified.delivery.event else {
        panic!("{verified:?}");
    };
    assert_eq!(data.video_id, "vid_0001");
    assert_eq!(data.callback_id.as_deref(), Some("cb_1"));

    // What a handler that parsed first and serialized again would check.
    let value: serde_json::Value = serde_json::from_slice(BR_19_BODY).unwrap();
    let reserialized = serde_json::to_vec(&value).unwrap();
    assert_ne!(reserialized, BR_19_BODY);
    assert_eq!(
        verify(
            &signed(BR_19_BODY, "whsec_TEST"),
            &reserialized,
            &secret("whsec_TEST"),
            now()
        ),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn the_signature_is_hmac_sha256_of_the_body_keyed_with_the_whole_secret_string() {
    // RFC 4231 test case 2 (key "Jefe"): the key is the secret's UTF-8 bytes, not base64-decoded.
    assert_eq!(
        sign(b"what do ya want for nothing?", &secret("Jefe")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn a_flipped_body_byte_or_a_wrong_secret_is_a_mismatch() {
    let mut body = BR_19_BODY.to_vec();
    body[30] ^= 0x01;
    let ok_headers = signed(BR_19_BODY, "whsec_TEST");
    assert_eq!(
        verify(&ok_headers, &body, &secret("whsec_TEST"), now()),
        Err(WebhookError::SignatureMismatch)
    );
    assert_eq!(
        verify(&ok_headers, BR_19_BODY, &secret("whsec_OTHER"), now()),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn missing_truncated_and_non_hex_signatures_are_typed() {
    let key = secret("whsec_TEST");
    assert_eq!(
        verify(&HeaderMap::new(), BR_19_BODY, &key, now()),
        Err(WebhookError::MissingSignature)
    );
    let good = sign(BR_19_BODY, &key);
    for bad in [
        &good[..63],
        &good[..10],
        "",
        "zz",
        &format!("{}g", &good[..63]),
    ] {
        assert_eq!(
            verify(
                &headers(&[("heygen-signature", bad)]),
                BR_19_BODY,
                &key,
                now()
            ),
            Err(WebhookError::MalformedSignature),
            "{bad:?}"
        );
    }
}

#[test]
fn the_signature_header_fallback_uppercase_hex_and_a_sha256_prefix_are_accepted() {
    let key = secret("whsec_TEST");
    let good = sign(BR_19_BODY, &key);
    for (name, value) in [
        ("signature", good.clone()),
        ("heygen-signature", good.to_ascii_uppercase()),
        ("heygen-signature", format!("sha256={good}")),
    ] {
        verify(&headers(&[(name, &value)]), BR_19_BODY, &key, now())
            .unwrap_or_else(|e| panic!("{name}: {value}: {e}"));
    }
    // Heygen-Signature wins over Signature when both are present.
    let both = headers(&[("heygen-signature", &good), ("signature", "00")]);
    verify(&both, BR_19_BODY, &key, now()).unwrap();
}

#[test]
fn stale_and_future_timestamps_are_refused_outside_the_tolerance() {
    let key = secret("whsec_TEST");
    let sig = sign(BR_19_BODY, &key);
    let at = |t: u64| {
        headers(&[
            ("heygen-signature", &sig),
            ("heygen-timestamp", &t.to_string()),
        ])
    };
    verify(&at(NOW_SECS - 300), BR_19_BODY, &key, now()).unwrap();
    verify(&at(NOW_SECS + 300), BR_19_BODY, &key, now()).unwrap();
    assert_eq!(
        verify(&at(NOW_SECS - 301), BR_19_BODY, &key, now()),
        Err(WebhookError::StaleTimestamp {
            age_secs: 301,
            tolerance_secs: 300
        })
    );
    assert_eq!(
        verify(&at(NOW_SECS + 301), BR_19_BODY, &key, now()),
        Err(WebhookError::FutureTimestamp {
            ahead_secs: 301,
            tolerance_secs: 300
        })
    );
    let tight = Verifier::new(key.clone()).tolerance(Duration::from_secs(10));
    assert!(matches!(
        tight.verify(&at(NOW_SECS - 11), BR_19_BODY, now()),
        Err(WebhookError::StaleTimestamp { .. })
    ));
    let garbled = headers(&[
        ("heygen-signature", &sig),
        ("heygen-timestamp", "yesterday"),
    ]);
    assert_eq!(
        verify(&garbled, BR_19_BODY, &key, now()),
        Err(WebhookError::MalformedTimestamp)
    );
}

#[test]
fn a_missing_timestamp_is_accepted_unless_strict() {
    let key = secret("whsec_TEST");
    let plain = signed(BR_19_BODY, "whsec_TEST");
    assert_eq!(
        verify(&plain, BR_19_BODY, &key, now()).unwrap().timestamp,
        None
    );
    assert_eq!(
        Verifier::new(key)
            .require_timestamp(true)
            .verify(&plain, BR_19_BODY, now()),
        Err(WebhookError::MissingTimestamp)
    );
}

#[test]
fn of_two_secrets_the_second_may_match() {
    let verifier = Verifier::with_secrets([secret("whsec_OLD"), secret("whsec_NEW")]).unwrap();
    verifier
        .verify(&signed(BR_19_BODY, "whsec_NEW"), BR_19_BODY, now())
        .unwrap();
    assert_eq!(
        verifier.verify(&signed(BR_19_BODY, "whsec_GONE"), BR_19_BODY, now()),
        Err(WebhookError::SignatureMismatch)
    );
    assert!(Verifier::with_secrets([]).is_none());
}

#[test]
fn the_event_id_comes_from_the_header_then_the_body() {
    let key = secret("whsec_TEST");
    let body = br#"{"event_id":"evt_body","event_type":"avatar_video.fail","event_data":{"video_id":"v","msg":"boom"}}"#;
    let sig = sign(body, &key);
    let from_body = verify(&headers(&[("heygen-signature", &sig)]), body, &key, now()).unwrap();
    assert_eq!(from_body.event_id.as_deref(), Some("evt_body"));
    assert_eq!(from_body.delivery.event.failure_message(), Some("boom"));
    let from_header = verify(
        &headers(&[
            ("heygen-signature", &sig),
            ("heygen-event-id", "evt_header"),
        ]),
        body,
        &key,
        now(),
    )
    .unwrap();
    assert_eq!(from_header.event_id.as_deref(), Some("evt_header"));
}

#[test]
fn a_signed_body_that_is_not_an_event_is_a_typed_error_without_the_body() {
    let key = secret("whsec_TEST");
    for body in [&b"not json at all"[..], br#"{"event_data":{}}"#, br#"{"event_type":"avatar_video.success","event_data":{"url":"https://x.example/v?X-Amz-Signature=abc"}}"#] {
        let err = verify(&signed(body, "whsec_TEST"), body, &key, now()).unwrap_err();
        assert!(matches!(err, WebhookError::InvalidPayload(_)), "{err:?}");
        let text = format!("{err} {err:?}");
        assert!(!text.contains("not json at all") && !text.contains("X-Amz-Signature=abc"), "{text}");
    }
}

#[test]
fn errors_never_show_the_secret_or_the_expected_signature() {
    let key = secret("whsec_CANARY");
    let expected = sign(BR_19_BODY, &key);
    let mut body = BR_19_BODY.to_vec();
    body[5] ^= 1;
    let verifier = Verifier::new(key);
    for err in [
        verifier
            .verify(&signed(BR_19_BODY, "whsec_CANARY"), &body, now())
            .unwrap_err(),
        verifier
            .verify(&HeaderMap::new(), &body, now())
            .unwrap_err(),
    ] {
        let text = format!("{err} {err:?} {}", err.code());
        assert!(
            !text.contains("CANARY") && !text.contains(&expected),
            "{text}"
        );
    }
    assert!(!format!("{verifier:?}").contains("CANARY"));
}

proptest! {
    #[test]
    fn sign_then_verify_holds_and_any_single_byte_change_fails(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        key in "whsec_[A-Za-z0-9]{1,40}",
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let key = secret(&key);
        let sig = sign(&body, &key);
        let hdrs = headers(&[("heygen-signature", &sig)]);
        // The signature holds whether or not the bytes are an event.
        let result = verify(&hdrs, &body, &key, now());
        prop_assert!(!matches!(result, Err(WebhookError::SignatureMismatch | WebhookError::MalformedSignature)));
        if !body.is_empty() {
            let mut changed = body.clone();
            let at = index.index(changed.len());
            changed[at] ^= flip;
            prop_assert_eq!(verify(&hdrs, &changed, &key, now()), Err(WebhookError::SignatureMismatch));
        }
    }
}

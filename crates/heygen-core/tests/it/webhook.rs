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
fn the_signed_body_id_wins_over_the_unsigned_header_and_replays_keep_their_key() {
    let key = secret("whsec_TEST");
    let body = br#"{"event_id":"evt_body","event_type":"avatar_video.fail","event_data":{"video_id":"v","msg":"boom"}}"#;
    let sig = sign(body, &key);
    let plain = verify(&headers(&[("heygen-signature", &sig)]), body, &key, now()).unwrap();
    assert_eq!(plain.event_id.as_deref(), Some("evt_body"));
    assert_eq!(plain.delivery.event.failure_message(), Some("boom"));
    // A replay with a made-up header id is still the same event.
    let replayed = verify(
        &headers(&[("heygen-signature", &sig), ("heygen-event-id", "r1")]),
        body,
        &key,
        now(),
    )
    .unwrap();
    assert_eq!(replayed.event_id.as_deref(), Some("evt_body"));
    assert_eq!(replayed.replay_key(), plain.replay_key());

    // Without an id in the body, the header names the event, but the replay key is the body's
    // digest: a replay under a fresh header id is still caught.
    let sig = sign(BR_19_BODY, &key);
    let first = verify(
        &headers(&[("heygen-signature", &sig), ("heygen-event-id", "evt_h1")]),
        BR_19_BODY,
        &key,
        now(),
    )
    .unwrap();
    assert_eq!(first.event_id.as_deref(), Some("evt_h1"));
    let again = verify(
        &headers(&[("heygen-signature", &sig), ("heygen-event-id", "evt_h2")]),
        BR_19_BODY,
        &key,
        now(),
    )
    .unwrap();
    assert_eq!(first.replay_key(), again.replay_key());
    assert_eq!(first.replay_key().len(), 64);
}

#[test]
fn a_blank_secret_cannot_be_loaded_from_json_either() {
    assert!(serde_json::from_str::<WebhookSecret>(r#""""#).is_err());
    assert!(serde_json::from_str::<WebhookSecret>(r#"" ""#).is_err());
    let loaded: WebhookSecret = serde_json::from_str(r#""whsec_OK""#).unwrap();
    assert_eq!(loaded, secret("whsec_OK"));
    assert_ne!(loaded, secret("whsec_KO"));
    assert_eq!(serde_json::to_string(&loaded).unwrap(), r#""whsec_OK""#);
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

mod endpoints {
    //! The seven `/v3/webhooks` operations: golden requests and parsed fixtures in the
    //! reference's response shapes.

    use heygen_core::model::webhook::{
        CreateWebhookEndpointRequest, ListWebhookEndpointsQuery, ListWebhookEventsQuery,
        UpdateWebhookEndpointRequest, WebhookEndpointId,
    };
    use heygen_core::ops::{
        CreateWebhookEndpoint, DeleteWebhookEndpoint, ListWebhookEndpoints, ListWebhookEventTypes,
        ListWebhookEvents, RotateWebhookSecret, UpdateWebhookEndpoint,
    };
    use heygen_core::{Body, Call, Error, Operation, ResponseLimits};
    use serde_json::json;

    use crate::support::{body_json, config, json_resp};

    fn built<O: Operation>(op: O) -> http::Request<Body> {
        Call::new(op, &config(), [7; 16]).unwrap().request().clone()
    }

    fn endpoint_id() -> WebhookEndpointId {
        WebhookEndpointId::new("ep_0001").unwrap()
    }

    const ENDPOINT: &str = r#"{"data":{"endpoint_id":"ep_0001","url":"https://example.com/hook","status":"enabled","events":["avatar_video.success"],"secret":"whsec_CANARY","created_at":"2026-12-06T10:00:00Z"}}"#;

    #[test]
    fn requests_have_the_reference_methods_paths_and_bodies() {
        let create = built(CreateWebhookEndpoint::new(
            CreateWebhookEndpointRequest::new("https://example.com/hook")
                .events(["avatar_video.success", "avatar_video.fail"]),
        ));
        assert_eq!(create.method(), "POST");
        assert_eq!(create.uri(), "https://api.heygen.com/v3/webhooks/endpoints");
        assert_eq!(
            body_json(&create),
            json!({"url":"https://example.com/hook","events":["avatar_video.success","avatar_video.fail"]})
        );
        assert!(create.headers().contains_key("idempotency-key"));

        let update = built(UpdateWebhookEndpoint::new(
            WebhookEndpointId::new("ep/../x").unwrap(),
            UpdateWebhookEndpointRequest::new().events(["batch.finished"]),
        ));
        assert_eq!(update.method(), "PATCH");
        assert_eq!(
            update.uri(),
            "https://api.heygen.com/v3/webhooks/endpoints/ep%2F..%2Fx"
        );
        assert_eq!(body_json(&update), json!({"events":["batch.finished"]}));

        let delete = built(DeleteWebhookEndpoint::new(endpoint_id()));
        assert_eq!(
            (delete.method().as_str(), delete.uri().to_string()),
            (
                "DELETE",
                "https://api.heygen.com/v3/webhooks/endpoints/ep_0001".to_owned()
            )
        );
        let rotate = built(RotateWebhookSecret::new(endpoint_id()));
        assert_eq!(
            (rotate.method().as_str(), rotate.uri().to_string()),
            (
                "POST",
                "https://api.heygen.com/v3/webhooks/endpoints/ep_0001/rotate-secret".to_owned()
            )
        );
        let types = built(ListWebhookEventTypes::new());
        assert_eq!(
            types.uri(),
            "https://api.heygen.com/v3/webhooks/event-types"
        );
        let events = built(ListWebhookEvents::new(
            ListWebhookEventsQuery::new()
                .event_type("avatar_video.success")
                .limit(20)
                .token("t/1"),
        ));
        assert_eq!(
            events.uri(),
            "https://api.heygen.com/v3/webhooks/events?event_type=avatar_video.success&limit=20&token=t%2F1"
        );
        let list = built(ListWebhookEndpoints::new(
            ListWebhookEndpointsQuery::new().limit(5),
        ));
        assert_eq!(
            list.uri(),
            "https://api.heygen.com/v3/webhooks/endpoints?limit=5"
        );
    }

    #[test]
    fn bad_input_is_refused_before_sending() {
        let bad_url = Call::new(
            CreateWebhookEndpoint::new(CreateWebhookEndpointRequest::new("not a url")),
            &config(),
            [0; 16],
        );
        assert!(
            matches!(bad_url, Err(Error::InvalidRequest(_))),
            "{bad_url:?}"
        );
        let bad_limit = Call::new(
            ListWebhookEvents::new(ListWebhookEventsQuery::new().limit(0)),
            &config(),
            [0; 16],
        );
        assert!(
            matches!(bad_limit, Err(Error::InvalidRequest(_))),
            "{bad_limit:?}"
        );
    }

    #[test]
    fn responses_parse_and_the_secret_stays_hidden() {
        let limits = ResponseLimits::default();
        let created = CreateWebhookEndpoint::new(CreateWebhookEndpointRequest::new(
            "https://example.com/hook",
        ))
        .parse(json_resp(200, ENDPOINT), &limits)
        .unwrap();
        assert_eq!(created.secret.as_ref().unwrap().expose(), "whsec_CANARY");
        assert!(!format!("{created:?}").contains("CANARY"));

        let rotated = RotateWebhookSecret::new(endpoint_id())
            .parse(
                json_resp(
                    200,
                    r#"{"data":{"endpoint_id":"ep_0001","secret":"whsec_NEW"}}"#,
                ),
                &limits,
            )
            .unwrap();
        assert_eq!(rotated.secret.expose(), "whsec_NEW");

        let deleted = DeleteWebhookEndpoint::new(endpoint_id())
            .parse(json_resp(200, r#"{"data":{},"error":null}"#), &limits)
            .unwrap();
        assert_eq!(deleted.id, "ep_0001");
        let missing = DeleteWebhookEndpoint::new(endpoint_id()).parse(
            json_resp(
                404,
                r#"{"error":{"code":"not_found","message":"Endpoint not found"}}"#,
            ),
            &limits,
        );
        assert_eq!(missing.unwrap_err().status().map(|s| s.as_u16()), Some(404));

        let types = ListWebhookEventTypes::new()
            .parse(
                json_resp(
                    200,
                    r#"{"data":[{"event_type":"avatar_video.success","description":"A video finished."}],"has_more":false,"next_token":null}"#,
                ),
                &limits,
            )
            .unwrap();
        assert_eq!(types.data[0].event_type, "avatar_video.success");

        let events = ListWebhookEvents::new(ListWebhookEventsQuery::new())
            .parse(
                json_resp(
                    200,
                    r#"{"data":[{"event_id":"evt_1","event_type":"avatar_video.success","event_data":{"video_id":"vid_0001","url":"https://files.example.com/v.mp4?X-Amz-Signature=abc"},"created_at":"2026-12-06T10:00:00Z"},{"event_id":"evt_2","event_type":"brand_new.event","event_data":{"foo":1},"created_at":"2026-12-06T10:00:01Z"}],"has_more":true,"next_token":"n1"}"#,
                ),
                &limits,
            )
            .unwrap();
        assert_eq!(events.data.len(), 2);
        assert_eq!(events.data[0].event().unwrap().video_id(), Some("vid_0001"));
        assert_eq!(
            events.data[1].event().unwrap().event_type(),
            "brand_new.event"
        );
        assert_eq!(events.next_token(), Some("n1"));
    }
}

//! Regressions for the first fuzzing campaign's findings (K1–K7 in `docs/fuzzing.md`), each as
//! the smallest input that showed it. The reproducers also stay in `fuzz/corpus`.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use heygen_core::model::validate::{detect_media_type, sniff_media_type};
use heygen_core::model::webhook::WebhookSecret;
use heygen_core::model::{CreatePhotoAvatar, time::Seconds};
use heygen_core::ops::{CreateAvatar, DirectUploadPut};
use heygen_core::upload::{INLINE_PLACEHOLDER, InlineBody, placeholder_input};
use heygen_core::webhook::{WebhookError, sign, verify};
use heygen_core::{Body, Error, Operation, Source};

use crate::support::config;

#[test]
fn k1_a_huge_duration_in_seconds_saturates_instead_of_panicking() {
    assert_eq!(Seconds::new(1e300).unwrap().to_duration(), Duration::MAX);
    assert_eq!(
        Seconds::new(1.5).unwrap().to_duration(),
        Duration::from_millis(1500)
    );
}

#[test]
fn k2_the_file_goes_into_the_data_member_not_a_name_that_reads_like_the_placeholder() {
    let op = CreateAvatar::new(CreatePhotoAvatar::new(
        INLINE_PLACEHOLDER,
        placeholder_input("image/png").unwrap(),
    ));
    let request = op.build(&config()).unwrap();
    let Body::Bytes(template) = request.body() else {
        panic!("{:?}", request.body());
    };
    let mut body = InlineBody::new(template, 3).unwrap();
    body.feed(b"abc").unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body.finish().unwrap()).unwrap();
    assert_eq!(json["name"], INLINE_PLACEHOLDER, "the name is left alone");
    assert_eq!(json["file"]["data"], "YWJj");
}

#[test]
fn k3_a_signed_content_length_from_the_server_is_refused() {
    let put = DirectUploadPut::new(
        "https://bucket.s3.amazonaws.com/k",
        [("Content-Length", "+10")],
        Source::Reader,
        10,
    );
    assert!(matches!(
        put.build(&config()),
        Err(Error::InvalidRequest(_))
    ));
    let exact = DirectUploadPut::new(
        "https://bucket.s3.amazonaws.com/k",
        [("Content-Length", "10")],
        Source::Reader,
        10,
    );
    assert_eq!(
        exact.build(&config()).unwrap().headers()["content-length"],
        "10"
    );
}

#[test]
fn k4_an_inline_size_that_cannot_be_held_in_memory_is_an_error() {
    let template = Bytes::from(format!(r#"{{"data":"{INLINE_PLACEHOLDER}"}}"#));
    for size in [1u64 << 62, 1 << 63, u64::MAX] {
        assert!(
            matches!(
                InlineBody::new(&template, size),
                Err(Error::InvalidRequest(_))
            ),
            "{size}"
        );
    }
}

#[test]
fn k5_backoff_never_exceeds_max_delay() {
    use heygen_core::retry::backoff;
    let max = Duration::new(3, 333_333_333);
    let policy = heygen_core::RetryPolicy::new()
        .base_delay(Duration::from_nanos(999_999_999))
        .max_delay(max);
    for retry in 0..40 {
        for jitter in [0.0, 0.5, 0.999_999, 1.0] {
            assert!(backoff(retry, &policy, jitter) <= max);
        }
    }
}

#[test]
fn k6_a_payload_error_never_quotes_the_body() {
    let secret = WebhookSecret::new("whsec_TEST").unwrap();
    let body = br#"{"event_type":"avatar_video.success","event_data":{"video_id":7,"token":"tok_SECRET"}}"#;
    let mut headers = http::HeaderMap::new();
    headers.insert("heygen-signature", sign(body, &secret).parse().unwrap());
    let error = verify(&headers, body, &secret, SystemTime::UNIX_EPOCH).unwrap_err();
    assert!(matches!(error, WebhookError::InvalidPayload(_)));
    assert!(!format!("{error} {error:?}").contains("SECRET"), "{error}");
}

#[test]
fn k7_one_sniffer_names_one_format() {
    let head = b"RIFF\x00\x00\x00\x00WAVEftyp";
    let riff_ftyp_wave = b"RIFFftypWAVE\x00\x00\x00\x00";
    for head in [&head[..], &riff_ftyp_wave[..], b"\xff\xe0\x00\x00ftyp"] {
        let sniffed = sniff_media_type(head);
        assert_eq!(
            detect_media_type(head),
            sniffed.and_then(heygen_core::model::validate::canonical_media_type),
            "{head:?}"
        );
    }
    assert_eq!(sniff_media_type(riff_ftyp_wave), Some("audio/wav"));
}

#[test]
fn k8_a_decode_errors_json_path_never_shows_a_secret_in_a_key() {
    use heygen_core::model::CreateDirectUploadRequest;
    use heygen_core::ops::CreateDirectUpload;
    let body = r#"{"data":{"asset_id":"a","upload_url":"https://s.example.com/k","upload_headers":{" X-Amz-Signature=S3CR3T":[2]}}}"#;
    let op = CreateDirectUpload::new(CreateDirectUploadRequest::new("a.mp4", "video/mp4", 10));
    let error = op
        .parse(
            crate::support::json_resp(200, body),
            &heygen_core::ResponseLimits::default(),
        )
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}");
    };
    assert!(
        decode.json_path.starts_with("data.upload_headers"),
        "{}",
        decode.json_path
    );
    assert!(!format!("{error} {error:?}").contains("S3CR3T"), "{error}");
}

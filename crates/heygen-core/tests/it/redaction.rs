//! No secret in any Debug or Display: the canary key, bearer tokens, presigned signatures.

use heygen_core::ops::{CreateAvatar, GetVideo};
use heygen_core::{Call, Config, Error, Operation, ResponseLimits, TransportErrorKind};
use heygen_model::{AssetInput, CreatePhotoAvatar};

use crate::support::{KEY, config, gzip, json_resp, resp, video};

const SIGNED: &str =
    "https://storage.example.com/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED";

fn clean(text: &str) {
    for secret in [KEY, "SECRETSIG", "CRED", "tok_SECRET"] {
        assert!(!text.contains(secret), "{secret} leaked in {text}");
    }
}

#[test]
fn config_and_builder() {
    let cfg = config();
    clean(&format!("{cfg:?}"));
    clean(&format!("{:?}", Config::builder().api_key(KEY)));
    let cfg = Config::builder()
        .access_token("tok_SECRET")
        .build()
        .unwrap();
    clean(&format!("{cfg:?}"));
    clean(&format!("{:?}", cfg.credentials()));
}

#[test]
fn built_requests() {
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16]).unwrap();
    clean(&format!("{call:?}"));
    // http's own Debug marks the sensitive auth value.
    clean(&format!("{:?}", call.request()));
    clean(&format!("{:?}", call.request().headers()));
}

#[test]
fn errors_with_signed_urls() {
    let op = GetVideo::new(video());
    let bodies = [
        format!("<html>{SIGNED}</html>"),
        format!(r#"{{"error":{{"code":"x","message":"see {SIGNED}"}}}}"#),
        format!(r#"{{"data":{{"id":5,"u":"{SIGNED}"}}}}"#),
    ];
    for body in &bodies {
        for status in [200, 403, 500] {
            let err = op
                .parse(json_resp(status, body), &ResponseLimits::default())
                .unwrap_err();
            clean(&format!("{err:?}"));
            clean(&err.to_string());
        }
        let gz = gzip(body.as_bytes());
        let err = op
            .parse(
                resp(502, &[("content-encoding", "gzip")], &gz),
                &ResponseLimits::default(),
            )
            .unwrap_err();
        clean(&format!("{err:?} {err}"));
    }
    let err = op
        .parse(
            resp(307, &[("location", SIGNED)], b""),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    clean(&format!("{err:?} {err}"));
}

#[test]
fn display_of_an_api_error_has_method_path_and_status_only() {
    let err = GetVideo::new(video())
        .parse(
            json_resp(
                404,
                r#"{"error":{"code":"not_found","message":"Video not found"}}"#,
            ),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "GET /v3/videos/{video_id} failed with status 404 (not_found): Video not found"
    );
    assert!(!err.to_string().contains("vid_0001"));
}

#[test]
fn messages_are_lower_case_without_trailing_period() {
    let op = GetVideo::new(video());
    let errors = [
        Error::invalid_config("no credentials"),
        Error::transport(TransportErrorKind::ConnectionReset, None),
        Error::body_too_large(None, 10),
        op.parse(resp(502, &[], b"<html/>"), &ResponseLimits::default())
            .unwrap_err(),
        op.parse(json_resp(200, "{"), &ResponseLimits::default())
            .unwrap_err(),
        op.parse(resp(302, &[], b""), &ResponseLimits::default())
            .unwrap_err(),
    ];
    for err in errors {
        let text = err.to_string();
        assert!(text.chars().next().unwrap().is_lowercase(), "{text}");
        assert!(!text.ends_with('.'), "{text}");
    }
}

#[test]
fn base64_payload_elided_in_request_debug() {
    let bytes = [&b"\x89PNG\r\n\x1a\n"[..], &vec![0u8; 5 * 1024 * 1024]].concat();
    let input = AssetInput::base64_from_bytes("image/png", &bytes).unwrap();
    let op = CreateAvatar::new(CreatePhotoAvatar::new("Photo A", input));
    let debug = format!("{op:?}");
    assert!(debug.len() < 10_000, "{} bytes of Debug", debug.len());
    let call = Call::new(op, &config(), [0; 16]).unwrap();
    let debug = format!("{call:?}");
    assert!(debug.len() < 1_000);
    clean(&debug);
    assert!(call.request().body().bytes().len() > 5 * 1024 * 1024);
    let _ = call.operation().path_template();
}

#[test]
fn a_token_endpoint_path_before_a_colon_is_not_a_secret_header() {
    use heygen_core::oauth::{OAuthApp, RefreshAccessToken, RefreshToken};
    let op = RefreshAccessToken::new(OAuthApp::new("app_1"), RefreshToken::new("rt_canary_0001"));
    let err = op
        .parse(
            resp(
                401,
                &[("content-type", "text/html")],
                b"<html>Unauthorized</html>",
            ),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("POST /v1/oauth/token: "), "{text}");
    assert!(!text.contains("<redacted>"), "{text}");
    assert!(text.contains("401"), "{text}");
}

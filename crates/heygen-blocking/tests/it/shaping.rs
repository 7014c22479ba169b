//! Request shaping through closure transports: no network.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use heygen_blocking::{Client, TransportError};
use heygen_core::{Config, Error, RetryPolicy, TransportErrorKind};
use heygen_model::{CreateAvatarVideo, LookId, VideoId};
use http::{Request, Response};

const KEY: &str = "hg_test_KEY";

fn config(retries: u32) -> Config {
    Config::builder()
        .base_url("https://api.heygen.com")
        .api_key(KEY)
        .retry_policy(
            RetryPolicy::new()
                .max_retries(retries)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .max_response_bytes(1024)
        .build()
        .unwrap()
}

fn json(status: u16, body: &str) -> Response<Bytes> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_owned()))
        .unwrap()
}

const VIDEO: &str = r#"{"data":{"id":"vid_0001","status":"processing"}}"#;
const CREATED: &str = r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#;

type Seen = Arc<Mutex<Vec<Request<Bytes>>>>;

fn recording(
    answers: Vec<Result<Response<Bytes>, TransportError>>,
) -> (
    Seen,
    impl Fn(Request<Bytes>) -> Result<Response<Bytes>, TransportError>,
) {
    let seen: Seen = Arc::default();
    let answers = Mutex::new(answers.into_iter());
    let log = seen.clone();
    let transport = move |req: Request<Bytes>| {
        log.lock().unwrap().push(req);
        answers.lock().unwrap().next().unwrap_or_else(|| {
            Err(TransportError::msg(
                TransportErrorKind::Other,
                "no more answers",
            ))
        })
    };
    (seen, transport)
}

#[test]
fn get_carries_the_api_key_and_core_headers() {
    let (seen, transport) = recording(vec![Ok(json(200, VIDEO))]);
    let client = Client::with_transport(config(0), transport);
    let video = client
        .videos()
        .get(&VideoId::new("vid_0001").unwrap())
        .unwrap();
    assert_eq!(video.id.as_str(), "vid_0001");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.method(), http::Method::GET);
    assert_eq!(req.uri(), "https://api.heygen.com/v3/videos/vid_0001");
    assert_eq!(req.headers()["x-api-key"], KEY);
    assert!(req.headers()["x-api-key"].is_sensitive());
    assert!(!req.headers().contains_key("authorization"));
    assert!(
        !req.headers().contains_key("idempotency-key"),
        "GET carries no key"
    );
    assert_eq!(req.headers()["accept"], "application/json");
}

#[test]
fn post_retries_reuse_one_idempotency_key() {
    let (seen, transport) = recording(vec![
        Err(TransportError::msg(
            TransportErrorKind::Timeout,
            "timed out",
        )),
        Ok(json(
            409,
            r#"{"error":{"code":"request_in_progress","message":"busy"}}"#,
        )),
        Ok(json(
            503,
            r#"{"error":{"code":"internal_error","message":"down"}}"#,
        )),
        Ok(json(200, CREATED)),
    ]);
    let client = Client::with_transport(config(3), transport);
    let look = LookId::new("look_0001").unwrap();
    let created = client
        .videos()
        .create(CreateAvatarVideo::new(look).script("Hello"))
        .unwrap();
    assert_eq!(created.video_id.as_str(), "vid_0001");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 4);
    let keys: Vec<_> = seen
        .iter()
        .map(|r| r.headers()["idempotency-key"].to_str().unwrap().to_owned())
        .collect();
    assert!(keys.iter().all(|k| k == &keys[0]), "{keys:?}");
    assert!(seen.iter().all(|r| r.body() == seen[0].body()));
    assert_eq!(seen[0].headers()["content-type"], "application/json");
}

#[test]
fn two_logical_calls_get_two_keys() {
    let (seen, transport) = recording(vec![Ok(json(200, CREATED)), Ok(json(200, CREATED))]);
    let client = Client::with_transport(config(0), transport);
    for _ in 0..2 {
        let look = LookId::new("look_0001").unwrap();
        client
            .videos()
            .create(CreateAvatarVideo::new(look).script("Hello"))
            .unwrap();
    }
    let seen = seen.lock().unwrap();
    assert_ne!(
        seen[0].headers()["idempotency-key"],
        seen[1].headers()["idempotency-key"]
    );
}

#[test]
fn a_redirect_is_returned_not_followed() {
    let redirect = Response::builder()
        .status(302)
        .header("location", "https://attacker.example/collect")
        .body(Bytes::new())
        .unwrap();
    let (seen, transport) = recording(vec![Ok(redirect), Ok(json(200, VIDEO))]);
    let client = Client::with_transport(config(2), transport);
    let err = client
        .videos()
        .get(&VideoId::new("vid_0001").unwrap())
        .unwrap_err();
    match &err {
        Error::UnexpectedRedirect(r) => {
            assert_eq!(r.status.as_u16(), 302);
            assert_eq!(
                r.location.as_deref(),
                Some("https://attacker.example/collect")
            );
        }
        other => panic!("expected a redirect error, got {other:?}"),
    }
    assert_eq!(seen.lock().unwrap().len(), 1, "never retried or followed");
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let big = format!(
        r#"{{"data":{{"id":"vid_0001","status":"processing","title":"{}"}}}}"#,
        "a".repeat(5000)
    );
    let (_, transport) = recording(vec![Ok(json(200, &big))]);
    let client = Client::with_transport(config(0), transport);
    let err = client
        .videos()
        .get(&VideoId::new("vid_0001").unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge(_)), "{err:?}");
}

#[test]
fn validation_errors_send_nothing() {
    let (seen, transport) = recording(vec![]);
    let client = Client::with_transport(config(0), transport);
    let err = client
        .looks()
        .list(heygen_model::ListLooksQuery::new().limit(500))
        .unwrap_err();
    assert_eq!(err.class(), heygen_core::ErrorClass::Validation);
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn debug_output_never_shows_the_key() {
    let (_, transport) = recording(vec![]);
    let client = Client::with_transport(config(0), transport);
    let text = format!("{client:?}");
    assert!(!text.contains(KEY), "{text}");
    assert!(text.contains("redacted"));
}

#[test]
fn a_streamed_upload_sends_exact_framing_and_length() {
    let (seen, transport) = recording(vec![Ok(json(
        200,
        r#"{"data":{"asset_id":"asset_0001","url":"https://x/a","mime_type":"image/png","size_bytes":4100}}"#,
    ))]);
    let progress = Arc::new(Mutex::new(Vec::new()));
    let log = progress.clone();
    let client = Client::with_transport(config(0), transport)
        .with_progress(move |sent, total| log.lock().unwrap().push((sent, total)));
    let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
    file.resize(4100, 7);
    let asset = client
        .assets()
        .upload(&file[..], "photo.png", "image/png", 4100)
        .unwrap();
    assert_eq!(asset.asset_id.as_str(), "asset_0001");
    let seen = seen.lock().unwrap();
    let req = &seen[0];
    let length: usize = req.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(length, req.body().len());
    let ct = req.headers()["content-type"].to_str().unwrap();
    let boundary = ct.split("boundary=").nth(1).unwrap();
    let body = req.body();
    assert!(body.starts_with(format!("--{boundary}\r\n").as_bytes()));
    assert!(body.ends_with(format!("\r\n--{boundary}--\r\n").as_bytes()));
    assert!(body.windows(file.len()).any(|w| w == &file[..]));
    let progress = progress.lock().unwrap();
    assert_eq!(progress.last(), Some(&(4100, 4100)));
}

#[test]
fn a_consumed_reader_is_not_replayed() {
    let (seen, transport) = recording(vec![
        Ok(json(
            503,
            r#"{"error":{"code":"internal_error","message":"down"}}"#,
        )),
        Ok(json(
            200,
            r#"{"data":{"asset_id":"asset_0001","url":"https://x/a","mime_type":"image/png","size_bytes":16}}"#,
        )),
    ]);
    let client = Client::with_transport(config(3), transport);
    let file = b"\x89PNG\r\n\x1a\n01234567";
    let err = client
        .assets()
        .upload(&file[..], "photo.png", "image/png", 16)
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "the reader was consumed; no retry"
    );
}

#[test]
fn multipart_over_32_mb_is_refused_before_sending() {
    let (seen, transport) = recording(vec![]);
    let client = Client::with_transport(config(0), transport);
    let err = client
        .assets()
        .upload(std::io::empty(), "big.mp4", "video/mp4", 40_000_000)
        .unwrap_err();
    assert_eq!(err.class(), heygen_core::ErrorClass::Validation);
    assert!(err.to_string().contains("direct"), "{err}");
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn a_transport_failure_maps_to_the_core_kind() {
    let (seen, transport) = recording(vec![
        Err(TransportError::msg(TransportErrorKind::Connect, "refused")),
        Err(TransportError::msg(TransportErrorKind::Connect, "refused")),
    ]);
    let client = Client::with_transport(config(1), transport);
    let err = client.users().me().unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportErrorKind::Connect));
    assert_eq!(seen.lock().unwrap().len(), 2);
}

/// A transport that refuses the first connection without touching the body, then reads it.
struct RefuseOnce {
    calls: std::sync::atomic::AtomicUsize,
    received: Mutex<Vec<usize>>,
}

impl heygen_blocking::Transport for RefuseOnce {
    fn send(
        &self,
        request: Request<heygen_blocking::RequestBody<'_>>,
        _options: &heygen_blocking::SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        if self
            .calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            == 0
        {
            return Err(TransportError::msg(TransportErrorKind::Connect, "refused"));
        }
        let body = request.into_body().into_bytes().unwrap();
        self.received.lock().unwrap().push(body.len());
        Ok(json(
            200,
            r#"{"data":{"asset_id":"asset_0001","url":"https://x/a","mime_type":"image/png","size_bytes":16}}"#,
        ))
    }
}

/// Shares one [`RefuseOnce`] between the client and the test.
struct Shared(Arc<RefuseOnce>);
impl heygen_blocking::Transport for Shared {
    fn send(
        &self,
        request: Request<heygen_blocking::RequestBody<'_>>,
        options: &heygen_blocking::SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        self.0.send(request, options)
    }
}

#[test]
fn an_unread_reader_may_be_sent_again_after_a_refused_connection() {
    let transport = Arc::new(RefuseOnce {
        calls: std::sync::atomic::AtomicUsize::new(0),
        received: Mutex::new(Vec::new()),
    });
    let client = Client::with_transport(config(2), Shared(transport.clone()));
    let file = b"\x89PNG\r\n\x1a\n01234567";
    let asset = client
        .assets()
        .upload(&file[..], "photo.png", "image/png", 16)
        .unwrap();
    assert_eq!(asset.asset_id.as_str(), "asset_0001");
    let received = transport.received.lock().unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0] > 16, "framing plus the 16 file bytes");
}

#[test]
fn a_bad_caller_idempotency_key_is_refused_before_sending() {
    let (seen, transport) = recording(vec![Ok(json(200, CREATED))]);
    let client = Client::with_transport(config(0), transport);
    for key in ["bad key!".to_owned(), "a".repeat(256)] {
        let op = heygen_core::ops::RawJson::new(http::Method::POST, "/v3/videos")
            .body(serde_json::json!({}))
            .idempotency_key(key);
        let err = client.send(&op).unwrap_err();
        assert_eq!(err.class(), heygen_core::ErrorClass::Validation, "{err:?}");
    }
    assert!(seen.lock().unwrap().is_empty());
    let op = heygen_core::ops::RawJson::new(http::Method::POST, "/v3/videos")
        .body(serde_json::json!({}))
        .idempotency_key("idem-0001");
    client.send(&op).unwrap();
    assert_eq!(
        seen.lock().unwrap()[0].headers()["idempotency-key"],
        "idem-0001"
    );
}

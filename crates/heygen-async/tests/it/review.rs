//! Review findings through the async client (the blocking client has the same tests in
//! `heygen-blocking/tests/it/review.rs`): a reader longer than its declared size, an echoed API
//! key, a video in status `error`, a wait that saw only 503s, non-finite numbers, a signed
//! `subtitle_url`, and a page with a cursor and no `has_more`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use heygen_async::model::{
    CreateAvatarVideo, DirectUpload, ListLooksQuery, LookId, VideoId, VoiceSettings,
};
use heygen_async::{Client, Config, Error, PollPolicy, RetryPolicy, TransportError};
use http::{Request, Response};

const KEY: &str = "hg_test_KEY";

type Log = Arc<Mutex<Vec<Request<Bytes>>>>;

/// A client whose transport records every request and answers with `answers` in order (the
/// last one repeats).
fn client(answers: Vec<(u16, String)>) -> (Client, Log) {
    let log: Log = Arc::default();
    let seen = log.clone();
    let next = Arc::new(AtomicUsize::new(0));
    let answers = Arc::new(answers);
    let transport = move |request: Request<Bytes>| {
        seen.lock().unwrap().push(request);
        let i = next.fetch_add(1, Ordering::SeqCst).min(answers.len() - 1);
        let (status, body) = answers[i].clone();
        async move {
            Ok::<_, TransportError>(
                Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Bytes::from(body))
                    .unwrap(),
            )
        }
    };
    let config = Config::builder()
        .api_key(KEY)
        .retry_policy(
            RetryPolicy::new()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    (Client::with_transport(config, transport), log)
}

fn asset_json(size: u64) -> String {
    format!(
        r#"{{"data":{{"asset_id":"asset_0001","url":"https://files.example.com/a","mime_type":"image/png","size_bytes":{size}}}}}"#
    )
}

fn fast() -> PollPolicy {
    PollPolicy::new()
        .initial_interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(20))
        .deadline(Duration::from_millis(300))
}

#[tokio::test]
async fn a_reader_longer_than_its_declared_size_is_refused_naming_the_file() {
    let (client, log) = client(vec![(200, asset_json(5))]);
    let error = client
        .assets()
        .upload(
            std::io::Cursor::new(b"\x89PNG\r\n\x1a\n".to_vec()),
            "photo.png",
            "image/png",
            5,
        )
        .await
        .unwrap_err();
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.field.as_deref(), Some("file"));
    let text = error.to_string();
    assert!(
        text.contains("photo.png") && text.contains("declared 5"),
        "{text}"
    );
    assert!(log.lock().unwrap().is_empty(), "no request completes");
    let upload: DirectUpload = serde_json::from_str(
        r#"{"asset_id":"asset_0001","upload_url":"https://storage.example.com/k?X-Amz-Signature=s","upload_headers":{}}"#,
    )
    .unwrap();
    let error = client
        .assets()
        .put_direct_upload(&upload, std::io::Cursor::new(vec![1u8; 9]), 8)
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("more bytes than the declared 8"), "{text}");
}

#[tokio::test]
async fn a_reader_of_exactly_its_declared_size_is_sent_whole() {
    let (client, log) = client(vec![(200, asset_json(9))]);
    let bytes = b"\x89PNG\r\n\x1a\n!".to_vec();
    client
        .assets()
        .upload(
            std::io::Cursor::new(bytes.clone()),
            "photo.png",
            "image/png",
            9,
        )
        .await
        .unwrap();
    let body = log.lock().unwrap()[0].body().clone();
    assert!(body.windows(bytes.len()).any(|w| w == bytes.as_slice()));
    let error = client
        .assets()
        .upload(std::io::Cursor::new(bytes), "photo.png", "image/png", 10)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("ended after 9 of the declared 10"),
        "{error}"
    );
}

#[tokio::test]
async fn an_echoed_api_key_never_reaches_the_error() {
    let (client, _) = client(vec![(
        401,
        format!(
            r#"{{"error":{{"code":"unauthorized","message":"key {KEY} is not valid","param":"{KEY}"}}}}"#
        ),
    )]);
    let error = client.users().me().await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[tokio::test]
async fn a_video_in_status_error_ends_the_wait_as_failed() {
    let (client, log) = client(vec![(
        200,
        r#"{"data":{"id":"vid_0001","status":"error","failure_message":"render crashed"}}"#
            .to_owned(),
    )]);
    let error = client
        .wait_for_video_with(&VideoId::new("vid_0001").unwrap(), &fast())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::JobFailed(_)), "{error:?}");
    assert!(error.to_string().contains("render crashed"), "{error}");
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_wait_that_saw_only_503s_says_what_it_saw() {
    let (client, _) = client(vec![(
        503,
        r#"{"error":{"code":"internal_error","message":"busy"}}"#.to_owned(),
    )]);
    let error = client
        .wait_for_video_with(&VideoId::new("vid_0001").unwrap(), &fast())
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::WaitTimedOut(_)), "{error:?}");
    assert!(
        text.contains("503") && !text.contains("(no status seen)"),
        "{text}"
    );
}

#[tokio::test]
async fn non_finite_voice_settings_are_refused_before_sending() {
    let (client, log) = client(vec![(
        200,
        r#"{"data":{"video_id":"vid_0001"}}"#.to_owned(),
    )]);
    let request = CreateAvatarVideo::new(LookId::new("look_0001").unwrap())
        .script("Hi")
        .voice_settings(VoiceSettings::new().speed(f64::NAN));
    let error = client.videos().create(request).await.unwrap_err();
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.field.as_deref(), Some("voice_settings.speed"));
    let request = CreateAvatarVideo::new(LookId::new("look_0001").unwrap())
        .script("Hi")
        .voice_settings(VoiceSettings::new().pitch(80.0));
    let error = client.videos().create(request).await.unwrap_err();
    assert!(
        error.to_string().contains("voice_settings.pitch"),
        "{error}"
    );
    assert!(log.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_signed_subtitle_url_is_hidden_in_debug() {
    let (client, _) = client(vec![(
        200,
        r#"{"data":{"id":"vid_0001","status":"completed","subtitle_url":"https://files.example.com/v.srt?Signature=SUBSIG&Expires=1"}}"#.to_owned(),
    )]);
    let video = client
        .videos()
        .get(&VideoId::new("vid_0001").unwrap())
        .await
        .unwrap();
    assert!(!format!("{video:?}").contains("SUBSIG"));
    assert!(video.subtitle_url.unwrap().as_str().contains("SUBSIG"));
}

#[tokio::test]
async fn a_page_with_a_token_and_no_has_more_is_followed() {
    let (client, log) = client(vec![
        (
            200,
            r#"{"data":[{"id":"look_1","avatar_type":"photo_avatar"}],"next_token":"tok_2"}"#
                .to_owned(),
        ),
        (
            200,
            r#"{"data":[{"id":"look_2","avatar_type":"photo_avatar"}]}"#.to_owned(),
        ),
    ]);
    let ids: Vec<String> = client
        .looks()
        .list_all(ListLooksQuery::new())
        .map(|look| look.unwrap().id.as_str().to_owned())
        .collect()
        .await;
    assert_eq!(ids, ["look_1", "look_2"]);
    assert_eq!(log.lock().unwrap().len(), 2);
}

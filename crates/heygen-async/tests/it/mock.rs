//! Request shaping through a closure transport: no network.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use heygen_async::model::{CreateConsentRequest, ListLooksQuery, LookId, VideoId};
use heygen_async::{Client, Config, Error, RetryPolicy, TransportError, TransportErrorKind};
use heygen_model::{AvatarGroupId, CreateAvatarVideo};
use http::{Request, Response};

type Seen = Arc<Mutex<Vec<Request<Bytes>>>>;

fn config() -> Config {
    Config::builder()
        .api_key("hg_test_KEY")
        .retry_policy(
            RetryPolicy::new()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

/// A client whose transport records requests and answers from `answers` in order (the last
/// one repeats).
fn mock(answers: Vec<Result<(u16, &'static str), TransportErrorKind>>) -> (Client, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let answers = Arc::new(Mutex::new(answers));
    let transport = move |request: Request<Bytes>| {
        log.lock().unwrap().push(request);
        let answers = answers.clone();
        async move {
            let mut a = answers.lock().unwrap();
            let next = if a.len() > 1 { a.remove(0) } else { a[0] };
            match next {
                Ok((status, body)) => Ok(Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Bytes::from_static(body.as_bytes()))
                    .unwrap()),
                Err(kind) => Err(TransportError::new(kind, None)),
            }
        }
    };
    (Client::with_transport(config(), transport), seen)
}

const VIDEO: &str = r#"{"data":{"id":"vid_0001","status":"completed","video_url":"https://files.example.com/v.mp4"}}"#;

#[tokio::test]
async fn consent_with_no_options_sends_an_empty_json_object() {
    let (client, seen) = mock(vec![Ok((
        200,
        r#"{"data":{"avatar_group":{"id":"grp_0001","name":"G","created_at":1,"looks_count":1}}}"#,
    ))]);
    let group = AvatarGroupId::new("grp_0001").unwrap();
    client
        .avatars()
        .create_consent(&group, CreateConsentRequest::new())
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    let r = &seen[0];
    assert_eq!(r.method(), http::Method::POST);
    assert_eq!(r.uri().path(), "/v3/avatars/grp_0001/consent");
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.headers()["x-api-key"], "hg_test_KEY");
    assert!(r.headers().contains_key("idempotency-key"));
    assert_eq!(&r.body()[..], b"{}");
}

#[tokio::test]
async fn video_body_omits_unset_fields_and_uses_the_look_id() {
    let (client, seen) = mock(vec![Ok((
        200,
        r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#,
    ))]);
    let look = LookId::new("look_0001").unwrap();
    client
        .videos()
        .create(CreateAvatarVideo::new(look).script("Hello"))
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(seen.lock().unwrap()[0].body()).unwrap();
    assert_eq!(body["type"], "avatar");
    assert_eq!(body["avatar_id"], "look_0001");
    assert!(body.get("voice_id").is_none());
    assert!(body.get("title").is_none());
}

#[tokio::test]
async fn a_retried_post_reuses_one_idempotency_key() {
    let (client, seen) = mock(vec![
        Err(TransportErrorKind::Timeout),
        Ok((
            409,
            r#"{"error":{"code":"request_in_progress","message":"busy"}}"#,
        )),
        Ok((
            200,
            r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#,
        )),
    ]);
    let look = LookId::new("look_0001").unwrap();
    let created = client
        .videos()
        .create(CreateAvatarVideo::new(look).script("Hi"))
        .await
        .unwrap();
    assert_eq!(created.video_id.as_str(), "vid_0001");
    let keys: Vec<_> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.headers()["idempotency-key"].clone())
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.windows(2).all(|w| w[0] == w[1]), "{keys:?}");
    // A second logical call gets a new key.
    let look = LookId::new("look_0001").unwrap();
    client
        .videos()
        .create(CreateAvatarVideo::new(look).script("Hi"))
        .await
        .unwrap();
    let fourth = seen.lock().unwrap()[3].headers()["idempotency-key"].clone();
    assert_ne!(fourth, keys[0]);
}

#[tokio::test]
async fn a_get_is_retried_after_a_stale_connection() {
    let (client, seen) = mock(vec![
        Err(TransportErrorKind::ClosedBeforeResponse),
        Ok((200, VIDEO)),
    ]);
    let video = client
        .videos()
        .get(&VideoId::new("vid_0001").unwrap())
        .await
        .unwrap();
    assert_eq!(video.id.as_str(), "vid_0001");
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_redirect_is_an_error_naming_the_location() {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let transport = move |request: Request<Bytes>| {
        log.lock().unwrap().push(request);
        async {
            Ok(Response::builder()
                .status(302)
                .header("location", "https://attacker.example/collect")
                .body(Bytes::new())
                .unwrap())
        }
    };
    let client = Client::with_transport(config(), transport);
    let err = client
        .videos()
        .get(&VideoId::new("vid_0001").unwrap())
        .await
        .unwrap_err();
    match &err {
        Error::UnexpectedRedirect(r) => {
            assert_eq!(r.status.as_u16(), 302);
            assert!(r.location.as_deref().unwrap().contains("attacker.example"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "a redirect is never followed"
    );
}

#[tokio::test]
async fn the_body_limit_is_applied_while_reading() {
    let transport = |_request: Request<Bytes>| async {
        Ok(Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Bytes::from(vec![b' '; 4096]))
            .unwrap())
    };
    let config = Config::builder()
        .api_key("k")
        .max_response_bytes(1000)
        .build()
        .unwrap();
    let client = Client::with_transport(config, transport);
    let err = client.users().me().await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge(_)), "{err:?}");
}

#[tokio::test]
async fn list_all_repeats_filters_and_limit_with_the_token() {
    let (client, seen) = mock(vec![
        Ok((
            200,
            r#"{"data":[{"id":"look_1","name":"A","avatar_type":"photo_avatar"}],"has_more":true,"next_token":"tok_2"}"#,
        )),
        Ok((
            200,
            r#"{"data":[{"id":"look_2","name":"B","avatar_type":"photo_avatar"}],"has_more":false,"next_token":null}"#,
        )),
    ]);
    use futures_util::StreamExt as _;
    let items: Vec<_> = client
        .looks()
        .list_all(
            ListLooksQuery::new()
                .limit(50)
                .ownership(heygen_model::Ownership::Public),
        )
        .collect()
        .await;
    let ids: Vec<_> = items
        .into_iter()
        .map(|l| l.unwrap().id.as_str().to_owned())
        .collect();
    assert_eq!(ids, ["look_1", "look_2"]);
    let seen = seen.lock().unwrap();
    let q2 = seen[1].uri().query().unwrap();
    assert!(
        q2.contains("token=tok_2") && q2.contains("limit=50") && q2.contains("ownership=public"),
        "{q2}"
    );
}

#[tokio::test]
async fn debug_output_never_shows_the_key() {
    let (client, _) = mock(vec![Ok((200, VIDEO))]);
    let text = format!("{client:?}");
    assert!(!text.contains("hg_test_KEY"), "{text}");
    assert!(text.contains("redacted"), "{text}");
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let (client, seen) = mock(vec![Ok((200, VIDEO))]);
    let err = client
        .looks()
        .list(ListLooksQuery::new().limit(500))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn the_client_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Client>();
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(config()).unwrap();
    let vid = VideoId::new("vid_0001").unwrap();
    assert_send(&client.videos().get(&vid));
    assert_send(&client.looks().list_all(ListLooksQuery::new()));
}

#[tokio::test]
async fn a_small_file_goes_inline_as_base64_in_one_json_body() {
    use base64::Engine as _;
    let (client, seen) = mock(vec![Ok((
        200,
        r#"{"data":{"avatar_item":{"id":"look_0001","group_id":"grp_0001","avatar_type":"photo_avatar"},"avatar_group":{"id":"grp_0001","name":"P","created_at":1,"looks_count":1}}}"#,
    ))]);
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend((0..1000u32).map(|i| u8::try_from(i % 251).unwrap()));
    let path = std::env::temp_dir().join(format!("heygen-async-inline-{}.png", std::process::id()));
    std::fs::write(&path, &png).unwrap();
    let made = client
        .create_avatar_from_file(heygen_async::AvatarFileKind::Photo, "Photo A", &path)
        .await
        .unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(made.method, heygen_async::UploadMethod::Inline);
    assert!(made.asset_id.is_none());
    let body: serde_json::Value = serde_json::from_slice(seen.lock().unwrap()[0].body()).unwrap();
    assert_eq!(body["type"], "photo");
    assert_eq!(body["name"], "Photo A");
    assert_eq!(body["file"]["type"], "base64");
    assert_eq!(body["file"]["media_type"], "image/png");
    let data = body["file"]["data"].as_str().unwrap();
    assert_eq!(data, base64::engine::general_purpose::STANDARD.encode(&png));
}

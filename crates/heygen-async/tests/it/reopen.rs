//! A streamed file is re-opened for each attempt: a file that changed size or vanished between
//! attempts ends the upload with that fault named (the real I/O error), not a silent retry.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use heygen_async::{Client, Config, Error, RetryPolicy, TransportError};
use http::{Request, Response};

fn sample(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("heygen-async-reopen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(100, 7);
    std::fs::write(&path, png).unwrap();
    path
}

/// A client whose first answer is a 503, after `between(path)` ran; later answers succeed.
fn client(path: PathBuf, between: fn(&PathBuf)) -> (Client, &'static AtomicUsize) {
    let calls: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let transport = move |_req: Request<Bytes>| {
        let body = if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            between(&path);
            (503, r#"{"error":{"code":"unavailable","message":"busy"}}"#)
        } else {
            (
                200,
                r#"{"data":{"asset_id":"ast_1","url":"https://files.example.com/a","mime_type":"image/png","size_bytes":100}}"#,
            )
        };
        async move {
            Ok::<_, TransportError>(
                Response::builder()
                    .status(body.0)
                    .header("content-type", "application/json")
                    .body(Bytes::from_static(body.1.as_bytes()))
                    .unwrap(),
            )
        }
    };
    let config = Config::builder()
        .api_key("hg_test_KEY")
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    (Client::with_transport(config, transport), calls)
}

#[tokio::test]
async fn a_file_that_changes_size_between_attempts_is_refused() {
    let path = sample("grows.png");
    let (client, calls) = client(path.clone(), |p| {
        std::fs::write(p, vec![1u8; 150]).unwrap();
    });
    let error = client.assets().upload_path(&path).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("changed size"), "{error}");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "nothing is sent after the change"
    );
}

#[tokio::test]
async fn a_file_that_vanishes_between_attempts_reports_the_io_error() {
    let path = sample("vanishes.png");
    let (client, calls) = client(path.clone(), |p| std::fs::remove_file(p).unwrap());
    let error = client.assets().upload_path(&path).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(text.contains("cannot read vanishes.png"), "{text}");
    assert!(
        !text.contains("heygen-async-reopen"),
        "the directory stays private: {text}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_unchanged_file_is_sent_again_after_a_503() {
    let path = sample("steady.png");
    let (client, calls) = client(path.clone(), |_| {});
    let asset = client.assets().upload_path(&path).await.unwrap();
    assert_eq!(asset.asset_id.as_str(), "ast_1");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// The digest of a streamed `PUT` is reported even though the HTTP client stops polling the
/// body once it has the announced length.
#[tokio::test]
async fn a_direct_upload_put_reports_the_digest_of_its_bytes() {
    let transport = |_req: Request<Bytes>| async move {
        Ok::<_, TransportError>(Response::builder().status(200).body(Bytes::new()).unwrap())
    };
    let config = Config::builder().api_key("hg_test_KEY").build().unwrap();
    let client = Client::with_transport(config, transport);
    let upload: heygen_async::model::DirectUpload = serde_json::from_value(serde_json::json!({
        "asset_id": "ast_1",
        "upload_url": "https://storage.example.com/k?X-Amz-Signature=s",
        "upload_headers": {"Content-Type": "video/mp4"},
    }))
    .unwrap();
    let digest = client
        .assets()
        .put_direct_upload(&upload, &b"0123456789"[..], 10)
        .await
        .unwrap();
    assert_eq!(
        digest,
        "84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882"
    );
}

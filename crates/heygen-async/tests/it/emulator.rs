//! Against the emulator over real sockets: concurrency, cancel safety, credential hygiene.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use heygen_async::model::{CreateDirectUploadRequest, VideoId};
use heygen_async::{Client, Config, Error};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions, Fault, FaultRule};
use tokio::io::AsyncReadExt as _;

async fn start() -> (EmulatorHandle, Client) {
    let emu = Emulator::start_async(EmulatorOptions::default())
        .await
        .unwrap();
    let config = Config::builder()
        .base_url(emu.base_url())
        .api_key(emu.api_key())
        .build()
        .unwrap();
    (emu, Client::new(config).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_two_concurrent_requests_share_one_client() {
    let (emu, client) = start().await;
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.users().me().await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    // Pooled connections are reused: a second wave opens no more connections than the first.
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.users().me().await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let log = emu.requests();
    assert_eq!(log.iter().filter(|r| r.path == "/v3/users/me").count(), 64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_future_mid_request_leaves_the_client_usable() {
    let (emu, client) = start().await;
    emu.inject(FaultRule::new("/v3/users/me", Fault::Delay { ms: 2_000 }).times(1));
    let slow = client.users().me();
    let dropped = tokio::time::timeout(Duration::from_millis(200), slow).await;
    assert!(dropped.is_err(), "the slow call was cancelled");
    // The same client keeps working at once, on a fresh or pooled connection.
    let me = tokio::time::timeout(Duration::from_secs(2), client.users().me())
        .await
        .expect("no hang after cancellation")
        .unwrap();
    assert!(me.email.is_some());
    // And a stream dropped after one item does not poison anything either.
    use futures_util::StreamExt as _;
    let mut looks = client
        .looks()
        .list_all(heygen_async::model::ListLooksQuery::new().limit(5));
    assert!(looks.next().await.unwrap().is_ok());
    drop(looks);
    client.users().me().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn br21_a_cross_origin_redirect_is_not_followed_and_the_key_never_leaves() {
    let (emu, client) = start().await;
    emu.inject(
        FaultRule::new(
            "/v3/videos/*",
            Fault::Redirect {
                status: 302,
                host: None,
            },
        )
        .method("GET"),
    );
    let err = client
        .videos()
        .get(&VideoId::new("vid_0001").unwrap())
        .await
        .unwrap_err();
    let Error::UnexpectedRedirect(r) = &err else {
        panic!("expected a refused redirect, got {err:?}");
    };
    assert_eq!(r.status.as_u16(), 302);
    let location = r.location.as_deref().unwrap();
    assert!(location.starts_with(&emu.other_origin_url()), "{location}");
    assert!(
        emu.other_origin_requests().is_empty(),
        "the other origin was contacted"
    );
    let sent = emu.requests();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].headers.contains_key("x-api-key"));
    assert!(!err.to_string().contains(emu.api_key()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn br15_the_presigned_put_carries_no_credentials_and_the_exact_bytes() {
    let (emu, client) = start().await;
    let dir = std::env::temp_dir().join(format!("heygen-async-br15-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clip.mp4");
    let mut bytes = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    bytes.resize(300_000, 7);
    std::fs::write(&path, &bytes).unwrap();
    // The first complete answers 409 "not found yet"; the client retries it.
    emu.inject(
        FaultRule::new(
            "/v3/assets/*/complete",
            Fault::Status {
                status: 409,
                code: Some("conflict".into()),
                message: Some("Uploaded object not found yet".into()),
                retry_after: None,
            },
        )
        .method("POST")
        .times(1),
    );
    let sent = Arc::new(AtomicU64::new(0));
    let seen = sent.clone();
    let client = client.with_progress(move |done, total| {
        assert!(done <= total);
        seen.store(done, Ordering::SeqCst);
    });
    let done = client.assets().direct_upload(&path).await.unwrap();
    assert_eq!(done.size_bytes, Some(300_000));
    assert_eq!(sent.load(Ordering::SeqCst), 300_000);
    let log = emu.requests();
    let puts: Vec<_> = log.iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 1);
    let put = puts[0];
    assert!(!put.headers.contains_key("x-api-key"));
    assert!(!put.headers.contains_key("authorization"));
    assert!(!put.headers.contains_key("idempotency-key"));
    assert_eq!(put.body_bytes, 300_000);
    assert_eq!(put.status, 200);
    let completes = log.iter().filter(|r| r.path.ends_with("/complete")).count();
    assert_eq!(completes, 2, "the 409 was retried once");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_put_from_a_reader_names_the_asset_and_is_not_replayed() {
    let (emu, client) = start().await;
    let upload = client
        .assets()
        .create_direct_upload(CreateDirectUploadRequest::new("a.mp4", "video/mp4", 1000))
        .await
        .unwrap();
    emu.inject(FaultRule::new("/_storage/**", Fault::Close).method("PUT"));
    let reader = std::io::Cursor::new(vec![1u8; 1000]);
    let err = client
        .assets()
        .put_direct_upload(&upload, reader, 1000)
        .await
        .unwrap_err();
    let Error::UploadFailed(failed) = &err else {
        panic!("expected an upload failure, got {err:?}");
    };
    assert_eq!(failed.asset_id, upload.asset_id.as_str());
    let puts = emu.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 1, "a consumed reader is never sent again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_upload_put_through_hyper_reports_the_digest_and_completes_with_it() {
    let (emu, client) = start().await;
    let bytes = vec![7u8; 200_000];
    let upload = client
        .assets()
        .create_direct_upload(CreateDirectUploadRequest::new(
            "a.mp4",
            "video/mp4",
            200_000,
        ))
        .await
        .unwrap();
    let digest = client
        .assets()
        .put_direct_upload(&upload, std::io::Cursor::new(bytes.clone()), 200_000)
        .await
        .unwrap();
    assert_eq!(digest, heygen_core::upload::Sha256::hex_digest(&bytes));
    // The whole flow from a path sends that checksum with the complete call.
    let dir = std::env::temp_dir().join(format!("heygen-async-digest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clip.mp4");
    let mut clip = b"\x00\x00\x00\x18ftypmp42".to_vec();
    clip.resize(300_000, 3);
    std::fs::write(&path, &clip).unwrap();
    client.assets().direct_upload(&path).await.unwrap();
    let completes: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/complete"))
        .collect();
    assert_eq!(completes.len(), 1);
    // `{"checksum_sha256":"<64 hex digits>"}`, not `{}`; the emulator verifies it.
    assert_eq!(
        completes[0].body_bytes, 86,
        "the complete call carries the checksum"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multipart_upload_streams_from_a_reader() {
    let (emu, client) = start().await;
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.resize(50_000, 1);
    let reader = std::io::Cursor::new(png.clone());
    let asset = client
        .assets()
        .upload(reader, "p.png", "image/png", 50_000)
        .await
        .unwrap();
    assert_eq!(asset.size_bytes, 50_000);
    assert_eq!(asset.mime_type, "image/png");
    let log = emu.requests();
    assert!(log[0].headers["content-type"].starts_with("multipart/form-data; boundary="));
    // Over 32 MB is refused before sending, pointing to direct upload.
    let err = client
        .assets()
        .upload(
            tokio::io::empty().take(0),
            "big.mp4",
            "video/mp4",
            40_000_000,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("direct"), "{err}");
    assert_eq!(emu.requests().len(), 1);
}

#[tokio::test]
async fn transport_failures_map_to_the_core_kinds() {
    // Nothing listens: connect refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = Config::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key("k")
        .retry_policy(heygen_async::RetryPolicy::never())
        .build()
        .unwrap();
    let err = Client::new(config).unwrap().users().me().await.unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(heygen_async::TransportErrorKind::Connect),
        "{err:?}"
    );

    // TLS to a plain-HTTP server: the handshake fails.
    let emu = Emulator::start_async(EmulatorOptions::default())
        .await
        .unwrap();
    let config = Config::builder()
        .base_url(emu.base_url().replace("http://", "https://"))
        .api_key(emu.api_key())
        .retry_policy(heygen_async::RetryPolicy::never())
        .build()
        .unwrap();
    let err = Client::new(config).unwrap().users().me().await.unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(heygen_async::TransportErrorKind::Tls),
        "{err:?}"
    );
    assert!(!format!("{err:?}").contains(emu.api_key()));
}

/// A tiny keep-alive HTTP/1.1 server that answers every request with the same user and counts
/// the connections it accepts.
async fn counting_server() -> (String, Arc<AtomicU64>) {
    use tokio::io::AsyncWriteExt as _;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicU64::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let body = br#"{"data":{"username":"pool","email":"pool@example.com"}}"#;
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        buf.drain(..end + 4);
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                            body.len()
                        );
                        if socket.write_all(head.as_bytes()).await.is_err()
                            || socket.write_all(body).await.is_err()
                        {
                            return;
                        }
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), connections)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_reuse_pooled_connections() {
    let (base, connections) = counting_server().await;
    let config = Config::builder()
        .base_url(base)
        .api_key("k")
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let wave = |client: Client| async move {
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let client = client.clone();
            tasks.push(tokio::spawn(async move { client.users().me().await }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
    };
    wave(client.clone()).await;
    let after_first = connections.load(Ordering::SeqCst);
    assert!((1..=32).contains(&after_first), "{after_first}");
    // Sequential calls and a second wave reuse what the pool holds.
    for _ in 0..16 {
        client.users().me().await.unwrap();
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        after_first,
        "sequential calls reused a connection"
    );
    wave(client.clone()).await;
    println!(
        "connections: {after_first} for the first 32 concurrent requests, {} after 80 requests",
        connections.load(Ordering::SeqCst)
    );
}

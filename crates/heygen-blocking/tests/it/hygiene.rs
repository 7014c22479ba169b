//! Upload and redirect hygiene against the emulator (BR-15, BR-21), the bounded body read and
//! the stale pooled connection, on the real ureq transport.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use heygen_blocking::Client;
use heygen_core::{Config, Error, RetryPolicy};
use heygen_emulator::{Emulator, EmulatorOptions, Fault, FaultRule};
use heygen_model::VideoId;

fn client_for(base: &str, key: &str) -> Client {
    let config = Config::builder()
        .base_url(base)
        .api_key(key)
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(20)))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

#[test]
fn br15_presigned_put_carries_no_credentials() {
    let emu = Emulator::start(EmulatorOptions::default()).unwrap();
    let client = client_for(&emu.base_url(), emu.api_key());
    let dir = std::env::temp_dir().join(format!("heygen-blocking-br15-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clip.mp4");
    let mut bytes = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    bytes.resize(700_000, 3);
    std::fs::write(&path, &bytes).unwrap();
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
        .times(1),
    );
    let done = client.assets().direct_upload(&path).unwrap();
    let log = emu.requests();
    let puts: Vec<_> = log.iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 1);
    let put = puts[0];
    assert!(!put.headers.contains_key("x-api-key"), "{:?}", put.headers);
    assert!(!put.headers.contains_key("authorization"));
    assert!(!put.headers.contains_key("idempotency-key"));
    assert!(!put.headers.contains_key("user-agent"));
    assert_eq!(put.body_bytes, 700_000);
    assert_eq!(
        put.headers.get("content-type").map(String::as_str),
        Some("video/mp4")
    );
    let completes = log.iter().filter(|r| r.path.ends_with("/complete")).count();
    assert_eq!(completes, 2, "the 409 not-found-yet is retried once");
    // The emulator checked the checksum sent on complete against the bytes it received.
    assert_eq!(
        done.asset_id.as_str(),
        put.path.rsplit('/').next().unwrap_or_default()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn br21_cross_origin_redirect_is_not_followed() {
    let emu = Emulator::start(EmulatorOptions::default()).unwrap();
    let client = client_for(&emu.base_url(), emu.api_key());
    emu.inject(FaultRule::new(
        "/v3/videos/*",
        Fault::Redirect {
            status: 302,
            host: None,
        },
    ));
    let err = client
        .videos()
        .get(&VideoId::new("vid_0001").unwrap())
        .unwrap_err();
    let Error::UnexpectedRedirect(redirect) = &err else {
        panic!("expected a refused redirect, got {err:?}");
    };
    assert_eq!(redirect.status.as_u16(), 302);
    let other = emu.other_origin_url();
    assert!(
        redirect
            .location
            .as_deref()
            .unwrap_or_default()
            .starts_with(&other)
    );
    println!("BR-21: {err}");
    assert!(
        emu.other_origin_requests().is_empty(),
        "the other origin saw a request"
    );
    assert_eq!(emu.requests().len(), 1);
}

/// A server that answers one request with an endless body; counts the bytes it managed to send.
#[test]
fn an_endless_body_is_cut_at_the_limit() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000000000\r\n\r\n{\"data\":\"",
            );
            let chunk = vec![b'a'; 64 * 1024];
            while stream.write_all(&chunk).is_ok() {
                counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                if counter.load(Ordering::Relaxed) > 2_000_000_000 {
                    break;
                }
            }
        }
    });
    let config = Config::builder()
        .base_url(format!("http://{addr}"))
        .api_key("k")
        .max_response_bytes(256 * 1024)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let started = Instant::now();
    let err = client.users().me().unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(200));
    // Socket buffers hold a few MB at most; the client stopped reading long before 2 GB.
    assert!(sent.load(Ordering::Relaxed) < 64 * 1024 * 1024);
}

/// A server whose first connection answers one request with keep-alive, then closes on the
/// next request without a byte of response (a connection that went stale in the pool); later
/// connections answer normally. Returns its address and a connection counter.
fn stale_server() -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    std::thread::spawn(move || {
        let body = br#"{"data":{"username":"u"}}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        for (n, stream) in listener.incoming().take(4).enumerate() {
            let Ok(mut stream) = stream else { continue };
            count.fetch_add(1, Ordering::Relaxed);
            let mut buf = [0u8; 4096];
            if stream.read(&mut buf).unwrap_or(0) == 0 {
                continue;
            }
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
            let _ = stream.flush();
            if n == 0 {
                // The next request on this kept-alive connection gets no answer at all.
                let _ = stream.read(&mut buf);
            }
            drop(stream);
        }
    });
    (addr, connections)
}

fn stale_client(addr: std::net::SocketAddr, retries: u32) -> Client {
    let config = Config::builder()
        .base_url(format!("http://{addr}"))
        .api_key("k")
        .retry_policy(
            RetryPolicy::new()
                .max_retries(retries)
                .base_delay(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

#[test]
fn a_stale_pooled_connection_is_retried_for_a_get() {
    // Without retries the stale connection surfaces as "closed before any response".
    let (addr, _) = stale_server();
    let client = stale_client(addr, 0);
    assert_eq!(client.users().me().unwrap().username.as_deref(), Some("u"));
    let err = client.users().me().unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(heygen_core::TransportErrorKind::ClosedBeforeResponse),
        "{err:?}"
    );
    // With the core's retry, the GET goes again on a fresh connection.
    let (addr, connections) = stale_server();
    let client = stale_client(addr, 1);
    assert_eq!(client.users().me().unwrap().username.as_deref(), Some("u"));
    assert_eq!(client.users().me().unwrap().username.as_deref(), Some("u"));
    assert_eq!(connections.load(Ordering::Relaxed), 2);
}

#[test]
fn api_requests_carry_the_key_and_no_ureq_defaults() {
    let emu = Emulator::start(EmulatorOptions::default()).unwrap();
    let client = client_for(&emu.base_url(), emu.api_key());
    client.users().me().unwrap();
    let log = emu.requests();
    let get = &log[0];
    assert_eq!(
        get.headers.get("x-api-key").map(String::as_str),
        Some("<redacted>")
    );
    let ua = get.headers.get("user-agent").cloned().unwrap_or_default();
    assert!(ua.starts_with("heygen-rs/"), "{ua}");
    assert!(
        !get.headers.contains_key("content-length"),
        "{:?}",
        get.headers
    );
    assert!(!get.headers.contains_key("transfer-encoding"));
    assert_eq!(
        get.headers.get("accept-encoding").map(String::as_str),
        Some("gzip")
    );
}

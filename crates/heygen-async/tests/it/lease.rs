//! A reader lent to an attempt that never read it comes back for the retry: a refused
//! connection before the body is sent does not spend the caller's reader (as on the blocking
//! client); once a byte was read, a retry reports it consumed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use heygen_async::{
    Client, Config, Error, RequestBody, RetryPolicy, SendOptions, Transport, TransportError,
    TransportErrorKind,
};
use http::{Request, Response};

/// Fails the first `refuse` attempts with `kind` (after reading the body when
/// `read_before_failing`); answers the next with an asset, recording the body's length.
struct Flaky {
    attempts: AtomicUsize,
    refuse: usize,
    read_before_failing: bool,
    kind: TransportErrorKind,
    body_len: AtomicUsize,
}

#[async_trait]
impl Transport for Flaky {
    async fn send(
        &self,
        request: Request<RequestBody>,
        _options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let attempt = self.attempts.fetch_add(1, Ordering::SeqCst);
        if attempt < self.refuse {
            if self.read_before_failing {
                let _ = request.into_body().into_bytes().await;
            }
            return Err(TransportError::new(self.kind, None));
        }
        let body = request
            .into_body()
            .into_bytes()
            .await
            .map_err(TransportError::body)?;
        self.body_len.store(body.len(), Ordering::SeqCst);
        Ok(Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Bytes::from_static(
                br#"{"data":{"asset_id":"asset_0001","url":"https://files.example.com/a","mime_type":"image/png","size_bytes":100}}"#,
            ))
            .unwrap())
    }
}

fn client(transport: Arc<Flaky>) -> Client {
    struct Shared(Arc<Flaky>);
    #[async_trait]
    impl Transport for Shared {
        async fn send(
            &self,
            request: Request<RequestBody>,
            options: &SendOptions,
        ) -> Result<Response<Bytes>, TransportError> {
            self.0.send(request, options).await
        }
    }
    let config = Config::builder()
        .api_key("hg_test_KEY")
        .retry_policy(
            RetryPolicy::new()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    Client::with_transport(config, Shared(transport))
}

fn flaky(read_before_failing: bool) -> Arc<Flaky> {
    Arc::new(Flaky {
        attempts: AtomicUsize::new(0),
        refuse: 1,
        read_before_failing,
        kind: TransportErrorKind::Connect,
        body_len: AtomicUsize::new(0),
    })
}

#[tokio::test]
async fn a_reader_no_attempt_read_is_sent_by_the_retry() {
    let transport = flaky(false);
    let png = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 92]].concat();
    let asset = client(transport.clone())
        .assets()
        .upload(std::io::Cursor::new(png), "a.png", "image/png", 100)
        .await
        .unwrap();
    assert_eq!(asset.asset_id.as_str(), "asset_0001");
    assert_eq!(transport.attempts.load(Ordering::SeqCst), 2);
    assert!(
        transport.body_len.load(Ordering::SeqCst) > 100,
        "the retry sent the file"
    );
}

#[tokio::test]
async fn a_reader_an_attempt_read_is_not_sent_again() {
    let transport = flaky(true);
    let png = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 92]].concat();
    let error = client(transport.clone())
        .assets()
        .upload(std::io::Cursor::new(png), "a.png", "image/png", 100)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport(_)),
        "the first attempt's failure, not a success: {error:?}"
    );
    assert_eq!(
        transport.attempts.load(Ordering::SeqCst),
        1,
        "no second attempt"
    );
}

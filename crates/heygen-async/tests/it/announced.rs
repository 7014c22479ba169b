//! A server announcing a huge `Content-Length` gets an error, never a panic or an abort from
//! reserving what it announced.

use std::time::Duration;

use heygen_async::{Client, Config, RetryPolicy};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Answers one request with `content-length: u64::MAX - 2`, sends two small pieces (two body
/// frames on the client side), then closes.
async fn lying_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut chunk).await.unwrap();
            if n == 0 {
                return;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{{\"da",
            u64::MAX - 2
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let _ = socket.write_all(b"ta\":").await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_huge_announced_content_length_is_an_error_not_a_panic() {
    let config = Config::builder()
        .base_url(lying_server().await)
        .api_key("k")
        // "No limit" as a user would write it.
        .max_response_bytes(usize::MAX)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let call = tokio::spawn(async move { client.users().me().await });
    let joined = call.await;
    assert!(
        !joined.as_ref().is_err_and(tokio::task::JoinError::is_panic),
        "the client panicked: {joined:?}"
    );
    assert!(joined.unwrap().is_err());
}

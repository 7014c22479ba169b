//! A whole-request timeout holds for a response that arrives after it, however short the
//! timeout (the socket timeouts are rounded, but never below 100 ms or by more than 1 %).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use heygen_blocking::Client;
use heygen_core::{Config, RetryPolicy, Timeouts};

#[test]
fn a_response_after_a_20_ms_timeout_is_a_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf);
        // Answer 60 ms after the request; the client's timeout is 20 ms.
        std::thread::sleep(Duration::from_millis(60));
        let body = br#"{"data":{"username":"late","email":"late@example.com"}}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        let _ = socket.write_all(head.as_bytes());
        let _ = socket.write_all(body);
        std::thread::sleep(Duration::from_millis(200));
    });
    let config = Config::builder()
        .base_url(format!("http://{addr}"))
        .api_key("k")
        .timeouts(Timeouts::new().read(Duration::from_millis(20)))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let result = Client::new(config).unwrap().users().me();
    let error = result.expect_err("a 20 ms timeout accepted a response sent after 60 ms");
    assert!(error.is_timeout(), "{error:?}");
}

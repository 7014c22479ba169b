//! Receives HeyGen webhooks with axum, verifying each delivery over its raw body bytes.
//!
//! `HEYGEN_WEBHOOK_SECRET=whsec_… cargo run -p heygen-async --example webhook_receiver` serves
//! `POST /webhooks/heygen` on `127.0.0.1:3000` until stopped. Without the variable it uses a demo
//! secret, posts itself one signed delivery, prints it and exits.
//!
//! The handler takes the body as `Bytes`, never `Json<_>`: the signature covers the exact bytes
//! HeyGen sent, and parsing then re-serializing changes them.

#![allow(clippy::print_stdout, reason = "an example prints its results")]

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use heygen_async::core::webhook::{Verifier, sign};
use heygen_async::model::webhook::{WebhookEvent, WebhookSecret};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

struct Receiver {
    verifier: Verifier,
    /// Replay keys already handled: HeyGen retries deliveries, so the same event can come again.
    seen: Mutex<HashSet<String>>,
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let verified = match receiver.verifier.verify(&headers, &body, SystemTime::now()) {
        Ok(verified) => verified,
        Err(error) => {
            println!("refused: {error}");
            return StatusCode::UNAUTHORIZED;
        }
    };
    // The body's signed event id, else the body's digest: never the unsigned header alone.
    let key = verified.replay_key().to_owned();
    if !receiver
        .seen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key)
    {
        return StatusCode::OK; // a redelivery: already handled
    }
    match &verified.delivery.event {
        WebhookEvent::VideoSucceeded(video) => println!("video {} is ready", video.video_id),
        WebhookEvent::VideoFailed(video) => println!(
            "video {} failed: {}",
            video.video_id,
            video.message.as_deref().unwrap_or("(no message)")
        ),
        other => println!("event {}", other.event_type()),
    }
    StatusCode::OK
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let configured = std::env::var("HEYGEN_WEBHOOK_SECRET").ok();
    let secret = WebhookSecret::new(configured.clone().unwrap_or_else(|| "whsec_DEMO".into()))?;
    let receiver = Arc::new(Receiver {
        verifier: Verifier::new(secret.clone()),
        seen: Mutex::new(HashSet::new()),
    });
    let app = Router::new()
        .route("/webhooks/heygen", post(receive))
        .with_state(receiver);
    let address = if configured.is_some() {
        "127.0.0.1:3000"
    } else {
        "127.0.0.1:0"
    };
    let listener = tokio::net::TcpListener::bind(address).await?;
    let local = listener.local_addr()?;
    println!("listening on http://{local}/webhooks/heygen");
    if configured.is_some() {
        axum::serve(listener, app).await?;
        return Ok(());
    }
    tokio::spawn(async move { axum::serve(listener, app).await });
    let status = post_signed_delivery(local, &secret).await?;
    println!("the receiver answered {status}");
    Ok(())
}

/// Posts one delivery signed as HeyGen signs it, over a plain TCP connection.
async fn post_signed_delivery(
    to: std::net::SocketAddr,
    secret: &WebhookSecret,
) -> std::io::Result<String> {
    let body = br#"{"event_id":"evt_demo","event_type":"avatar_video.success","event_data":{"video_id":"vid_0001","url":"https://files.example.com/v.mp4","callback_id":null}}"#;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let head = format!(
        "POST /webhooks/heygen HTTP/1.1\r\nhost: {to}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nheygen-signature: {}\r\nheygen-timestamp: {now}\r\n\
         heygen-event-id: evt_demo\r\nconnection: close\r\n\r\n",
        body.len(),
        sign(body, secret)
    );
    let mut stream = tokio::net::TcpStream::connect(to).await?;
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    Ok(answer.lines().next().unwrap_or_default().to_owned())
}

//! Webhooks: endpoint management, events, and signed deliveries to real local receivers
//! (checked with the SDK's own verifier), retries, secret rotation and the loopback rule.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use heygen_core::model::webhook::{WebhookEvent, WebhookSecret};
use heygen_core::webhook::{Verifier, WebhookError};
use heygen_emulator::{DeliveryAttempt, EmulatorOptions, MAX_DELIVERY_ATTEMPTS};
use serde_json::{Value, json};

use crate::Emu;

const STUDIO_LOOK: &str = "Abigail_office_front_public";
/// How long a receiver waits for a delivery that should come.
const ARRIVES: Duration = Duration::from_secs(10);
/// How long a receiver listens to be sure that nothing (more) comes.
const QUIET: Duration = Duration::from_millis(1500);

/// What a receiver answers to one delivery.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Status(u16),
    /// Reads the request, then says nothing for this long and closes.
    Hang(Duration),
}

/// One request a receiver got.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

impl Hit {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// Verifies the delivery with the SDK's verifier and `secret`.
    fn verify(&self, secret: &str) -> Result<heygen_core::webhook::VerifiedEvent, WebhookError> {
        Verifier::new(WebhookSecret::new(secret).unwrap()).verify(
            &self.headers,
            &self.body,
            SystemTime::now(),
        )
    }
}

/// A local webhook receiver on 127.0.0.1 (plain HTTP, or TLS with a test certificate): it
/// answers the scripted answers in order, then 200, and reports every request it reads.
struct Receiver {
    url: String,
    hits: mpsc::Receiver<Hit>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl Receiver {
    fn start(script: &[Answer]) -> Self {
        Self::start_with(script, None)
    }

    fn start_tls(script: &[Answer]) -> Self {
        use rustls::pki_types::pem::PemObject as _;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let cert =
            CertificateDer::from_pem_slice(include_bytes!("tls/localhost.cert.pem")).unwrap();
        let key = PrivateKeyDer::from_pem_slice(include_bytes!("tls/localhost.key.pem")).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
        Self::start_with(script, Some(Arc::new(config)))
    }

    fn start_with(script: &[Answer], tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://127.0.0.1:{port}/hooks");
        let (tx, hits) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(tcp) = conn else { continue };
                let answer = script
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or(Answer::Status(200));
                let tx = tx.clone();
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
                    if let Some(config) = tls {
                        let conn = rustls::ServerConnection::new(config).unwrap();
                        let mut s = rustls::StreamOwned::new(conn, tcp);
                        serve_one(&mut s, answer, &tx);
                    } else {
                        let mut s = tcp;
                        serve_one(&mut s, answer, &tx);
                    }
                });
            }
        });
        Self {
            url,
            hits,
            stop,
            port,
        }
    }

    /// The next delivery; fails the test when none comes in time.
    #[track_caller]
    fn next(&self) -> Hit {
        self.hits
            .recv_timeout(ARRIVES)
            .expect("no webhook delivery arrived")
    }

    /// Asserts that no (further) delivery arrives for a while.
    #[track_caller]
    fn assert_quiet(&self) {
        if let Ok(hit) = self.hits.recv_timeout(QUIET) {
            panic!(
                "unexpected delivery to {}: {}",
                self.url,
                String::from_utf8_lossy(&hit.body)
            );
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve_one<S: Read + Write>(s: &mut S, answer: Answer, tx: &mpsc::Sender<Hit>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or_default()
        .to_owned();
    let mut headers = ureq::http::HeaderMap::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            headers.append(
                ureq::http::HeaderName::from_bytes(k.trim().as_bytes()).unwrap(),
                v.trim().parse().unwrap(),
            );
        }
    }
    let len: usize = headers
        .get("content-length")
        .map_or(0, |v| v.to_str().unwrap().parse().unwrap());
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    let _ = tx.send(Hit {
        path,
        headers,
        body,
    });
    match answer {
        Answer::Status(status) => {
            let _ = write!(
                s,
                "HTTP/1.1 {status} Scripted\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            );
            let _ = s.flush();
        }
        Answer::Hang(d) => std::thread::sleep(d),
    }
}

/// Registers an endpoint; returns `(endpoint_id, secret)`.
fn register(emu: &Emu, url: &str, events: Option<&[&str]>) -> (String, String) {
    let mut body = json!({ "url": url });
    if let Some(e) = events {
        body["events"] = json!(e);
    }
    let v = emu.post("/v3/webhooks/endpoints", &body);
    (
        v["data"]["endpoint_id"].as_str().unwrap().to_owned(),
        v["data"]["secret"].as_str().unwrap().to_owned(),
    )
}

fn video(emu: &Emu, extra: &Value) -> String {
    let mut body = json!({"type": "avatar", "avatar_id": STUDIO_LOOK, "script": "Hello"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let v = emu.post("/v3/videos", &body);
    v["data"]["video_id"].as_str().unwrap().to_owned()
}

/// Waits until the delivery log satisfies `done`; returns it.
#[track_caller]
fn deliveries_until(emu: &Emu, done: impl Fn(&[DeliveryAttempt]) -> bool) -> Vec<DeliveryAttempt> {
    let start = Instant::now();
    loop {
        let log = emu.h.webhook_deliveries();
        if done(&log) {
            return log;
        }
        assert!(
            start.elapsed() < ARRIVES,
            "the delivery log never got there: {log:#?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn is_iso8601(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn endpoints_are_created_listed_updated_rotated_and_deleted() {
    let emu = Emu::start();
    let reply_a = emu.post(
        "/v3/webhooks/endpoints",
        &json!({"url": "http://127.0.0.1:9/a", "events": ["avatar_video.success"]}),
    );
    let ep_a = &reply_a["data"];
    let a_id = ep_a["endpoint_id"].as_str().unwrap().to_owned();
    assert!(
        ep_a["secret"].as_str().unwrap().starts_with("whsec_"),
        "{ep_a}"
    );
    assert_eq!(ep_a["status"], "enabled");
    assert_eq!(ep_a["url"], "http://127.0.0.1:9/a");
    assert_eq!(ep_a["events"], json!(["avatar_video.success"]));
    let created = ep_a["created_at"].as_str().unwrap();
    assert!(is_iso8601(created), "{created}");
    assert!(created.starts_with("2026-05-28T20:26:"), "{created}");

    let second_endpoint = emu.post(
        "/v3/webhooks/endpoints",
        &json!({"url": "http://localhost:9/b", "events": null}),
    );
    let b_id = second_endpoint["data"]["endpoint_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        second_endpoint["data"]["events"],
        Value::Null,
        "null means every event"
    );
    assert_ne!(second_endpoint["data"]["secret"], ep_a["secret"]);

    // Listed newest first, paginated, never with a secret.
    let all = emu.get("/v3/webhooks/endpoints");
    let items = all["data"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["endpoint_id"], b_id.as_str());
    assert!(items.iter().all(|e| e.get("secret").is_none()), "{all}");
    assert_eq!(all["has_more"], false);
    let page_one = emu.get("/v3/webhooks/endpoints?limit=1");
    assert_eq!(page_one["has_more"], true);
    let token = page_one["next_token"].as_str().unwrap();
    let second = emu.get(&format!("/v3/webhooks/endpoints?limit=1&token={token}"));
    assert_eq!(second["data"][0]["endpoint_id"], a_id.as_str());
    assert_eq!(second["has_more"], false);
    emu.call("GET", "/v3/webhooks/endpoints?limit=0", None)
        .assert_error(400, "invalid_parameter", Some("limit"));
    emu.call("GET", "/v3/webhooks/endpoints?limit=101", None)
        .assert_error(400, "invalid_parameter", Some("limit"));

    // PATCH replaces the events and leaves what it does not name.
    let path = format!("/v3/webhooks/endpoints/{a_id}");
    let patched = emu.ok(
        "PATCH",
        &path,
        Some(&json!({"events": ["avatar_video.fail", "instant_avatar.success"]})),
    );
    assert_eq!(
        patched["data"]["events"],
        json!(["avatar_video.fail", "instant_avatar.success"])
    );
    assert_eq!(patched["data"]["url"], "http://127.0.0.1:9/a");
    assert!(patched["data"].get("secret").is_none());
    let patched = emu.ok(
        "PATCH",
        &path,
        Some(&json!({"url": "http://[::1]:9/moved"})),
    );
    assert_eq!(patched["data"]["url"], "http://[::1]:9/moved");
    assert_eq!(
        patched["data"]["events"],
        json!(["avatar_video.fail", "instant_avatar.success"])
    );
    let patched = emu.ok("PATCH", &path, Some(&json!({})));
    assert_eq!(patched["data"]["url"], "http://[::1]:9/moved");
    let patched = emu.ok("PATCH", &path, Some(&json!({"events": null})));
    assert_eq!(patched["data"]["events"], Value::Null);
    assert_eq!(patched["data"]["created_at"], created);

    let reply = emu.post(&format!("{path}/rotate-secret"), &json!({}));
    assert_eq!(reply["data"]["endpoint_id"], a_id.as_str());
    let rotated = reply["data"]["secret"].as_str().unwrap();
    assert!(rotated.starts_with("whsec_") && rotated != ep_a["secret"].as_str().unwrap());

    // Unknown event types are refused by the schema.
    let reply = emu.call(
        "POST",
        "/v3/webhooks/endpoints",
        Some(&json!({"url": "http://127.0.0.1:9/", "events": ["avatar_video.done"]})),
    );
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(
        reply.json()["error"]["param"]
            .as_str()
            .unwrap()
            .starts_with("events")
    );
    emu.call("POST", "/v3/webhooks/endpoints", Some(&json!({})))
        .assert_error(400, "invalid_parameter", Some("url"));

    let deleted = emu.ok("DELETE", &path, None);
    assert_eq!(deleted, json!({"data": {}}));
    emu.call("DELETE", &path, None)
        .assert_error(404, "not_found", None);
    emu.call("PATCH", &path, Some(&json!({})))
        .assert_error(404, "not_found", None);
    emu.call("POST", &format!("{path}/rotate-secret"), None)
        .assert_error(404, "not_found", None);
    let left = emu.get("/v3/webhooks/endpoints");
    assert_eq!(left["data"].as_array().unwrap().len(), 1);

    let types = emu.get("/v3/webhooks/event-types");
    let types = types["data"].as_array().unwrap();
    assert_eq!(types.len(), 30);
    for t in [
        "avatar_video.success",
        "avatar_video.fail",
        "photo_avatar_train.success",
        "instant_avatar.fail",
        "batch.finished",
    ] {
        let item = types.iter().find(|i| i["event_type"] == t).unwrap();
        assert!(!item["description"].as_str().unwrap().is_empty());
    }
    assert!(emu.h.schema_violations().is_empty());
}

#[test]
fn only_loopback_urls_are_accepted() {
    let emu = Emu::start();
    for bad in [
        "https://example.com/hooks",
        "http://192.168.1.10/hooks",
        "http://127.0.0.1@example.com/hooks",
        "http://localhost.example.com/hooks",
        "ftp://127.0.0.1/hooks",
        "not a url",
    ] {
        let r = emu.call(
            "POST",
            "/v3/webhooks/endpoints",
            Some(&json!({ "url": bad })),
        );
        r.assert_error(400, "invalid_parameter", Some("url"));
    }
    let r = emu.call(
        "POST",
        "/v3/webhooks/endpoints",
        Some(&json!({"url": "https://example.com/hooks"})),
    );
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("loopback")
    );
    for good in [
        "http://127.0.0.1:8080/hooks",
        "https://localhost/hooks",
        "http://[::1]:9000/",
        "HTTP://LOCALHOST:1",
    ] {
        emu.post("/v3/webhooks/endpoints", &json!({ "url": good }));
    }
    let (id, _) = register(&emu, "http://127.0.0.1:9/keep", None);
    let path = format!("/v3/webhooks/endpoints/{id}");
    emu.call(
        "PATCH",
        &path,
        Some(&json!({"url": "https://hooks.example.com/"})),
    )
    .assert_error(400, "invalid_parameter", Some("url"));
    let list = emu.get("/v3/webhooks/endpoints");
    let kept = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["endpoint_id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(kept["url"], "http://127.0.0.1:9/keep");
    // Nothing was ever sent anywhere.
    assert!(emu.h.webhook_deliveries().is_empty());
}

#[test]
fn a_completed_video_is_delivered_once_signed_and_verifies() {
    let emu = Emu::start();
    let rx = Receiver::start(&[]);
    let (endpoint_id, secret) = register(&emu, &rx.url, None);
    let vid = video(
        &emu,
        &json!({"callback_id": "order-42", "title": "Welcome"}),
    );
    emu.advance(60);
    rx.assert_quiet();
    emu.advance(6);
    let hit = rx.next();
    assert_eq!(hit.path, "/hooks");
    assert_eq!(hit.header("content-type"), Some("application/json"));
    let body = hit.json();
    assert_eq!(body["event_type"], "avatar_video.success");
    let data = &body["event_data"];
    assert_eq!(data["video_id"], vid.as_str());
    assert_eq!(data["callback_id"], "order-42");
    let url = data["url"].as_str().unwrap();
    assert!(url.contains(&vid), "{url}");
    let event_id = body["event_id"].as_str().unwrap();
    assert_eq!(hit.header("heygen-event-id"), Some(event_id));
    assert!(is_iso8601(body["created_at"].as_str().unwrap()), "{body}");
    let sent: u64 = hit.header("heygen-timestamp").unwrap().parse().unwrap();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        sent.abs_diff(now) < 60,
        "real Unix seconds: {sent} vs {now}"
    );
    let sig = hit.header("heygen-signature").unwrap();
    assert!(
        sig.len() == 64 && sig.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "{sig}"
    );

    // The SDK's verifier accepts it with the endpoint's secret and refuses it with another.
    let verified = hit.verify(&secret).unwrap();
    assert_eq!(verified.event_id.as_deref(), Some(event_id));
    assert_eq!(verified.delivery.event.video_id(), Some(vid.as_str()));
    let WebhookEvent::VideoSucceeded(ok) = &verified.delivery.event else {
        panic!("{:?}", verified.delivery.event);
    };
    assert_eq!(ok.callback_id.as_deref(), Some("order-42"));
    assert_eq!(
        hit.verify("whsec_not_the_secret").unwrap_err(),
        WebhookError::SignatureMismatch
    );

    // Exactly once.
    emu.advance(600);
    rx.assert_quiet();
    let log = emu.h.webhook_deliveries();
    assert_eq!(log.len(), 1, "{log:#?}");
    let d = &log[0];
    assert_eq!(
        (d.event_id.as_str(), d.endpoint_id.as_deref(), d.attempt),
        (event_id, Some(endpoint_id.as_str()), 1)
    );
    assert!(d.signed && d.delivered && !d.will_retry && d.status == Some(200));
    assert_eq!(d.url, rx.url);

    // The same event, byte for byte the same object, is in the event list.
    let events = emu.get("/v3/webhooks/events");
    assert_eq!(events["data"], json!([body]));
    assert!(emu.h.schema_violations().is_empty());
}

#[test]
fn a_receiver_that_fails_gets_the_same_event_again() {
    let emu = Emu::start();
    let rx = Receiver::start(&[Answer::Status(500), Answer::Status(503)]);
    let (_, secret) = register(&emu, &rx.url, None);
    let (gid, lid) = emu.photo("Retry me");
    emu.advance(31);
    let first = rx.next();
    deliveries_until(&emu, |l| l.len() == 1);
    // The retry waits 5 emulated seconds.
    rx.assert_quiet();
    emu.advance(5);
    let second = rx.next();
    deliveries_until(&emu, |l| l.len() == 2);
    // Then 10 more.
    emu.advance(7);
    rx.assert_quiet();
    emu.advance(3);
    let third = rx.next();

    let id = first.header("heygen-event-id").unwrap().to_owned();
    for hit in [&second, &third] {
        assert_eq!(hit.header("heygen-event-id"), Some(id.as_str()));
        assert_eq!(hit.body, first.body, "the same body every time");
    }
    for hit in [&first, &second, &third] {
        let v = hit.verify(&secret).unwrap();
        assert_eq!(v.event_id.as_deref(), Some(id.as_str()));
        let WebhookEvent::PhotoAvatarTrainSucceeded(e) = &v.delivery.event else {
            panic!("{:?}", v.delivery.event);
        };
        assert_eq!(e.str_field("look_id"), Some(lid.as_str()));
        assert_eq!(e.str_field("group_id"), Some(gid.as_str()));
    }
    let log = deliveries_until(&emu, |l| l.len() == 3);
    let summary: Vec<_> = log
        .iter()
        .map(|d| (d.attempt, d.status, d.delivered, d.will_retry))
        .collect();
    assert_eq!(
        summary,
        [
            (1, Some(500), false, true),
            (2, Some(503), false, true),
            (3, Some(200), true, false)
        ]
    );
    emu.advance(3600);
    rx.assert_quiet();
}

#[test]
fn a_refused_connection_is_retried_with_backoff_up_to_the_cap() {
    let emu = Emu::start();
    // A port just freed, on a loopback address no other test listens on (they bind 127.0.0.1).
    let closed = {
        let l = TcpListener::bind("127.0.0.2:0").unwrap();
        l.local_addr().unwrap().port()
    };
    register(&emu, &format!("http://127.0.0.2:{closed}/gone"), None);
    emu.photo("Nobody listens");
    emu.advance(31);
    let mut wait = 5;
    for n in 1..=MAX_DELIVERY_ATTEMPTS {
        let log = deliveries_until(&emu, |l| l.len() == n as usize);
        let last = log.last().unwrap();
        assert_eq!(last.attempt, n);
        assert_eq!(last.status, None);
        assert!(
            last.error.as_deref().unwrap().contains("refused"),
            "{last:?}"
        );
        assert_eq!(last.will_retry, n < MAX_DELIVERY_ATTEMPTS);
        if n < MAX_DELIVERY_ATTEMPTS {
            emu.advance(wait - 1);
            std::thread::sleep(Duration::from_millis(200));
            assert_eq!(emu.h.webhook_deliveries().len(), n as usize, "too early");
            emu.advance(1);
            wait *= 2;
        }
    }
    let log = emu.h.webhook_deliveries();
    assert!(log.windows(2).all(|w| w[0].event_id == w[1].event_id));
    emu.advance(24 * 3600);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        emu.h.webhook_deliveries().len(),
        MAX_DELIVERY_ATTEMPTS as usize
    );
}

#[test]
fn a_receiver_that_hangs_times_out_without_holding_up_the_api() {
    // At 100× a 10-second timeout is 0.1 s, raised to the 1-second floor.
    let emu = Emu::with(EmulatorOptions::default().seed(7).speed(100.0));
    let rx = Receiver::start(&[Answer::Hang(Duration::from_secs(3))]);
    let (_, secret) = register(&emu, &rx.url, Some(&["photo_avatar_train.success"]));
    emu.photo("Slow receiver");
    let first = rx.next();
    let started = Instant::now();
    emu.get("/v3/users/me");
    assert!(started.elapsed() < Duration::from_millis(500));
    let log = deliveries_until(&emu, |l| !l.is_empty());
    assert_eq!(log[0].error.as_deref(), Some("timeout"));
    assert!(log[0].will_retry);
    let second = rx.next();
    assert_eq!(second.body, first.body);
    second.verify(&secret).unwrap();
    deliveries_until(&emu, |l| l.len() == 2 && l[1].delivered);
}

#[test]
fn rotate_secret_signs_the_next_delivery_with_the_new_secret_only() {
    let emu = Emu::start();
    let rx = Receiver::start(&[Answer::Status(200), Answer::Status(500)]);
    let (id, old) = register(&emu, &rx.url, None);
    emu.photo("Before");
    emu.advance(31);
    rx.next().verify(&old).unwrap();

    // This one fails once; the retry comes after the rotation.
    emu.photo("During");
    emu.advance(31);
    let failed = rx.next();
    failed.verify(&old).unwrap();
    deliveries_until(&emu, |l| l.len() == 2);
    let r = emu.post(
        &format!("/v3/webhooks/endpoints/{id}/rotate-secret"),
        &json!({}),
    );
    let new = r["data"]["secret"].as_str().unwrap().to_owned();
    emu.advance(5);
    let retried = rx.next();
    assert_eq!(retried.body, failed.body);
    retried.verify(&new).unwrap();
    assert_eq!(
        retried.verify(&old).unwrap_err(),
        WebhookError::SignatureMismatch
    );
    let both = Verifier::with_secrets([
        WebhookSecret::new(old.as_str()).unwrap(),
        WebhookSecret::new(new.as_str()).unwrap(),
    ])
    .unwrap();
    both.verify(&retried.headers, &retried.body, SystemTime::now())
        .unwrap();

    emu.photo("After");
    emu.advance(31);
    let next = rx.next();
    next.verify(&new).unwrap();
    assert_eq!(
        next.verify(&old).unwrap_err(),
        WebhookError::SignatureMismatch
    );
}

#[test]
fn unsubscribed_disabled_and_scoped_endpoints_get_nothing() {
    let emu = Emu::start();
    let fails_only = Receiver::start(&[]);
    let disabled = Receiver::start(&[]);
    let scoped = Receiver::start(&[]);
    let wanted = Receiver::start(&[]);
    let (fails_id, _) = register(&emu, &fails_only.url, Some(&["avatar_video.fail"]));
    let (disabled_id, _) = register(&emu, &disabled.url, None);
    assert!(emu.h.set_webhook_endpoint_enabled(&disabled_id, false));
    assert!(!emu.h.set_webhook_endpoint_enabled("nope", false));
    emu.post(
        "/v3/webhooks/endpoints",
        &json!({"url": scoped.url, "entity_id": "some_other_video"}),
    );
    let (wanted_id, _) = register(
        &emu,
        &wanted.url,
        Some(&["avatar_video.success", "avatar_video.fail"]),
    );
    let list = emu.get("/v3/webhooks/endpoints");
    let status = |id: &str| {
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["endpoint_id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(&disabled_id), "disabled");
    assert_eq!(status(&wanted_id), "enabled");

    let vid = video(&emu, &json!({}));
    emu.advance(66);
    assert_eq!(wanted.next().json()["event_data"]["video_id"], vid.as_str());
    for rx in [&fails_only, &disabled, &scoped, &wanted] {
        rx.assert_quiet();
    }
    let log = emu.h.webhook_deliveries();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].endpoint_id.as_deref(), Some(wanted_id.as_str()));

    // Re-enabled over the admin API, and re-subscribed by PATCH: both get the next one.
    let r = emu.raw(
        "POST",
        &format!("/_emulator/webhooks/endpoints/{disabled_id}/enable"),
        &[],
        Some(Vec::new()),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["endpoint"]["status"], "enabled");
    emu.ok(
        "PATCH",
        &format!("/v3/webhooks/endpoints/{fails_id}"),
        Some(&json!({"events": ["avatar_video.success"]})),
    );
    let second = video(&emu, &json!({}));
    emu.advance(66);
    for rx in [&fails_only, &disabled, &wanted] {
        assert_eq!(rx.next().json()["event_data"]["video_id"], second.as_str());
    }
    scoped.assert_quiet();
    let r = emu.raw("GET", "/_emulator/webhooks/deliveries", &[], None);
    assert_eq!(r.json()["deliveries"].as_array().unwrap().len(), 4);
}

#[test]
fn an_endpoint_scoped_to_an_entity_gets_only_its_events() {
    let emu = Emu::start();
    let rx = Receiver::start(&[]);
    let other = video(&emu, &json!({}));
    let mine = video(&emu, &json!({}));
    emu.post(
        "/v3/webhooks/endpoints",
        &json!({"url": rx.url, "entity_id": mine}),
    );
    emu.advance(66);
    assert_eq!(rx.next().json()["event_data"]["video_id"], mine.as_str());
    rx.assert_quiet();
    assert_ne!(other, mine);
}

#[test]
fn events_are_listed_newest_first_and_filter_by_type_and_entity() {
    let emu = Emu::start();
    // No endpoint at all: events are still recorded.
    let (photo_group, photo_look) = emu.photo("Photo ok");
    let (_, broken_look) = emu.photo("Photo [fail]");
    let ok_video = video(&emu, &json!({}));
    let bad_video = video(
        &emu,
        &json!({"title": "Broken [fail]", "callback_id": "cb-9"}),
    );
    let twin = emu.post(
        "/v3/avatars",
        &json!({"type": "digital_twin", "name": "Twin", "file": {"type": "url", "url": "https://example.com/f.mp4"}}),
    );
    let twin_group = twin["data"]["avatar_group"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let twin_look = twin["data"]["avatar_item"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let declined = emu.post(
        "/v3/avatars",
        &json!({"type": "digital_twin", "name": "No", "file": {"type": "url", "url": "https://example.com/f.mp4"}}),
    );
    let declined_group = declined["data"]["avatar_group"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let prompt = emu.post(
        "/v3/avatars",
        &json!({"type": "prompt", "name": "Prompted", "prompt": "A presenter"}),
    );
    let prompt_look = prompt["data"]["avatar_item"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(emu.h.approve_consent(&twin_group));
    assert!(emu.h.decline_consent(&declined_group));
    assert!(
        emu.get("/v3/webhooks/events")["data"]
            .as_array()
            .unwrap()
            .len()
            == 1,
        "only the declined twin so far"
    );
    emu.advance(200);

    let all = emu.get("/v3/webhooks/events?limit=100");
    let items = all["data"].as_array().unwrap();
    let kinds: Vec<&str> = items
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "instant_avatar.success",
            "avatar_video.fail",
            "avatar_video.success",
            "photo_avatar_generation.success",
            "photo_avatar_train.fail",
            "photo_avatar_train.success",
            "instant_avatar.fail",
        ],
        "newest first: {all}"
    );
    let times: Vec<&str> = items
        .iter()
        .map(|e| e["created_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert!(times.iter().all(|t| is_iso8601(t)));
    let ids: std::collections::HashSet<&str> = items
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), items.len(), "event ids are unique");

    let by = |q: &str| emu.get(&format!("/v3/webhooks/events?{q}"))["data"].clone();
    let fail = by("event_type=avatar_video.fail");
    assert_eq!(fail.as_array().unwrap().len(), 1);
    let data = &fail[0]["event_data"];
    assert_eq!(data["video_id"], bad_video.as_str());
    assert_eq!(data["callback_id"], "cb-9");
    assert!(!data["msg"].as_str().unwrap().is_empty());
    let success = by(&format!("entity_id={ok_video}"));
    assert_eq!(success.as_array().unwrap().len(), 1);
    assert_eq!(success[0]["event_type"], "avatar_video.success");
    assert_eq!(success[0]["event_data"]["callback_id"], Value::Null);
    let photo = by(&format!("entity_id={photo_group}"));
    assert_eq!(photo[0]["event_data"]["look_id"], photo_look.as_str());
    assert_eq!(photo[0]["event_data"]["avatar_type"], "photo_avatar");
    let broken = by(&format!("entity_id={broken_look}"));
    assert_eq!(broken[0]["event_type"], "photo_avatar_train.fail");
    assert_eq!(
        broken[0]["event_data"]["failure_code"],
        "avatar_training_failed"
    );
    let twin = by(&format!(
        "entity_id={twin_look}&event_type=instant_avatar.success"
    ));
    assert_eq!(twin[0]["event_data"]["group_id"], twin_group.as_str());
    assert_eq!(twin[0]["event_data"]["avatar_type"], "digital_twin");
    let no = by(&format!("entity_id={declined_group}"));
    assert_eq!(no[0]["event_type"], "instant_avatar.fail");
    assert_eq!(no[0]["event_data"]["failure_code"], "consent_declined");
    let generated = by("event_type=photo_avatar_generation.success");
    assert_eq!(generated[0]["event_data"]["look_id"], prompt_look.as_str());
    assert!(
        by("event_type=batch.finished")
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(by("entity_id=unknown").as_array().unwrap().is_empty());

    // Pages of 3 walk the same list.
    let mut walked = Vec::new();
    let mut q = "limit=3".to_owned();
    loop {
        let page = emu.get(&format!("/v3/webhooks/events?{q}"));
        walked.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_token"].as_str() {
            Some(t) => q = format!("limit=3&token={t}"),
            None => break,
        }
    }
    assert_eq!(&walked, items);
    assert_eq!(
        emu.get("/v3/webhooks/events")["data"]
            .as_array()
            .unwrap()
            .len(),
        7,
        "the default page holds 10"
    );
    emu.call("GET", "/v3/webhooks/events?event_type=video.done", None)
        .assert_error(400, "invalid_parameter", Some("event_type"));
    let endpoints_token = {
        emu.post(
            "/v3/webhooks/endpoints",
            &json!({"url": "http://127.0.0.1:9/"}),
        );
        emu.post(
            "/v3/webhooks/endpoints",
            &json!({"url": "http://127.0.0.1:9/"}),
        );
        emu.get("/v3/webhooks/endpoints?limit=1")["next_token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    emu.call(
        "GET",
        &format!("/v3/webhooks/events?token={endpoints_token}"),
        None,
    )
    .assert_error(400, "invalid_parameter", Some("token"));
    // A deleted video emits nothing.
    let gone = video(&emu, &json!({}));
    emu.ok("DELETE", &format!("/v3/videos/{gone}"), None);
    emu.advance(100);
    assert!(
        by(&format!("entity_id={gone}"))
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(emu.h.schema_violations().is_empty());
}

#[test]
fn a_video_callback_url_gets_the_event_unsigned() {
    let emu = Emu::start();
    let rx = Receiver::start(&[]);
    let vid = video(
        &emu,
        &json!({"callback_url": format!("{}/callback?order=7", rx.url), "callback_id": "cb-1"}),
    );
    video(
        &emu,
        &json!({"callback_url": "https://example.com/callback"}),
    );
    emu.advance(66);
    let hit = rx.next();
    assert_eq!(hit.path, "/hooks/callback?order=7");
    assert_eq!(hit.header("heygen-signature"), None);
    assert_eq!(
        hit.verify("whsec_any").unwrap_err(),
        WebhookError::MissingSignature
    );
    let body = hit.json();
    assert_eq!(body["event_type"], "avatar_video.success");
    assert_eq!(body["event_data"]["video_id"], vid.as_str());
    assert_eq!(body["event_data"]["callback_id"], "cb-1");
    assert_eq!(hit.header("heygen-event-id"), body["event_id"].as_str());
    rx.assert_quiet();
    let log = emu.h.webhook_deliveries();
    assert_eq!(
        log.len(),
        1,
        "the non-loopback callback is skipped: {log:#?}"
    );
    assert!(!log[0].signed && log[0].endpoint_id.is_none() && log[0].delivered);
}

#[test]
fn an_https_receiver_gets_the_delivery_over_tls() {
    let emu = Emu::start();
    let rx = Receiver::start_tls(&[]);
    let (_, secret) = register(&emu, &rx.url, Some(&["photo_avatar_train.success"]));
    emu.photo("Over TLS");
    emu.advance(31);
    let hit = rx.next();
    let v = hit.verify(&secret).unwrap();
    assert!(matches!(
        v.delivery.event,
        WebhookEvent::PhotoAvatarTrainSucceeded(_)
    ));
    deliveries_until(&emu, |l| l.len() == 1 && l[0].delivered);
}

#[test]
fn a_reset_forgets_endpoints_events_and_queued_retries() {
    let emu = Emu::start();
    let rx = Receiver::start(&[Answer::Status(500)]);
    register(&emu, &rx.url, None);
    emu.photo("Reset");
    emu.advance(31);
    rx.next();
    deliveries_until(&emu, |l| l.len() == 1);
    emu.h.reset();
    emu.advance(3600);
    rx.assert_quiet();
    assert!(emu.h.webhook_deliveries().is_empty());
    assert!(
        emu.get("/v3/webhooks/events")["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        emu.get("/v3/webhooks/endpoints")["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

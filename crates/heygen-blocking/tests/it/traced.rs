//! With the `tracing` feature: one span per logical call carrying method, path template,
//! attempts, status, request id and elapsed time, and one event per retry with its reason and
//! delay; never a key, token, presigned signature or body.
#![cfg(feature = "tracing")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use heygen_blocking::model::{DirectUpload, VideoId};
use heygen_blocking::{Client, TransportError};
use heygen_core::{Config, RetryPolicy};
use http::{Request, Response};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const CANARY_KEY: &str = "hg_CANARY_KEY_5f1e";
const SIGNATURE: &str = "CANARYSIGNATURE0123456789";

/// Every span (with its recorded fields) and event, as text.
#[derive(Default)]
struct Collected {
    spans: BTreeMap<u64, (String, BTreeMap<String, String>)>,
    events: Vec<(Option<u64>, String, BTreeMap<String, String>)>,
}

#[derive(Clone, Default)]
struct Collector {
    next: Arc<AtomicU64>,
    seen: Arc<Mutex<Collected>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        self.0.insert(field.name().to_owned(), text);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Collector {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        self.seen
            .lock()
            .unwrap()
            .spans
            .insert(id, (span.metadata().name().to_owned(), fields));
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut seen = self.seen.lock().unwrap();
        if let Some((_, fields)) = seen.spans.get_mut(&span.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let parent = event.parent().map(Id::into_u64);
        self.seen
            .lock()
            .unwrap()
            .events
            .push((parent, event.metadata().name().to_owned(), fields));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn config() -> Config {
    Config::builder()
        .base_url("https://api.heygen.com")
        .api_key(CANARY_KEY)
        .retry_policy(
            RetryPolicy::new()
                .max_retries(2)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap()
}

fn answer(status: u16, body: &'static str) -> Response<Bytes> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-request-id", "req_trace_1")
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap()
}

#[test]
fn a_retried_call_is_one_span_with_a_retry_event_and_no_secret() {
    let answers = Mutex::new(
        vec![
            answer(503, r#"{"error":{"code":"unavailable","message":"busy"}}"#),
            answer(200, r#"{"data":{"id":"vid_0001","status":"processing"}}"#),
            // The presigned PUT (a reader body: one attempt).
            answer(200, ""),
        ]
        .into_iter(),
    );
    let transport = move |_req: Request<Bytes>| -> Result<Response<Bytes>, TransportError> {
        Ok(answers.lock().unwrap().next().unwrap())
    };
    let client = Client::with_transport(config(), transport);
    let collector = Collector::default();
    let seen = collector.seen.clone();
    tracing::subscriber::with_default(collector, || {
        let video = client
            .videos()
            .get(&VideoId::new("vid_0001").unwrap())
            .unwrap();
        assert_eq!(video.id.as_str(), "vid_0001");
        let upload: DirectUpload = serde_json::from_value(serde_json::json!({
            "asset_id": "ast_1",
            "upload_url": format!("https://storage.example.com/k?X-Amz-Signature={SIGNATURE}"),
            "upload_headers": {"Content-Type": "video/mp4"},
        }))
        .unwrap();
        client
            .assets()
            .put_direct_upload(&upload, &b"0123456789"[..], 10)
            .unwrap();
    });
    let seen = seen.lock().unwrap();
    let calls: Vec<_> = seen
        .spans
        .iter()
        .filter(|(_, (name, _))| name == "heygen.call")
        .collect();
    assert_eq!(
        calls.len(),
        2,
        "one span per logical call: {:?}",
        seen.spans
    );
    let (get_id, (_, get)) = calls[0];
    assert_eq!(get["method"], "GET");
    assert_eq!(get["path"], "/v3/videos/{video_id}");
    assert_eq!(get["attempts"], "2");
    assert_eq!(get["status"], "200");
    assert_eq!(get["request_id"], "req_trace_1");
    assert_eq!(get["outcome"], "ok");
    assert!(get.contains_key("elapsed_ms"));
    let retries: Vec<_> = seen
        .events
        .iter()
        .filter(|(parent, name, _)| name == "heygen.retry" && *parent == Some(*get_id))
        .collect();
    assert_eq!(retries.len(), 1, "{:?}", seen.events);
    assert_eq!(retries[0].2["reason"], "server");
    assert_eq!(retries[0].2["status"], "503");
    assert!(retries[0].2.contains_key("delay_ms"));
    let (_, (_, put)) = calls[1];
    assert_eq!(put["method"], "PUT");
    assert_eq!(put["path"], "(direct upload url)");
    assert_eq!(put["attempts"], "1");
    let everything = format!("{:?} {:?}", seen.spans, seen.events);
    assert!(!everything.contains(CANARY_KEY), "{everything}");
    assert!(!everything.contains(SIGNATURE), "{everything}");
    assert!(!everything.contains("storage.example.com"), "{everything}");
    assert!(!everything.contains("0123456789"), "{everything}");
}

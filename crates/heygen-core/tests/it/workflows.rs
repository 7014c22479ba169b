//! Every workflow, sans IO: its events are scripted, and the exact sequence of effects (sends,
//! sleeps, inspections, items) and the result are asserted.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use heygen_core::error::StallReason;
use heygen_core::ops::{CreateVideo, GetVideo, ListLooks, RawJson};
use heygen_core::upload::{
    AvatarFileKind, INLINE_PLACEHOLDER, MultipartFraming, MultipartUpload, PromptFromFiles,
    PutDirectUpload, Sha256, UploadDirect, UploadFile, UploadMethod, Uploaded, WithFile,
};
use heygen_core::workflow::{Scripted, script_items};
use heygen_core::{
    Body, Call, Config, Cx, Error, ErrorClass, Next, Operation, Outgoing, PollPolicy,
    ResponseLimits, Sent, Source, TransportErrorKind, Wait, Waited, Workflow,
};
use heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES;
use heygen_model::{CreateAvatarVideo, DirectUpload, ListLooksQuery, Ownership, Video};
use http::{Method, Request, Response};
use serde_json::{Value, json};

use crate::support::{
    GROUP_JSON, KEY, LOOK_JSON, config, group, json_resp, key_of, look, play, play_with, video,
};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0";
const MP4: &[u8] = b"\0\0\0\x18ftypmp42\0\0\0\0";
/// The idempotency key made from the all-zero entropy of the script.
const ZERO_KEY: &str = "hgrs-00000000000000000000000000000000";
const SIGNED_URL: &str =
    "https://storage.example.com/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900";

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn secs(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

/// The bytes of a file of `size` bytes starting with `head`.
fn file_bytes(head: &[u8], size: usize) -> Vec<u8> {
    let mut bytes = head.to_vec();
    bytes.resize(size, 0x5a);
    bytes
}

/// What a client reports after streaming `file` through the body plan of `outgoing`: its tap
/// counts (and, when the plan asks, hashes) the source's bytes.
fn stream(outgoing: &Outgoing, file: &[u8]) -> Sent {
    let Body::Stream(plan) = outgoing.request.body() else {
        panic!("not a stream: {:?}", outgoing.request.body())
    };
    let mut tap = plan.tap();
    for chunk in file.chunks(64 * 1024) {
        tap.chunk(chunk).unwrap();
    }
    tap.end().unwrap();
    tap.finish().unwrap()
}

/// As [`stream`], for a large file of `len` bytes of `head` then zeros, without holding it.
fn stream_large(outgoing: &Outgoing, head: &[u8], len: u64) -> Sent {
    let Body::Stream(plan) = outgoing.request.body() else {
        panic!("not a stream: {:?}", outgoing.request.body())
    };
    let mut tap = plan.tap();
    tap.chunk(head).unwrap();
    let zeros = vec![0u8; 1 << 20];
    while tap.remaining() > 0 {
        let n = usize::try_from(tap.remaining().min(zeros.len() as u64)).unwrap();
        tap.chunk(&zeros[..n]).unwrap();
    }
    assert_eq!(plan.len, len);
    tap.end().unwrap();
    tap.finish().unwrap()
}

fn json_of(request: &Request<Body>) -> Value {
    let Body::Bytes(bytes) = request.body() else {
        panic!("not a JSON body: {:?}", request.body())
    };
    serde_json::from_slice(bytes).unwrap()
}

fn header<'a>(outgoing: &'a Outgoing, name: &str) -> Option<&'a str> {
    outgoing
        .request
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
}

fn video_json(status: &str) -> String {
    format!(r#"{{"data":{{"id":"vid_0001","status":"{status}"}}}}"#)
}

fn asset_json(id: &str, size: u64) -> String {
    format!(
        r#"{{"data":{{"asset_id":"{id}","url":"https://files.example.com/{id}","mime_type":"image/png","size_bytes":{size}}}}}"#
    )
}

fn direct_upload_json(max_bytes: Option<u64>) -> String {
    let max = max_bytes.map_or(String::new(), |m| format!(r#","max_bytes":{m}"#));
    format!(
        r#"{{"data":{{"asset_id":"asset_0001","upload_url":"{SIGNED_URL}","upload_headers":{{"Content-Type":"video/mp4"}},"expires_in_seconds":900{max}}}}}"#
    )
}

fn avatar_json() -> String {
    format!(r#"{{"data":{{"avatar_item":{LOOK_JSON},"avatar_group":{GROUP_JSON}}}}}"#)
}

// ---------------------------------------------------------------------------------------------
// Call
// ---------------------------------------------------------------------------------------------

#[test]
fn call_retries_a_503_with_backoff_then_succeeds() {
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16]).unwrap();
    let run = play(
        call,
        &config(),
        [
            Scripted::json(503, "<html>busy</html>").header("content-type", "text/html"),
            Scripted::json(200, &video_json("processing")),
        ],
    );
    // Jitter 0 gives the lowest factor, 0.75, of the first backoff (1 s).
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 750ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    assert_eq!(run.result.unwrap().id.as_str(), "vid_0001");
    // The same request both times.
    assert_eq!(run.sent[0].request.uri(), run.sent[1].request.uri());
    assert_eq!(run.sent[0].request.headers(), run.sent[1].request.headers());
}

#[test]
fn call_honours_retry_after() {
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16]).unwrap();
    let run = play(
        call,
        &config(),
        [
            Scripted::json(503, "{}").header("retry-after", "3"),
            Scripted::json(200, &video_json("completed")),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 3000ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    assert!(run.result.is_ok());
    // A 429 is retried even for a POST, after the server's delay, capped at the policy's
    // max_delay (30 s).
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    let call = Call::new(op, &config(), [0; 16]).unwrap();
    let run = play(
        call,
        &config(),
        [
            Scripted::json(429, r#"{"error":{"code":"rate_limit_exceeded"}}"#)
                .header("retry-after", "7"),
            Scripted::json(429, r#"{"error":{"code":"rate_limit_exceeded"}}"#)
                .header("retry-after", "3600"),
            Scripted::json(200, r#"{"data":{"video_id":"vid_0001"}}"#),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send POST /v3/videos",
            "sleep 7000ms",
            "send POST /v3/videos",
            "sleep 30000ms",
            "send POST /v3/videos",
        ]
    );
    assert_eq!(run.result.unwrap().video_id.as_str(), "vid_0001");
}

/// A `POST` that takes no idempotency key, so nothing makes repeating it safe.
#[derive(Debug, Clone)]
struct Unkeyed(RawJson);

impl Operation for Unkeyed {
    type Output = Value;

    fn method(&self) -> Method {
        self.0.method()
    }
    fn path_template(&self) -> &'static str {
        "/v3/unkeyed"
    }
    fn accepts_idempotency_key(&self) -> bool {
        false
    }
    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        self.0.build(config)
    }
    fn parse(&self, response: Response<&[u8]>, limits: &ResponseLimits) -> Result<Value, Error> {
        self.0.parse(response, limits)
    }
}

#[test]
fn non_idempotent_post_is_not_retried_on_500() {
    let op = Unkeyed(RawJson::new(Method::POST, "/v3/things"));
    let call = Call::new(op, &config(), [0; 16]).unwrap();
    assert!(!call.is_idempotent());
    assert!(call.idempotency_key().is_none());
    let run = play(
        call,
        &config(),
        [Scripted::json(
            500,
            r#"{"error":{"code":"internal_error"}}"#,
        )],
    );
    assert_eq!(run.steps, ["send POST /v3/things"]);
    assert_eq!(run.result.unwrap_err().status().unwrap(), 500);
    assert!(key_of(&run.sent[0]).is_none());
    // The same POST with the key a `Call` adds is retried.
    let call = Call::new(RawJson::new(Method::POST, "/v3/things"), &config(), [0; 16]).unwrap();
    let run = play(
        call,
        &config(),
        [
            Scripted::json(500, r#"{"error":{"code":"internal_error"}}"#),
            Scripted::json(200, r#"{"data":{"ok":true}}"#),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send POST /v3/things",
            "sleep 750ms",
            "send POST /v3/things"
        ]
    );
    assert_eq!(run.result.unwrap(), json!({"ok": true}));
    assert!(run.sent.iter().all(|out| key_of(out) == Some(ZERO_KEY)));
}

#[test]
fn deadline_caps_attempts_and_retries() {
    let deadline = secs(10);
    // Each attempt's timeout is the time left when it is shorter than the call's own (30 s).
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16])
        .unwrap()
        .deadline(deadline);
    let mut answers = vec![
        Scripted::json(503, "{}").taking(secs(2)),
        Scripted::json(200, &video_json("processing")),
    ]
    .into_iter();
    let run = play_with(call, &config(), |next, now| match next {
        Next::Send(out) => {
            assert!(
                out.options.timeout <= deadline.checked_sub(now).expect("sent after the deadline")
            );
            answers.next().expect("the script ran out")
        }
        Next::Sleep(delay) => {
            assert!(now + *delay < deadline, "slept past the deadline");
            Scripted::reader_consumed()
        }
        _ => Scripted::reader_consumed(),
    });
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 750ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    assert!(run.result.is_ok());
    assert_eq!(run.sent[0].options.timeout, secs(10));
    assert_eq!(run.sent[1].options.timeout, ms(7250));

    // A failure close to the deadline is not retried when the backoff would end past it; the
    // call ends with that failure.
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16])
        .unwrap()
        .deadline(deadline);
    let run = play(
        call,
        &config(),
        [Scripted::json(503, "{}").taking(ms(9500))],
    );
    assert_eq!(run.steps, ["send GET /v3/videos/vid_0001"]);
    assert_eq!(run.result.unwrap_err().status().unwrap(), 503);

    // Nor when the server's Retry-After would.
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16])
        .unwrap()
        .deadline(deadline);
    let run = play(
        call,
        &config(),
        [Scripted::json(503, "{}").header("retry-after", "10")],
    );
    assert_eq!(run.steps, ["send GET /v3/videos/vid_0001"]);
    assert!(run.result.is_err());

    // An attempt that times out at the deadline ends the call with the timeout.
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16])
        .unwrap()
        .deadline(deadline);
    let run = play_with(call, &config(), |next, _now| match next {
        Next::Send(out) => {
            Scripted::failed(TransportErrorKind::Timeout).taking(out.options.timeout)
        }
        _ => Scripted::reader_consumed(),
    });
    assert_eq!(run.steps, ["send GET /v3/videos/vid_0001"]);
    assert_eq!(
        run.result.unwrap_err().transport_kind(),
        Some(TransportErrorKind::Timeout)
    );
}

#[test]
fn reader_consumed_ends_the_call_with_the_previous_error() {
    let upload = MultipartUpload::reader("me.png", "image/png", 5);
    let run = play(
        upload,
        &config(),
        [
            Scripted::failed(TransportErrorKind::Connect),
            // The client finds the reader used up by the first attempt.
            Scripted::reader_consumed(),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send POST /v3/assets",
            "sleep 750ms",
            "send POST /v3/assets"
        ]
    );
    let err = run.result.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportErrorKind::Connect));
    assert!(err.to_string().contains("POST /v3/assets"), "{err}");
    // With no earlier attempt, the call ends with a body error.
    let upload = MultipartUpload::reader("me.png", "image/png", 5);
    let run = play(upload, &config(), [Scripted::reader_consumed()]);
    assert_eq!(run.steps, ["send POST /v3/assets"]);
    assert_eq!(
        run.result.unwrap_err().transport_kind(),
        Some(TransportErrorKind::Body)
    );
}

#[test]
fn a_reader_is_retried_only_when_nothing_was_sent() {
    // After a 503 the reader's bytes are gone: no retry.
    let upload = MultipartUpload::reader("me.png", "image/png", 5);
    let run = play(upload, &config(), [Scripted::json(503, "{}")]);
    assert_eq!(run.steps, ["send POST /v3/assets"]);
    assert_eq!(run.result.unwrap_err().status().unwrap(), 503);
    let Body::Stream(plan) = run.sent[0].request.body() else {
        panic!()
    };
    assert_eq!(plan.source, Source::Reader);
    assert!(!run.sent[0].request.body().is_replayable());
    // A connect failure sent nothing: retried.
    let upload = MultipartUpload::reader("me.png", "image/png", 5);
    let run = play(
        upload,
        &config(),
        [
            Scripted::failed(TransportErrorKind::Connect),
            Scripted::json(200, &asset_json("asset_0001", 5)),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send POST /v3/assets",
            "sleep 750ms",
            "send POST /v3/assets"
        ]
    );
    assert_eq!(run.result.unwrap().asset_id.as_str(), "asset_0001");
    // A file is opened again: retried after a 503 too.
    let upload = MultipartUpload::path("/photos/me.png");
    let run = play(
        upload,
        &config(),
        [
            Scripted::file(5, PNG),
            Scripted::json(503, "{}"),
            Scripted::json(200, &asset_json("asset_0001", 5)),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "inspect /photos/me.png",
            "send POST /v3/assets",
            "sleep 750ms",
            "send POST /v3/assets"
        ]
    );
    assert!(run.result.is_ok());
}

#[test]
fn a_file_that_changed_size_ends_the_call() {
    let upload = MultipartUpload::path("/photos/me.png");
    let changed = heygen_core::body::check_opened_len(5, 6).unwrap_err();
    let run = play(
        upload,
        &config(),
        [Scripted::file(5, PNG), Scripted::error(changed)],
    );
    assert_eq!(
        run.steps,
        ["inspect /photos/me.png", "send POST /v3/assets"]
    );
    let Err(Error::InvalidRequest(invalid)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(invalid.field.as_deref(), Some("file"));
    assert_eq!(invalid.path, Some("/v3/assets"));
}

// ---------------------------------------------------------------------------------------------
// Wait
// ---------------------------------------------------------------------------------------------

fn policy() -> PollPolicy {
    PollPolicy::new()
        .initial_interval(secs(2))
        .max_interval(secs(5))
        .deadline(secs(10))
}

#[test]
fn wait_completes_after_processing() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let observed = Arc::clone(&seen);
    let wait = Wait::video(&video())
        .policy(policy())
        .observe(move |v: &Video| {
            observed
                .lock()
                .unwrap()
                .push(v.status.as_ref().unwrap().as_str().to_owned());
        });
    let run = play(
        wait,
        &config(),
        [
            Scripted::json(200, &video_json("pending")),
            Scripted::json(200, &video_json("processing")),
            Scripted::json(
                200,
                r#"{"data":{"id":"vid_0001","status":"completed","video_url":"https://files.example.com/v.mp4"}}"#,
            ),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 2000ms",
            "send GET /v3/videos/vid_0001",
            "sleep 3000ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    let Ok(Waited::Completed(video)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(
        video.video_url.unwrap().as_str(),
        "https://files.example.com/v.mp4"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        ["pending", "processing", "completed"]
    );
}

#[test]
fn wait_fails_on_failed_with_code_and_message() {
    let run = play(
        Wait::video(&video()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &video_json("processing")),
            Scripted::json(
                200,
                r#"{"data":{"id":"vid_0001","status":"failed","failure_code":"bad_script","failure_message":"nope"}}"#,
            ),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 2000ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    let Err(Error::JobFailed(job)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(job.resource, "video");
    assert_eq!(job.id, "vid_0001");
    assert_eq!(job.code.as_deref(), Some("bad_script"));
    assert_eq!(job.message.as_deref(), Some("nope"));
}

fn group_json(status: &str, consent: &str) -> String {
    format!(
        r#"{{"data":{{"id":"grp_0001","name":"G","created_at":1,"looks_count":1,"status":"{status}","consent_status":{consent}}}}}"#
    )
}

#[test]
fn wait_avatar_stops_at_pending_consent_and_wait_consent_goes_on() {
    let run = play(
        Wait::avatar(&group()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &group_json("processing", "null")),
            Scripted::json(200, &group_json("pending_consent", "\"pending\"")),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/avatars/grp_0001",
            "sleep 2000ms",
            "send GET /v3/avatars/grp_0001",
        ]
    );
    let Ok(Waited::PendingConsent(g)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(g.id.as_str(), "grp_0001");

    // Waiting for consent keeps polling through `pending_consent` until it is given.
    let run = play(
        Wait::consent(&group()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &group_json("pending_consent", "\"pending\"")),
            Scripted::json(200, &group_json("processing", "\"approved\"")),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/avatars/grp_0001",
            "sleep 2000ms",
            "send GET /v3/avatars/grp_0001",
        ]
    );
    let Ok(Waited::Completed(g)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(
        g.consent_status,
        Some(heygen_model::ConsentStatus::Approved)
    );
}

#[test]
fn wait_look_until_completed() {
    let look_with = |status: &str| {
        format!(
            r#"{{"data":{{"id":"look_0001","name":"A","avatar_type":"photo_avatar","status":"{status}"}}}}"#
        )
    };
    let run = play(
        Wait::look(&look()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &look_with("processing")),
            Scripted::json(200, &look_with("completed")),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/avatars/looks/look_0001",
            "sleep 2000ms",
            "send GET /v3/avatars/looks/look_0001",
        ]
    );
    assert!(run.result.unwrap().is_completed());
}

#[test]
fn wait_ends_at_once_on_404() {
    let run = play(
        Wait::video(&video()).policy(policy()),
        &config(),
        [Scripted::json(
            404,
            r#"{"error":{"code":"not_found","message":"Video not found"}}"#,
        )],
    );
    assert_eq!(run.steps, ["send GET /v3/videos/vid_0001"]);
    assert_eq!(run.result.unwrap_err().class(), ErrorClass::NotFound);
}

#[test]
fn wait_keeps_polling_through_5xx() {
    let policy = PollPolicy::new()
        .initial_interval(secs(2))
        .max_interval(secs(5))
        .deadline(secs(60));
    let run = play(
        Wait::video(&video()).policy(policy),
        &config(),
        [
            // The check's own retries run out on three 503s...
            Scripted::json(503, "{}"),
            Scripted::json(502, "{}"),
            Scripted::json(503, "{}"),
            // ...and the wait checks again after its interval.
            Scripted::json(200, &video_json("completed")),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 750ms",
            "send GET /v3/videos/vid_0001",
            "sleep 1500ms",
            "send GET /v3/videos/vid_0001",
            "sleep 2000ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    assert!(run.result.unwrap().is_completed());
}

#[test]
fn wait_deadline_ends_with_the_last_status() {
    let run = play(
        Wait::video(&video()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &video_json("processing")),
            Scripted::json(200, &video_json("processing")),
            Scripted::json(200, &video_json("processing")),
            Scripted::json(200, &video_json("rendering")),
        ],
    );
    // Checks at 0, 2, 5 and 9.5 s; the last sleep stops at the deadline (10 s).
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 2000ms",
            "send GET /v3/videos/vid_0001",
            "sleep 3000ms",
            "send GET /v3/videos/vid_0001",
            "sleep 4500ms",
            "send GET /v3/videos/vid_0001",
            "sleep 500ms",
        ]
    );
    let err = run.result.unwrap_err();
    assert!(err.is_timeout());
    let Error::WaitTimedOut(timed_out) = err else {
        panic!()
    };
    assert_eq!(timed_out.resource, "video");
    assert_eq!(timed_out.id, "vid_0001");
    assert_eq!(timed_out.last_status.as_deref(), Some("rendering"));
    assert_eq!(timed_out.elapsed, secs(10));
}

#[test]
fn a_check_running_into_the_deadline_is_abandoned_there() {
    let deadline = secs(10);
    // The server answers the first check, then hangs; the client gives up at each attempt's
    // timeout, as `SendOptions::timeout` tells it to.
    let mut checks = 0;
    let mut timeouts = Vec::new();
    let run = play_with(
        Wait::video(&video()).policy(policy()),
        &config(),
        |next, now| match next {
            Next::Send(out) => {
                let left = deadline.checked_sub(now).expect("sent after the deadline");
                assert!(
                    out.options.timeout <= left,
                    "{:?} > {left:?}",
                    out.options.timeout
                );
                timeouts.push(out.options.timeout);
                checks += 1;
                if checks == 1 {
                    Scripted::json(200, &video_json("processing"))
                } else {
                    Scripted::failed(TransportErrorKind::Timeout).taking(out.options.timeout)
                }
            }
            Next::Sleep(delay) => {
                assert!(now + *delay <= deadline, "slept past the deadline");
                Scripted::reader_consumed()
            }
            _ => Scripted::reader_consumed(),
        },
    );
    // The second check starts at 2 s with 8 s left: it is cut at the deadline, not retried.
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 2000ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    assert_eq!(timeouts, [secs(10), secs(8)]);
    let Err(Error::WaitTimedOut(timed_out)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(timed_out.elapsed, deadline);
    assert_eq!(timed_out.last_status.as_deref(), Some("processing"));

    // A check whose retry fits before the deadline makes it, with only the time left.
    let mut answers = vec![
        Scripted::json(200, &video_json("processing")),
        Scripted::json(503, "{}").taking(secs(7)),
    ]
    .into_iter();
    let run = play_with(
        Wait::video(&video()).policy(policy()),
        &config(),
        |next, now| match next {
            Next::Send(out) => {
                assert!(
                    out.options.timeout
                        <= deadline.checked_sub(now).expect("sent after the deadline")
                );
                answers.next().unwrap_or_else(|| {
                    Scripted::failed(TransportErrorKind::Timeout).taking(out.options.timeout)
                })
            }
            Next::Sleep(delay) => {
                assert!(now + *delay <= deadline, "slept past the deadline");
                Scripted::reader_consumed()
            }
            _ => Scripted::reader_consumed(),
        },
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 2000ms",
            "send GET /v3/videos/vid_0001",
            "sleep 750ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    // The retry starts at 9.75 s.
    assert_eq!(run.sent[2].options.timeout, ms(250));
    let Err(Error::WaitTimedOut(timed_out)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(timed_out.elapsed, deadline);
}

// ---------------------------------------------------------------------------------------------
// Walk
// ---------------------------------------------------------------------------------------------

fn looks_page(ids: &[&str], next: Option<&str>) -> String {
    let looks: Vec<_> = ids
        .iter()
        .map(|id| json!({"id": id, "name": "L", "avatar_type": "photo_avatar"}))
        .collect();
    json!({"data": looks, "has_more": next.is_some(), "next_token": next}).to_string()
}

#[test]
fn walk_hands_out_every_item_across_pages() {
    let walk = heygen_core::Walk::new(ListLooks::new(
        ListLooksQuery::new().ownership(Ownership::Public).limit(2),
    ));
    let mut pages = vec![
        Scripted::json(200, &looks_page(&["look_1", "look_2"], Some("tok_2"))),
        Scripted::json(503, "{}"),
        Scripted::json(200, &looks_page(&["look_3"], None)),
    ]
    .into_iter();
    let mut uris = Vec::new();
    let (result, steps, items) = script_items(walk, &config(), |next, _now| {
        if let Next::Send(out) = next {
            uris.push(out.request.uri().to_string());
        }
        match next {
            Next::Send(_) => pages.next().unwrap(),
            _ => Scripted::reader_consumed(),
        }
    });
    assert_eq!(
        steps,
        [
            "send GET /v3/avatars/looks",
            "yield",
            "yield",
            "send GET /v3/avatars/looks",
            "sleep 750ms",
            "send GET /v3/avatars/looks",
            "yield",
        ]
    );
    result.unwrap();
    let ids: Vec<_> = items.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["look_1", "look_2", "look_3"]);
    assert_eq!(
        uris,
        [
            "https://api.heygen.com/v3/avatars/looks?ownership=public&limit=2",
            "https://api.heygen.com/v3/avatars/looks?ownership=public&limit=2&token=tok_2",
            "https://api.heygen.com/v3/avatars/looks?ownership=public&limit=2&token=tok_2",
        ]
    );
}

#[test]
fn walk_stalls_on_a_repeated_token_after_handing_out_the_page() {
    let walk = heygen_core::Walk::new(ListLooks::default());
    let mut pages = vec![
        Scripted::json(200, &looks_page(&["look_1"], Some("tok_a"))),
        Scripted::json(200, &looks_page(&["look_2"], Some("tok_a"))),
    ]
    .into_iter();
    let (result, steps, items) = script_items(walk, &config(), |next, _now| match next {
        Next::Send(_) => pages.next().expect("asked for a third page"),
        _ => Scripted::reader_consumed(),
    });
    assert_eq!(
        steps,
        [
            "send GET /v3/avatars/looks",
            "yield",
            "send GET /v3/avatars/looks",
            "yield",
        ]
    );
    assert_eq!(items.len(), 2);
    let Err(Error::PaginationStalled(stalled)) = result else {
        panic!("{result:?}")
    };
    assert_eq!(stalled.reason, StallReason::RepeatedToken);
    assert_eq!(stalled.pages, 2);
}

// ---------------------------------------------------------------------------------------------
// Multipart upload
// ---------------------------------------------------------------------------------------------

#[test]
fn multipart_upload_inspects_then_streams_the_framed_file() {
    let path = "/home/ada/private/me.png";
    let file = file_bytes(PNG, 1000);
    let mut reported = None;
    let run = play_with(
        MultipartUpload::path(path),
        &config(),
        |next, _now| match next {
            Next::Inspect(asked) => {
                assert_eq!(asked, Path::new(path));
                Scripted::file(1000, &file[..16])
            }
            Next::Send(out) => {
                let sent = stream(out, &file);
                reported = Some(sent.clone());
                Scripted::json(200, &asset_json("asset_0001", 1000)).sent(sent)
            }
            _ => Scripted::reader_consumed(),
        },
    );
    assert_eq!(
        run.steps,
        [format!("inspect {path}"), "send POST /v3/assets".to_owned()]
    );
    let asset = run.result.unwrap();
    assert_eq!(asset.asset_id.as_str(), "asset_0001");
    assert_eq!(reported.unwrap().bytes, 1000);

    let out = &run.sent[0];
    let framing = MultipartFraming::new("me.png", "image/png", 1000, [0; 16]).unwrap();
    let Body::Stream(plan) = out.request.body() else {
        panic!("{:?}", out.request.body())
    };
    assert_eq!(&plan.prefix, framing.prefix());
    assert_eq!(&plan.suffix, framing.suffix());
    assert!(
        std::str::from_utf8(&plan.prefix)
            .unwrap()
            .contains("filename=\"me.png\"\r\nContent-Type: image/png\r\n")
    );
    assert_eq!(plan.len, 1000);
    assert_eq!(plan.source, Source::File(path.into()));
    assert!(!plan.sha256);
    assert_eq!(
        header(out, "content-length"),
        Some(framing.content_length().to_string().as_str())
    );
    assert_eq!(
        plan.content_length(),
        plan.prefix.len() as u64 + 1000 + plan.suffix.len() as u64
    );
    assert_eq!(header(out, "content-type"), Some(framing.content_type()));
    assert_eq!(header(out, "x-api-key"), Some(KEY));
    assert_eq!(key_of(out), Some(ZERO_KEY));
    assert_eq!(out.options.timeout, Duration::from_mins(10));
}

#[test]
fn an_unreadable_file_is_a_validation_error_naming_only_the_file() {
    let run = play(
        MultipartUpload::path("/home/ada/private/me.png"),
        &config(),
        [Scripted::unreadable(io::Error::new(
            io::ErrorKind::NotFound,
            "no such file",
        ))],
    );
    assert_eq!(run.steps, ["inspect /home/ada/private/me.png"]);
    let err = run.result.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Validation);
    let Error::InvalidRequest(invalid) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(invalid.field.as_deref(), Some("file"));
    let text = format!("{err} {err:?}");
    assert!(text.contains("cannot read me.png: no such file"), "{text}");
    assert!(
        !text.contains("private") && !text.contains("/home"),
        "{text}"
    );
    // A file whose media type cannot be told is refused before anything is sent.
    let run = play(
        MultipartUpload::path("/tmp/notes.txt"),
        &config(),
        [Scripted::file(5, b"hello")],
    );
    assert_eq!(run.steps, ["inspect /tmp/notes.txt"]);
    assert_eq!(run.result.unwrap_err().class(), ErrorClass::Validation);
}

// ---------------------------------------------------------------------------------------------
// Direct upload
// ---------------------------------------------------------------------------------------------

/// A fake API and storage for direct uploads: create, then `PUT`, then complete (409 first
/// `conflicts` times). Checks each request on the way.
struct DirectServer {
    file: Vec<u8>,
    max_bytes: Option<u64>,
    put_status: u16,
    conflicts: usize,
    digest: Option<String>,
}

impl DirectServer {
    fn new(file: Vec<u8>) -> Self {
        Self {
            file,
            max_bytes: None,
            put_status: 200,
            conflicts: 0,
            digest: None,
        }
    }

    fn answer<T>(&mut self, next: &Next<T>) -> Scripted {
        match next {
            Next::Inspect(_) => Scripted::file(self.file.len() as u64, &self.file[..16]),
            Next::Send(out) => {
                let path = out.request.uri().path();
                match (out.request.method().as_str(), path) {
                    ("POST", "/v3/assets/direct-uploads") => {
                        Scripted::json(200, &direct_upload_json(self.max_bytes))
                    }
                    ("PUT", "/b/k") => {
                        let sent = stream(out, &self.file);
                        self.digest.clone_from(&sent.sha256);
                        Scripted::json(self.put_status, "").sent(sent)
                    }
                    ("POST", "/v3/assets/asset_0001/complete") if self.conflicts > 0 => {
                        self.conflicts -= 1;
                        Scripted::json(
                            409,
                            r#"{"error":{"code":"conflict","message":"Uploaded object not found yet"}}"#,
                        )
                    }
                    ("POST", "/v3/assets/asset_0001/complete") => Scripted::json(
                        200,
                        r#"{"data":{"asset_id":"asset_0001","status":"completed"}}"#,
                    ),
                    other => panic!("unexpected request {other:?}"),
                }
            }
            _ => Scripted::reader_consumed(),
        }
    }
}

#[test]
fn direct_upload_creates_puts_and_completes_with_the_checksum() {
    let file = file_bytes(MP4, 1000);
    let mut server = DirectServer::new(file.clone());
    server.conflicts = 1;
    let run = play_with(UploadDirect::path("/data/big.mp4"), &config(), |next, _| {
        server.answer(next)
    });
    assert_eq!(
        run.steps,
        [
            "inspect /data/big.mp4",
            "send POST /v3/assets/direct-uploads",
            "send PUT /b/k",
            "send POST /v3/assets/asset_0001/complete",
            "sleep 750ms",
            "send POST /v3/assets/asset_0001/complete",
        ]
    );
    let done = run.result.unwrap();
    assert_eq!(done.asset_id.as_str(), "asset_0001");

    let [create, put, complete, again] = &run.sent[..] else {
        panic!()
    };
    assert_eq!(
        json_of(&create.request),
        json!({"filename":"big.mp4","content_type":"video/mp4","size_bytes":1000})
    );
    assert_eq!(header(create, "x-api-key"), Some(KEY));

    // The PUT: the URL byte for byte, only the upload's headers and the length, no
    // credentials, the file streamed and hashed.
    assert_eq!(put.request.method(), Method::PUT);
    assert_eq!(put.request.uri().to_string(), SIGNED_URL);
    let mut names: Vec<_> = put
        .request
        .headers()
        .keys()
        .map(http::HeaderName::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["content-length", "content-type"]);
    assert_eq!(header(put, "content-length"), Some("1000"));
    assert_eq!(header(put, "content-type"), Some("video/mp4"));
    let Body::Stream(plan) = put.request.body() else {
        panic!()
    };
    assert!(plan.sha256);
    assert_eq!(plan.len, 1000);
    assert!(plan.prefix.is_empty() && plan.suffix.is_empty());
    assert_eq!(plan.source, Source::File("/data/big.mp4".into()));
    assert_eq!(put.options.timeout, Duration::from_mins(10));

    // Complete carries the checksum the client reported, on every attempt, with one key.
    let digest = Sha256::hex_digest(&file);
    assert_eq!(server.digest.as_deref(), Some(digest.as_str()));
    assert_eq!(
        json_of(&complete.request),
        json!({"checksum_sha256": digest})
    );
    assert_eq!(json_of(&again.request), json_of(&complete.request));
    assert_eq!(key_of(complete), key_of(again));
    assert!(key_of(complete).is_some());
}

#[test]
fn direct_upload_put_failure_names_the_asset() {
    let mut server = DirectServer::new(file_bytes(MP4, 1000));
    server.put_status = 403;
    let run = play_with(UploadDirect::path("/data/big.mp4"), &config(), |next, _| {
        server.answer(next)
    });
    // A 403 is not retried; nothing is completed.
    assert_eq!(
        run.steps,
        [
            "inspect /data/big.mp4",
            "send POST /v3/assets/direct-uploads",
            "send PUT /b/k",
        ]
    );
    let err = run.result.unwrap_err();
    assert_eq!(err.status().unwrap(), 403);
    let Error::UploadFailed(failed) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(failed.asset_id, "asset_0001");
    assert!(matches!(failed.source, Error::UnexpectedResponse(_)));
    assert!(
        err.to_string()
            .starts_with("upload of asset asset_0001 failed"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains("ab%2Fcd"));
}

#[test]
fn direct_upload_refuses_a_file_over_max_bytes_before_the_put() {
    let mut server = DirectServer::new(file_bytes(MP4, 1000));
    server.max_bytes = Some(999);
    let run = play_with(UploadDirect::path("/data/big.mp4"), &config(), |next, _| {
        server.answer(next)
    });
    assert_eq!(
        run.steps,
        [
            "inspect /data/big.mp4",
            "send POST /v3/assets/direct-uploads"
        ]
    );
    let Err(Error::UploadFailed(failed)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(failed.asset_id, "asset_0001");
    let Error::InvalidRequest(invalid) = &failed.source else {
        panic!("{:?}", failed.source)
    };
    assert_eq!(invalid.field.as_deref(), Some("size_bytes"));
}

fn direct_upload() -> DirectUpload {
    heygen_core::ops::CreateDirectUpload::new(heygen_model::CreateDirectUploadRequest::new(
        "v.mp4",
        "video/mp4",
        5,
    ))
    .parse(
        json_resp(200, &direct_upload_json(Some(10))),
        &ResponseLimits::default(),
    )
    .unwrap()
}

#[test]
fn put_direct_upload_returns_the_reported_sha256() {
    let file = b"abcde";
    let run = play_with(
        PutDirectUpload::reader(&direct_upload(), 5),
        &config(),
        |next, _| match next {
            Next::Send(out) => Scripted::json(200, "").sent(stream(out, file)),
            _ => Scripted::reader_consumed(),
        },
    );
    assert_eq!(run.steps, ["send PUT /b/k"]);
    assert_eq!(run.result.unwrap(), Sha256::hex_digest(file));
    let put = &run.sent[0];
    assert_eq!(put.request.uri().to_string(), SIGNED_URL);
    assert!(put.request.headers().get("x-api-key").is_none());
    let Body::Stream(plan) = put.request.body() else {
        panic!()
    };
    assert_eq!(plan.source, Source::Reader);
    assert!(plan.sha256);

    // A reader is not sent twice: a 503 ends it, naming the asset.
    let run = play(
        PutDirectUpload::reader(&direct_upload(), 5),
        &config(),
        [Scripted::json(503, "")],
    );
    assert_eq!(run.steps, ["send PUT /b/k"]);
    let Err(Error::UploadFailed(failed)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(failed.asset_id, "asset_0001");
    assert_eq!(failed.source.status().unwrap(), 503);

    // A client that reports no digest gets an error, not an empty checksum.
    let run = play(
        PutDirectUpload::reader(&direct_upload(), 5),
        &config(),
        [Scripted::json(200, "")],
    );
    assert!(matches!(run.result, Err(Error::UploadFailed(_))));

    // Over the upload's max_bytes: refused before the PUT, wrapped once.
    let run = play(PutDirectUpload::reader(&direct_upload(), 11), &config(), []);
    assert!(run.steps.is_empty());
    let Err(Error::UploadFailed(failed)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(failed.asset_id, "asset_0001");
    let Error::InvalidRequest(invalid) = &failed.source else {
        panic!("{:?}", failed.source)
    };
    assert_eq!(invalid.field.as_deref(), Some("size_bytes"));
}

// ---------------------------------------------------------------------------------------------
// Upload file: multipart or direct
// ---------------------------------------------------------------------------------------------

#[test]
fn upload_file_takes_multipart_up_to_32_mb() {
    let run = play(
        UploadFile::path("/media/clip.mp4"),
        &config(),
        [
            Scripted::file(MAX_MULTIPART_UPLOAD_BYTES, MP4),
            Scripted::json(200, &asset_json("asset_0001", MAX_MULTIPART_UPLOAD_BYTES)),
        ],
    );
    assert_eq!(
        run.steps,
        ["inspect /media/clip.mp4", "send POST /v3/assets"]
    );
    let uploaded = run.result.unwrap();
    assert_eq!(uploaded.method(), UploadMethod::Multipart);
    assert_eq!(uploaded.asset_id().as_str(), "asset_0001");
    assert!(matches!(uploaded, Uploaded::Multipart(_)));
    let Body::Stream(plan) = run.sent[0].request.body() else {
        panic!()
    };
    assert_eq!(plan.len, MAX_MULTIPART_UPLOAD_BYTES);
}

#[test]
fn upload_file_takes_direct_upload_above_32_mb() {
    let size = MAX_MULTIPART_UPLOAD_BYTES + 1;
    let mut digest = None;
    let run = play_with(
        UploadFile::path("/media/long.mp4"),
        &config(),
        |next, _| match next {
            Next::Inspect(_) => Scripted::file(size, MP4),
            Next::Send(out) => match out.request.uri().path() {
                "/v3/assets/direct-uploads" => Scripted::json(200, &direct_upload_json(None)),
                "/b/k" => {
                    let sent = stream_large(out, MP4, size);
                    digest.clone_from(&sent.sha256);
                    Scripted::json(200, "").sent(sent)
                }
                "/v3/assets/asset_0001/complete" => {
                    Scripted::json(200, r#"{"data":{"asset_id":"asset_0001"}}"#)
                }
                other => panic!("unexpected {other}"),
            },
            _ => Scripted::reader_consumed(),
        },
    );
    assert_eq!(
        run.steps,
        [
            "inspect /media/long.mp4",
            "send POST /v3/assets/direct-uploads",
            "send PUT /b/k",
            "send POST /v3/assets/asset_0001/complete",
        ]
    );
    let uploaded = run.result.unwrap();
    assert_eq!(uploaded.method(), UploadMethod::Direct);
    assert_eq!(uploaded.asset_id().as_str(), "asset_0001");
    assert_eq!(
        json_of(&run.sent[0].request)["size_bytes"],
        json!(MAX_MULTIPART_UPLOAD_BYTES + 1)
    );
    assert_eq!(
        json_of(&run.sent[2].request),
        json!({"checksum_sha256": digest.unwrap()})
    );
}

// ---------------------------------------------------------------------------------------------
// With file: inline or uploaded
// ---------------------------------------------------------------------------------------------

#[test]
fn with_file_goes_inline_up_to_the_threshold_and_builds_the_request_once() {
    let config = config().with_inline_threshold(1000);
    let file = file_bytes(PNG, 1000);
    let made = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&made);
    let workflow = WithFile::new("/photos/me.png", move |input| {
        counter.fetch_add(1, Ordering::SeqCst);
        AvatarFileKind::Photo.create_avatar("Photo A", input)
    });
    let run = play(
        workflow,
        &config,
        [
            Scripted::file(1000, PNG),
            Scripted::json(503, "{}"),
            Scripted::json(200, &avatar_json()),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "inspect /photos/me.png",
            "send POST /v3/avatars",
            "sleep 750ms",
            "send POST /v3/avatars",
        ]
    );
    let out = run.result.unwrap();
    assert_eq!(out.method, UploadMethod::Inline);
    assert_eq!(out.asset_id, None);
    assert_eq!(out.output.avatar_group.unwrap().id.as_str(), "grp_0001");
    // Built once: one operation made, the same head and body plan on both attempts.
    assert_eq!(made.load(Ordering::SeqCst), 1);
    let [first, second] = &run.sent[..] else {
        panic!()
    };
    assert_eq!(first.request.headers(), second.request.headers());
    assert_eq!(first.request.body(), second.request.body());
    assert_eq!(key_of(first), Some(ZERO_KEY));
    // The body: the request with the file spliced in as base64 by the client.
    let Body::Inline(plan) = first.request.body() else {
        panic!("{:?}", first.request.body())
    };
    assert_eq!(plan.source, Source::File("/photos/me.png".into()));
    assert_eq!(plan.len, 1000);
    assert!(
        std::str::from_utf8(&plan.template)
            .unwrap()
            .contains(INLINE_PLACEHOLDER)
    );
    assert!(first.request.body().is_replayable());
    assert_eq!(header(first, "content-type"), Some("application/json"));
    let mut encoder = plan.encoder().unwrap();
    encoder.feed(&file).unwrap();
    let body: Value = serde_json::from_slice(&encoder.finish().unwrap()).unwrap();
    let data = heygen_model::AssetInput::base64_from_bytes("image/png", &file).unwrap();
    assert_eq!(
        body,
        json!({"type":"photo","name":"Photo A","file": serde_json::to_value(&data).unwrap()})
    );
}

#[test]
fn with_file_uploads_above_the_threshold() {
    let config = config().with_inline_threshold(1000);
    let run = play(
        WithFile::avatar(AvatarFileKind::Photo, "Photo A", "/photos/me.png"),
        &config,
        [
            Scripted::file(1001, PNG),
            Scripted::json(200, &asset_json("asset_0001", 1001)),
            Scripted::json(200, &avatar_json()),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "inspect /photos/me.png",
            "send POST /v3/assets",
            "send POST /v3/avatars",
        ]
    );
    let out = run.result.unwrap();
    assert_eq!(out.method, UploadMethod::Multipart);
    assert_eq!(out.asset_id.unwrap().as_str(), "asset_0001");
    assert_eq!(
        json_of(&run.sent[1].request),
        json!({"type":"photo","name":"Photo A","file":{"type":"asset_id","asset_id":"asset_0001"}})
    );
    // The same file goes inline once the threshold allows it.
    let config = config.with_inline_threshold(1001);
    let run = play(
        WithFile::avatar(AvatarFileKind::DigitalTwin, "Twin A", "/photos/me.png"),
        &config,
        [
            Scripted::file(1001, PNG),
            Scripted::json(200, &avatar_json()),
        ],
    );
    assert_eq!(
        run.steps,
        ["inspect /photos/me.png", "send POST /v3/avatars"]
    );
    assert_eq!(run.result.unwrap().method, UploadMethod::Inline);
    assert!(matches!(run.sent[0].request.body(), Body::Inline(_)));
}

#[test]
fn with_file_consent_video_through_an_upload() {
    let config = config().with_inline_threshold(10);
    let run = play(
        WithFile::consent(&group(), "/videos/consent.mp4"),
        &config,
        [
            Scripted::file(5000, MP4),
            Scripted::json(200, &asset_json("asset_0002", 5000)),
            Scripted::json(
                200,
                &format!(
                    r#"{{"data":{{"avatar_group":{GROUP_JSON},"url":"https://heygen.example/consent/x"}}}}"#
                ),
            ),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "inspect /videos/consent.mp4",
            "send POST /v3/assets",
            "send POST /v3/avatars/grp_0001/consent",
        ]
    );
    let out = run.result.unwrap();
    assert_eq!(out.asset_id.unwrap().as_str(), "asset_0002");
    assert_eq!(
        json_of(&run.sent[1].request),
        json!({"consent_video":{"type":"asset_id","asset_id":"asset_0002"}})
    );
}

// ---------------------------------------------------------------------------------------------
// Prompt avatar from files
// ---------------------------------------------------------------------------------------------

#[test]
fn prompt_from_files_uploads_each_image_then_creates() {
    let workflow = PromptFromFiles::new("P", "a friendly teacher", &["/refs/1.png", "/refs/2.jpg"]);
    let run = play(
        workflow,
        &config(),
        [
            Scripted::file(100, PNG),
            Scripted::json(200, &asset_json("asset_0001", 100)),
            Scripted::file(200, JPEG),
            Scripted::json(200, &asset_json("asset_0002", 200)),
            Scripted::json(200, &avatar_json()),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "inspect /refs/1.png",
            "send POST /v3/assets",
            "inspect /refs/2.jpg",
            "send POST /v3/assets",
            "send POST /v3/avatars",
        ]
    );
    let out = run.result.unwrap();
    let ids: Vec<_> = out
        .asset_ids
        .iter()
        .map(heygen_model::AssetId::as_str)
        .collect();
    assert_eq!(ids, ["asset_0001", "asset_0002"]);
    let Body::Stream(second) = run.sent[1].request.body() else {
        panic!()
    };
    assert!(
        std::str::from_utf8(&second.prefix)
            .unwrap()
            .contains("filename=\"2.jpg\"\r\nContent-Type: image/jpeg")
    );
    assert_eq!(
        json_of(&run.sent[2].request),
        json!({
            "type": "prompt",
            "name": "P",
            "prompt": "a friendly teacher",
            "reference_images": [
                {"type": "asset_id", "asset_id": "asset_0001"},
                {"type": "asset_id", "asset_id": "asset_0002"},
            ],
        })
    );
    // A failed upload ends the workflow: nothing is created.
    let run = play(
        PromptFromFiles::new("P", "a friendly teacher", &["/refs/1.png", "/refs/2.jpg"]),
        &config(),
        [
            Scripted::file(100, PNG),
            Scripted::json(400, r#"{"error":{"code":"invalid_parameter"}}"#),
        ],
    );
    assert_eq!(run.steps, ["inspect /refs/1.png", "send POST /v3/assets"]);
    assert_eq!(
        run.result.unwrap_err().api_code(),
        Some("invalid_parameter")
    );
}

#[test]
fn prompt_from_files_refuses_an_invalid_request_before_uploading() {
    let paths = ["/r/1.png", "/r/2.png", "/r/3.png", "/r/4.png"];
    let run = play(
        PromptFromFiles::new("P", "a teacher", &paths),
        &config(),
        [],
    );
    assert!(run.steps.is_empty(), "{:?}", run.steps);
    let Err(Error::InvalidRequest(invalid)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(invalid.field.as_deref(), Some("reference_images"));
    assert_eq!(invalid.path, Some("/v3/avatars"));
    let long = "p".repeat(1001);
    let run = play(
        PromptFromFiles::new("P", &long, &["/r/1.png"]),
        &config(),
        [],
    );
    assert!(run.steps.is_empty(), "{:?}", run.steps);
    assert_eq!(run.result.unwrap_err().class(), ErrorClass::Validation);
}

/// Runs `workflow` to its end, then asks again: a workflow that is over says so with an error.
fn asked_again<W: Workflow>(
    mut workflow: W,
    config: &Config,
    answers: Vec<Scripted>,
) -> Result<W::Output, Error> {
    let run = play(&mut workflow, config, answers);
    let cx = Cx::new(config, secs(3600), [1; 16]);
    match workflow.next(&cx) {
        Next::Done(Err(Error::InvalidRequest(_))) => {}
        Next::Done(Err(Error::UploadFailed(failed)))
            if matches!(failed.source, Error::InvalidRequest(_)) => {}
        Next::Done(Err(other)) => panic!("another error: {other:?}"),
        Next::Done(Ok(_)) => panic!("done again"),
        _ => panic!("went on"),
    }
    run.result
}

#[test]
fn every_workflow_refuses_to_go_on_after_done() {
    let cfg = config();
    let video_done = || Scripted::json(200, &video_json("completed"));
    let call = Call::new(GetVideo::new(video()), &cfg, [0; 16]).unwrap();
    assert!(asked_again(call, &cfg, vec![video_done()]).is_ok());
    assert!(asked_again(Wait::video(&video()), &cfg, vec![video_done()]).is_ok());
    let walk = heygen_core::Walk::new(ListLooks::default());
    let page = Scripted::json(200, &looks_page(&["look_1"], None));
    assert!(asked_again(walk, &cfg, vec![page]).is_ok());
    let walk = heygen_core::Walk::new(ListLooks::default());
    assert!(asked_again(walk, &cfg, vec![Scripted::json(404, "{}")]).is_err());
    let unreadable = || Scripted::unreadable(io::Error::other("gone"));
    assert!(asked_again(MultipartUpload::path("/x/a.png"), &cfg, vec![unreadable()]).is_err());
    let asset = || Scripted::json(200, &asset_json("asset_0001", 5));
    let upload = MultipartUpload::path("/x/a.png");
    assert!(asked_again(upload, &cfg, vec![Scripted::file(5, PNG), asset()]).is_ok());
    let upload = UploadFile::path("/x/a.png");
    assert!(asked_again(upload, &cfg, vec![Scripted::file(5, PNG), asset()]).is_ok());
    let direct = UploadDirect::path("/x/a.mp4");
    assert!(asked_again(direct, &cfg, vec![unreadable()]).is_err());
    let with_file = WithFile::avatar(AvatarFileKind::Photo, "A", "/x/a.png");
    let created = Scripted::json(200, &avatar_json());
    assert!(asked_again(with_file, &cfg, vec![Scripted::file(5, PNG), created]).is_ok());
    let prompt = PromptFromFiles::new("P", "a teacher", &["/x/a.png"]);
    let created = Scripted::json(200, &avatar_json());
    assert!(asked_again(prompt, &cfg, vec![Scripted::file(5, PNG), asset(), created]).is_ok());
    let put = PutDirectUpload::reader(&direct_upload(), 5);
    assert!(asked_again(put, &cfg, vec![Scripted::json(503, "")]).is_err());
}

//! The download workflow, sans IO: scripted answers, the exact sequence of effects, and the
//! headers of the file request.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use heygen_core::download::{
    Download, DownloadOptions, Downloaded, default_file_name, plan_path, temp_path,
};
use heygen_core::workflow::{Scripted, script};
use heygen_core::{DownloadFailure, Error, ErrorClass, Next, TransportErrorKind};
use heygen_model::{Video, VideoId};

use crate::support::{KEY, config};

fn id() -> VideoId {
    VideoId::new("vid_0001").unwrap()
}

fn video(status: &str, url: Option<&str>) -> String {
    let url = url.map_or("null".to_owned(), |u| format!("\"{u}\""));
    format!(
        r#"{{"data":{{"id":"vid_0001","status":"{status}","video_url":{url},"captioned_video_url":"https://files.example.com/vid_0001.captioned.mp4?sig=cap"}}}}"#
    )
}

const FIRST: &str = "https://files.example.com/vid_0001.mp4?X-Amz-Signature=first";
const SECOND: &str = "https://files.example.com/vid_0001.mp4?X-Amz-Signature=second";

fn file(bytes: &[u8]) -> Scripted {
    let len = bytes.len().to_string();
    Scripted::file_body(
        200,
        &[("content-length", &len), ("content-type", "video/mp4")],
        bytes,
    )
}

/// Every request the workflow asked for, as `METHOD URL` with its header names.
type Seen = Arc<Mutex<Vec<(String, Vec<String>)>>>;

fn run(
    options: DownloadOptions,
    answers: Vec<Scripted>,
) -> (Result<Downloaded, Error>, Vec<String>, Seen) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let mut answers = answers.into_iter();
    let (result, steps) = script(Download::new(&id(), options), &config(), move |next, _| {
        let request = match next {
            Next::Send(out) => Some(&out.request),
            Next::Receive(receive) => Some(&receive.outgoing.request),
            _ => None,
        };
        let Some(request) = request else {
            // Sleeps and the end: the answer is ignored.
            return Scripted::failed(TransportErrorKind::Other);
        };
        {
            let names = request
                .headers()
                .keys()
                .map(|k| k.as_str().to_owned())
                .collect();
            log.lock()
                .unwrap()
                .push((format!("{} {}", request.method(), request.uri()), names));
        }
        answers
            .next()
            .unwrap_or_else(|| Scripted::failed(TransportErrorKind::Other))
    });
    (result, steps, seen)
}

fn reason(error: &Error) -> &DownloadFailure {
    match error {
        Error::DownloadFailed(failed) => &failed.reason,
        other => panic!("not a download failure: {other:?}"),
    }
}

#[test]
fn a_completed_video_is_read_then_its_file_streamed_without_credentials() {
    let bytes = vec![7u8; 200_000];
    let (result, steps, seen) = run(
        DownloadOptions::new(),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            file(&bytes),
        ],
    );
    let done = result.unwrap();
    assert_eq!(done.bytes, 200_000);
    assert_eq!(done.video_id, id());
    assert_eq!(done.content_type.as_deref(), Some("video/mp4"));
    assert_eq!(
        steps,
        ["send GET /v3/videos/vid_0001", "receive GET /vid_0001.mp4"]
    );
    let seen = seen.lock().unwrap();
    // The API read carries the key; the file request carries nothing but the link.
    assert!(seen[0].1.contains(&"x-api-key".to_owned()), "{:?}", seen[0]);
    assert_eq!(seen[1].0, format!("GET {FIRST}"));
    assert!(
        seen[1].1.is_empty(),
        "file request headers: {:?}",
        seen[1].1
    );
}

#[test]
fn the_captioned_option_fetches_the_captioned_link() {
    let (result, _, seen) = run(
        DownloadOptions::new().captioned(true),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            file(b"abc"),
        ],
    );
    assert_eq!(result.unwrap().bytes, 3);
    assert!(seen.lock().unwrap()[1].0.contains("captioned"));
}

#[test]
fn a_video_not_completed_fails_without_a_file_request() {
    for status in ["processing", "pending", "waiting"] {
        let (result, steps, _) = run(
            DownloadOptions::new(),
            vec![Scripted::json(200, &video(status, None))],
        );
        let error = result.unwrap_err();
        assert!(
            matches!(reason(&error), DownloadFailure::NotCompleted { status: Some(s) } if s == status),
            "{error:?}"
        );
        assert_eq!(steps, ["send GET /v3/videos/vid_0001"], "{status}");
        assert_eq!(error.class(), ErrorClass::Other);
        assert!(error.to_string().contains(status), "{error}");
    }
}

#[test]
fn a_failed_or_error_video_is_the_job_failure_without_wait_too() {
    for status in ["failed", "error"] {
        let body = format!(
            r#"{{"data":{{"id":"vid_0001","status":"{status}","failure_code":"video_render_failed","failure_message":"the avatar could not be rendered"}}}}"#
        );
        let (result, steps, _) = run(DownloadOptions::new(), vec![Scripted::json(200, &body)]);
        let error = result.unwrap_err();
        let Error::JobFailed(failed) = &error else {
            panic!("{status}: {error:?}");
        };
        assert_eq!(failed.resource, "video");
        assert_eq!(failed.id, "vid_0001");
        assert_eq!(failed.code.as_deref(), Some("video_render_failed"));
        assert_eq!(
            failed.message.as_deref(),
            Some("the avatar could not be rendered")
        );
        assert_eq!(steps, ["send GET /v3/videos/vid_0001"], "{status}");
    }
}

#[test]
fn an_answer_for_another_video_is_refused_before_any_file_request() {
    let body = r#"{"data":{"id":"../pwned","status":"completed","video_url":"https://files.example.com/x.mp4?sig=a"}}"#;
    let (result, steps, _) = run(DownloadOptions::new(), vec![Scripted::json(200, body)]);
    let error = result.unwrap_err();
    assert!(
        matches!(reason(&error), DownloadFailure::OtherVideo { id } if id == "../pwned"),
        "{error:?}"
    );
    assert_eq!(steps, ["send GET /v3/videos/vid_0001"]);
    assert_eq!(error.class(), ErrorClass::Protocol);
    assert!(error.to_string().contains("../pwned"), "{error}");
}

#[test]
fn the_file_request_waits_for_its_head_and_then_for_each_byte_within_the_read_timeout() {
    let config = heygen_core::Config::builder()
        .api_key(KEY)
        .timeouts(
            heygen_core::Timeouts::new()
                .read(Duration::from_secs(7))
                .upload(Duration::from_mins(15)),
        )
        .build()
        .unwrap();
    let mut options = None;
    let mut answers = vec![
        Scripted::json(200, &video("completed", Some(FIRST))),
        file(b"x"),
    ]
    .into_iter();
    let (result, _) = script(
        Download::new(&id(), DownloadOptions::new()),
        &config,
        |next, _| {
            if let Next::Receive(receive) = next {
                options = Some(receive.outgoing.options);
            }
            answers
                .next()
                .unwrap_or_else(|| Scripted::failed(TransportErrorKind::Other))
        },
    );
    assert_eq!(result.unwrap().bytes, 1);
    let options = options.unwrap();
    assert_eq!(options.timeout, Duration::from_secs(7));
    assert_eq!(options.idle, Some(Duration::from_secs(7)));
}

#[test]
fn a_completed_video_without_a_link_is_a_typed_error() {
    let (result, steps, _) = run(
        DownloadOptions::new(),
        vec![Scripted::json(200, &video("completed", None))],
    );
    assert!(matches!(
        reason(&result.unwrap_err()),
        DownloadFailure::NoUrl { captioned: false }
    ));
    assert_eq!(steps.len(), 1);
}

#[test]
fn an_expired_link_is_refreshed_once_and_the_second_get_uses_the_new_link() {
    let (result, steps, seen) = run(
        DownloadOptions::new(),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            Scripted::file_body(403, &[("content-type", "application/xml")], b"<Error/>"),
            Scripted::json(200, &video("completed", Some(SECOND))),
            file(b"0123456789"),
        ],
    );
    assert_eq!(result.unwrap().bytes, 10);
    assert_eq!(
        steps,
        [
            "send GET /v3/videos/vid_0001",
            "receive GET /vid_0001.mp4",
            "send GET /v3/videos/vid_0001",
            "receive GET /vid_0001.mp4",
        ]
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen[1].0, format!("GET {FIRST}"));
    assert_eq!(seen[3].0, format!("GET {SECOND}"));
}

#[test]
fn a_second_403_is_refused_naming_the_status_without_the_signature() {
    let forbidden = || Scripted::file_body(403, &[], b"<Error><Code>ExpiredToken</Code></Error>");
    let (result, steps, _) = run(
        DownloadOptions::new(),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            forbidden(),
            Scripted::json(200, &video("completed", Some(SECOND))),
            forbidden(),
        ],
    );
    let error = result.unwrap_err();
    assert!(matches!(
        reason(&error),
        DownloadFailure::Refused { status, .. } if status.as_u16() == 403
    ));
    assert_eq!(steps.len(), 4);
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(
            !text.contains("second") && !text.contains("Signature="),
            "{text}"
        );
        assert!(!text.contains(KEY), "{text}");
    }
    assert!(error.to_string().contains("403"), "{error}");
    // Not an authentication problem of the API: the CLI exits 1, not 3.
    assert_ne!(error.class(), ErrorClass::Forbidden);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
}

#[test]
fn another_status_is_refused_at_once() {
    let (result, steps, _) = run(
        DownloadOptions::new(),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            Scripted::file_body(404, &[], b"<Error><Code>NoSuchKey</Code></Error>"),
        ],
    );
    assert!(matches!(
        reason(&result.unwrap_err()),
        DownloadFailure::Refused { status, .. } if status.as_u16() == 404
    ));
    assert_eq!(steps.len(), 2);
}

#[test]
fn a_body_shorter_or_longer_than_its_content_length_is_refused() {
    for (announced, body) in [("100", &[1u8; 60][..]), ("10", &[1u8; 11][..])] {
        let (result, _, _) = run(
            DownloadOptions::new(),
            vec![
                Scripted::json(200, &video("completed", Some(FIRST))),
                Scripted::file_body(200, &[("content-length", announced)], body),
            ],
        );
        let error = result.unwrap_err();
        let DownloadFailure::WrongLength { expected, .. } = reason(&error) else {
            panic!("{error:?}");
        };
        assert_eq!(expected.to_string(), announced);
        assert_eq!(error.class(), ErrorClass::Protocol);
    }
}

#[test]
fn a_connection_cut_mid_file_is_an_error_with_the_bytes_received() {
    let (result, steps, _) = run(
        DownloadOptions::new(),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            Scripted::cut(
                200,
                &[("content-length", "1000")],
                &[0u8; 400],
                TransportErrorKind::Io,
            ),
        ],
    );
    let error = result.unwrap_err();
    assert!(matches!(
        reason(&error),
        DownloadFailure::Interrupted {
            received: 400,
            kind: TransportErrorKind::Io
        }
    ));
    assert_eq!(steps.len(), 2, "a partial body is not retried");
}

#[test]
fn a_5xx_from_the_file_origin_is_retried_with_the_same_link() {
    for status in [500, 502, 503, 504] {
        let (result, steps, seen) = run(
            DownloadOptions::new(),
            vec![
                Scripted::json(200, &video("completed", Some(FIRST))),
                Scripted::file_body(status, &[], b"<Error/>"),
                file(b"ok"),
            ],
        );
        assert_eq!(result.unwrap().bytes, 2, "{status}");
        assert_eq!(steps.len(), 4, "{steps:?}");
        assert_eq!(steps[1], "receive GET /vid_0001.mp4");
        assert!(steps[2].starts_with("sleep"), "{steps:?}");
        assert_eq!(steps[3], "receive GET /vid_0001.mp4");
        assert_eq!(seen.lock().unwrap()[2].0, format!("GET {FIRST}"));
    }
}

#[test]
fn a_failed_connection_or_a_body_cut_before_its_first_byte_is_retried() {
    let cut_at_zero = Scripted::cut(
        200,
        &[("content-length", "10")],
        &[],
        TransportErrorKind::ConnectionReset,
    );
    for failure in [Scripted::failed(TransportErrorKind::Connect), cut_at_zero] {
        let (result, steps, _) = run(
            DownloadOptions::new(),
            vec![
                Scripted::json(200, &video("completed", Some(FIRST))),
                failure,
                file(b"0123456789"),
            ],
        );
        assert_eq!(result.unwrap().bytes, 10);
        assert_eq!(steps.len(), 4, "{steps:?}");
        assert!(steps[2].starts_with("sleep"), "{steps:?}");
    }
}

#[test]
fn the_file_origin_retries_stop_at_the_policy() {
    let mut answers = vec![Scripted::json(200, &video("completed", Some(FIRST)))];
    answers.extend((0..10).map(|_| Scripted::file_body(503, &[], b"busy")));
    let (result, steps, _) = run(DownloadOptions::new(), answers);
    let error = result.unwrap_err();
    assert!(matches!(
        reason(&error),
        DownloadFailure::Refused { status, .. } if status.as_u16() == 503
    ));
    let tries = steps.iter().filter(|s| s.starts_with("receive")).count();
    let retries = config().retry_policy().max_retries;
    assert_eq!(tries, retries as usize + 1, "{steps:?}");
}

#[test]
fn the_video_read_is_retried_like_any_call() {
    let (result, steps, _) = run(
        DownloadOptions::new(),
        vec![
            Scripted::json(503, r#"{"error":{"code":"server_error","message":"busy"}}"#),
            Scripted::json(200, &video("completed", Some(FIRST))),
            file(b"ok"),
        ],
    );
    assert_eq!(result.unwrap().bytes, 2);
    assert_eq!(steps[0], "send GET /v3/videos/vid_0001");
    assert!(steps[1].starts_with("sleep"), "{steps:?}");
    assert_eq!(steps[2], "send GET /v3/videos/vid_0001");
    assert_eq!(steps[3], "receive GET /vid_0001.mp4");
}

#[test]
fn with_wait_the_video_is_polled_until_completed_then_downloaded() {
    let (result, steps, _) = run(
        DownloadOptions::new().wait(true),
        vec![
            Scripted::json(200, &video("processing", None)),
            Scripted::json(200, &video("completed", Some(FIRST))),
            file(b"done"),
        ],
    );
    assert_eq!(result.unwrap().bytes, 4);
    assert_eq!(steps.len(), 4, "{steps:?}");
    assert_eq!(steps[0], "send GET /v3/videos/vid_0001");
    assert!(steps[1].starts_with("sleep"), "{steps:?}");
    assert_eq!(steps[2], "send GET /v3/videos/vid_0001");
    assert_eq!(steps[3], "receive GET /vid_0001.mp4");
}

#[test]
fn with_wait_a_failed_render_ends_the_wait_without_a_file_request() {
    let (result, steps, _) = run(
        DownloadOptions::new().wait(true),
        vec![Scripted::json(
            200,
            r#"{"data":{"id":"vid_0001","status":"failed","failure_code":"boom"}}"#,
        )],
    );
    assert!(matches!(result.unwrap_err(), Error::JobFailed(_)));
    assert_eq!(steps, ["send GET /v3/videos/vid_0001"]);
}

#[test]
fn a_link_that_is_not_https_is_refused_unless_loopback() {
    let (result, steps, _) = run(
        DownloadOptions::new(),
        vec![Scripted::json(
            200,
            &video("completed", Some("http://files.example.com/v.mp4?sig=x")),
        )],
    );
    // A request was sent already: a download failure, not a validation error.
    let error = result.unwrap_err();
    assert!(
        matches!(
            reason(&error),
            DownloadFailure::UnsafeUrl { captioned: false }
        ),
        "{error:?}"
    );
    assert_ne!(error.class(), ErrorClass::Validation);
    assert!(!error.to_string().contains("sig=x"), "{error}");
    assert_eq!(steps.len(), 1);
    let (result, _, _) = run(
        DownloadOptions::new(),
        vec![
            Scripted::json(
                200,
                &video("completed", Some("http://127.0.0.1:9/v.mp4?s=1")),
            ),
            file(b"x"),
        ],
    );
    assert_eq!(result.unwrap().bytes, 1);
}

#[test]
fn a_2xx_error_page_is_refused_at_its_head_and_media_types_are_accepted() {
    let page = |content_type: &str| {
        Scripted::file_body(
            200,
            &[("content-type", content_type)],
            b"<Error><Code>AccessDenied</Code></Error>",
        )
    };
    for content_type in [
        "text/html; charset=utf-8",
        "Text/Plain",
        "application/xml",
        "application/json",
        "application/problem+json",
        "application/vnd.error+xml",
    ] {
        let calls = Arc::new(Mutex::new(0u32));
        let log = Arc::clone(&calls);
        let (result, steps, _) = run(
            DownloadOptions::new().progress(move |_, _| *log.lock().unwrap() += 1),
            vec![
                Scripted::json(200, &video("completed", Some(FIRST))),
                page(content_type),
            ],
        );
        let error = result.unwrap_err();
        match reason(&error) {
            DownloadFailure::NotMedia {
                status,
                content_type: sent,
            } => {
                assert_eq!(status.as_u16(), 200, "{content_type}");
                assert_eq!(sent, content_type);
            }
            other => panic!("{content_type}: {other:?}"),
        }
        // One file request, not retried, and not one byte reached the sink.
        assert_eq!(
            steps,
            ["send GET /v3/videos/vid_0001", "receive GET /vid_0001.mp4"],
            "{content_type}"
        );
        assert_eq!(
            *calls.lock().unwrap(),
            0,
            "{content_type}: bytes were written"
        );
        assert_eq!(error.class(), ErrorClass::Protocol);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
        let text = error.to_string();
        assert!(
            text.contains("200") && text.contains(content_type),
            "{text}"
        );
        for text in [text, format!("{error:?}")] {
            assert!(!text.contains("Signature="), "{text}");
            assert!(!text.contains(KEY), "{text}");
        }
    }
    let accepted: [&[(&str, &str)]; 6] = [
        &[],
        &[("content-type", "video/mp4")],
        &[("content-type", "video/webm")],
        &[("content-type", "audio/mpeg")],
        &[("content-type", "application/octet-stream")],
        &[("content-type", "binary/octet-stream")],
    ];
    for headers in accepted {
        let (result, _, _) = run(
            DownloadOptions::new(),
            vec![
                Scripted::json(200, &video("completed", Some(FIRST))),
                Scripted::file_body(200, headers, b"\0\0\0\x18ftyp"),
            ],
        );
        assert_eq!(result.unwrap().bytes, 8, "{headers:?}");
    }
}

#[test]
fn progress_reports_bytes_and_the_announced_total() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&calls);
    let bytes = vec![1u8; 150 * 1024];
    let (result, _, _) = run(
        DownloadOptions::new().progress(move |done, total| log.lock().unwrap().push((done, total))),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            file(&bytes),
        ],
    );
    assert!(result.is_ok());
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 3, "three 64 KiB chunks: {calls:?}");
    assert_eq!(calls.last(), Some(&(150 * 1024, 150 * 1024)));
}

#[test]
fn temp_files_are_hidden_beside_the_target_and_unique_per_run() {
    let target = Path::new("/videos/out/vid_0001.mp4");
    let a = temp_path(target, [0xab; 16]);
    let b = temp_path(target, [0x01; 16]);
    assert_eq!(a.parent(), target.parent());
    assert_eq!(a, Path::new("/videos/out/.vid_0001.mp4.abababab.part"));
    assert_ne!(a, b);
    assert_eq!(
        temp_path(Path::new("clip.mp4"), [0; 16]),
        Path::new(".clip.mp4.00000000.part")
    );
}

#[test]
fn a_directory_gets_the_default_name_and_a_missing_one_fails_naming_the_path() {
    let plan = plan_path(&id(), Path::new("/videos/out"), true, [0xab; 16]).unwrap();
    assert!(plan.directory);
    assert_eq!(
        plan.temp,
        Path::new("/videos/out/.vid_0001.abababab.part"),
        "the temp file is inside the directory"
    );
    let (result, _, _) = run(
        DownloadOptions::new().captioned(true),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            file(b"abc"),
        ],
    );
    let done = result.unwrap();
    assert_eq!(done.file_name, "vid_0001.captioned.mp4");
    assert_eq!(
        plan.final_path(&done),
        PathBuf::from("/videos/out/vid_0001.captioned.mp4")
    );
    let file = plan_path(&id(), Path::new("out/clip.mp4"), false, [0; 16]).unwrap();
    assert!(!file.directory);
    assert_eq!(file.final_path(&done), Path::new("out/clip.mp4"));
    // A path written as a directory that is not one fails before anything is fetched.
    let error = plan_path(&id(), Path::new("nodir/"), false, [0; 16]).unwrap_err();
    assert!(matches!(reason(&error), DownloadFailure::Write { .. }));
    assert!(error.to_string().contains("nodir/"), "{error}");
    // A sink that failed part way names the path too; other errors are left as they are.
    let (cut, _, _) = run(
        DownloadOptions::new(),
        vec![Scripted::json(200, &video("processing", None))],
    );
    let cut = file.name_path(cut.unwrap_err());
    assert!(!cut.to_string().contains("out/clip.mp4"), "{cut}");
    let full = std::io::Error::other("no space left on device");
    let named = file.name_path(heygen_core::download::sink_failed(&id(), &full));
    assert!(
        named.to_string().contains("out/clip.mp4: no space left"),
        "{named}"
    );
    let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    assert!(
        file.file_failed(&io).to_string().contains("out/clip.mp4"),
        "{}",
        file.file_failed(&io)
    );
}

#[test]
fn the_default_file_name_follows_the_link_extension() {
    let parse = |url: &str| -> Video {
        serde_json::from_str(&format!(
            r#"{{"id":"vid_0001","status":"completed","video_url":"{url}"}}"#
        ))
        .unwrap()
    };
    let id = id();
    assert_eq!(
        default_file_name(&id, &parse("https://f.example/a/vid_0001.webm?x=1"), false),
        "vid_0001.webm"
    );
    assert_eq!(
        default_file_name(&id, &parse("https://f.example/a/vid_0001.mp4?x=1"), false),
        "vid_0001.mp4"
    );
    // The captioned file does not take the plain file's name.
    assert_eq!(
        default_file_name(&id, &parse("https://f.example/a/vid_0001.mp4"), true),
        "vid_0001.captioned.mp4"
    );
}

#[test]
fn the_default_file_name_comes_from_the_requested_id_not_the_server() {
    let video: Video = serde_json::from_str(
        r#"{"id":"../pwned","status":"completed","video_url":"https://f.example/x.mp4"}"#,
    )
    .unwrap();
    let name = default_file_name(&id(), &video, false);
    assert_eq!(name, "vid_0001.mp4");
    assert!(!name.contains('/') && !name.contains(".."));
}

#[test]
fn a_body_that_times_out_is_a_timeout() {
    let (result, _, _) = run(
        DownloadOptions::new(),
        vec![
            Scripted::json(200, &video("completed", Some(FIRST))),
            Scripted::cut(
                200,
                &[("content-length", "1000")],
                &[0u8; 10],
                TransportErrorKind::Timeout,
            ),
        ],
    );
    let error = result.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(error.class(), ErrorClass::Timeout);
    assert!(!error.is_retryable());
    assert!(
        matches!(
            reason(&error),
            DownloadFailure::Interrupted { received: 10, .. }
        ),
        "{error:?}"
    );
}

#[test]
fn debug_of_the_file_request_hides_the_link_signature() {
    let mut seen = Vec::new();
    let mut answers = vec![
        Scripted::json(200, &video("completed", Some(FIRST))),
        file(b"abc"),
    ]
    .into_iter();
    let (result, _) = script(
        Download::new(&id(), DownloadOptions::new()),
        &config(),
        |next, _| {
            seen.push(format!("{next:?}"));
            answers
                .next()
                .unwrap_or_else(|| Scripted::failed(TransportErrorKind::Other))
        },
    );
    assert_eq!(result.unwrap().bytes, 3);
    let receive = seen.iter().find(|s| s.contains("Receive")).unwrap();
    assert!(receive.contains("files.example.com"), "{receive}");
    assert!(
        !receive.contains("first") && !receive.contains(KEY),
        "{receive}"
    );
}

//! The field failure cases (`/work/shared/cases`) and their variants, run through the `heygen`
//! binary against a scripted server ([`crate::field_mock`]) that serves exact bytes and records
//! every request, on both transports. Each test checks the exit code, the stderr envelope, what
//! was sent, and that both transports print the same stdout bytes.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::field_mock::{KEY, Mock, Recorded, Reply, gzip};
use crate::support::{DIGITAL_TWIN, Run, TRANSPORTS, VIDEO_CREATE, digital_twin};

const HTML_404: &str =
    "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";

/// Waits for group `grp_0001`, polling every 0.1 s for up to 60 s.
const AVATAR_WAIT: [&str; 7] = [
    "--poll-interval",
    "0.1",
    "avatar",
    "wait",
    "grp_0001",
    "--timeout",
    "60",
];

/// Runs `args` on both transports against a fresh server from `make` each time; asserts both
/// print the same stdout and exit with the same code. Returns each run with its requests.
fn both(make: impl Fn() -> Mock, args: &[&str]) -> Vec<(Run, Vec<Recorded>)> {
    let runs: Vec<(Run, Vec<Recorded>)> = TRANSPORTS
        .iter()
        .map(|transport| {
            let mock = make();
            let run = mock.run(transport, args);
            (run, mock.requests())
        })
        .collect();
    assert_eq!(
        runs[0].0.stdout, runs[1].0.stdout,
        "both transports print the same stdout: {:?} / {:?}",
        runs[0].0, runs[1].0
    );
    assert_eq!(
        runs[0].0.code, runs[1].0.code,
        "both transports exit alike: {:?} / {:?}",
        runs[0].0, runs[1].0
    );
    if runs[0].0.code != 0 {
        let strip = |run: &Run| {
            let mut line: Value = serde_json::from_str(run.stderr.lines().last().unwrap_or("{}"))
                .unwrap_or(Value::Null);
            if let Some(error) = line.get_mut("error").and_then(Value::as_object_mut) {
                error.remove("message");
            }
            line
        };
        assert_eq!(
            strip(&runs[0].0),
            strip(&runs[1].0),
            "both transports give the same error fields: {:?} / {:?}",
            runs[0].0,
            runs[1].0
        );
    }
    runs
}

/// The `Idempotency-Key` header of each request.
fn idempotency_keys(requests: &[Recorded]) -> Vec<Option<&str>> {
    requests
        .iter()
        .map(|r| r.header("idempotency-key"))
        .collect()
}

/// Asserts `a` and `b` carry the same `Idempotency-Key` (or both none).
#[track_caller]
fn assert_same_idempotency_key(a: &Recorded, b: &Recorded) {
    assert_eq!(a.header("idempotency-key"), b.header("idempotency-key"));
}

/// [`both`] with a server that always answers `reply`.
fn both_always(reply: &Reply, args: &[&str]) -> Vec<(Run, Vec<Recorded>)> {
    both(|| Mock::always(reply.clone()), args)
}

fn api_requests(requests: &[Recorded]) -> Vec<&Recorded> {
    requests
        .iter()
        .filter(|r| r.path().starts_with("/v3/"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// BR-01: HTML (and other non-JSON) bodies keep the status.

#[test]
fn br_01_html_404_on_consent_keeps_status() {
    for (run, requests) in both_always(
        &Reply::new(404, "text/html", HTML_404).header("X-Request-Id", "req_html_404"),
        &["avatar", "consent", "create", "grp_0001"],
    ) {
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stdout, "");
        let error = run.error();
        let code = error["code"].as_str().unwrap();
        assert!(
            code == "cli_not_found" || code == "cli_unexpected_response",
            "{run:?}"
        );
        assert_eq!(error["status"], 404, "{run:?}");
        assert_eq!(error["request_id"], "req_html_404", "{run:?}");
        assert_eq!(requests.len(), 1, "a 404 is not retried: {requests:?}");
        assert_eq!(requests[0].method, "POST");
        assert_eq!(requests[0].path(), "/v3/avatars/grp_0001/consent");
    }
}

#[test]
fn br_01_html_200_on_video_get_is_unexpected() {
    for (run, requests) in both_always(
        &Reply::new(
            200,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><body>Sign in to continue</body></html>",
        ),
        &["video", "get", "vid_0001"],
    ) {
        run.failed_with_status(1, "cli_unexpected_response", 200);
        assert_eq!(requests.len(), 1, "{requests:?}");
    }
}

/// BR-01 A as the case states it for the SDK: an HTML 404 is `Api { status: 404, code: None }`,
/// the not-found class, which the CLI prints as `cli_not_found`.
#[test]
fn br_01_html_404_is_the_not_found_class() {
    for (run, _) in both_always(
        &Reply::new(404, "text/html", HTML_404),
        &["avatar", "consent", "create", "grp_0001"],
    ) {
        run.failed(1, "cli_not_found");
    }
}

/// A JSON array body is never read as the positional fields of the envelope: a 200 with
/// `[{…}]` is not a success, and a 500 with `[1,2,3]` has no HeyGen code.
#[test]
fn br_01_variants_json_array_bodies() {
    for (run, requests) in both_always(
        &Reply::json(200, r#"[{"id":"vid_0001","status":"completed"}]"#)
            .header("X-Request-Id", "req_arr"),
        &["video", "get", "vid_0001"],
    ) {
        assert_eq!(run.code, 1, "a JSON array is not a data envelope: {run:?}");
        assert_eq!(run.stdout, "");
        let error = run.error();
        assert!(
            error["code"].as_str().unwrap().starts_with("cli_"),
            "{run:?}"
        );
        assert_eq!(error["status"], 200);
        assert_eq!(requests.len(), 1);
    }
    for (run, _) in both_always(&Reply::json(200, "[1,2,3]"), &["user", "me"]) {
        assert_eq!(run.code, 1, "{run:?}");
        assert!(
            run.error()["code"].as_str().unwrap().starts_with("cli_"),
            "{run:?}"
        );
    }
    for (run, _) in both_always(
        &Reply::json(400, r#"[null,"bad thing","E_CODE"]"#),
        &["user", "me"],
    ) {
        assert_eq!(run.code, 1, "{run:?}");
        let error = run.error();
        assert_eq!(error["status"], 400);
        assert_eq!(error["code"], "cli_invalid_request", "{run:?}");
    }
}

/// Non-JSON and malformed success bodies on other endpoints: never exit 0, the status is kept.
#[test]
fn br_01_variants_malformed_success_bodies() {
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("text/plain", b"OK".to_vec()),
        ("application/json", b"".to_vec()),
        ("", b"".to_vec()),
        ("application/json", b"\"data\"".to_vec()),
        (
            "application/json",
            b"{\"data\":{\"id\":\"grp_0001\",\"na".to_vec(),
        ),
        ("application/json", b"{\"data\":null}".to_vec()),
        ("application/json", b"{}".to_vec()),
        (
            "application/json",
            b"{\"result\":{\"id\":\"grp_0001\"}}".to_vec(),
        ),
        ("text/html", b"<html><body>Sign in</body></html>".to_vec()),
    ];
    let commands: [&[&str]; 4] = [
        &["avatar", "get", "grp_0001"],
        &["avatar", "looks", "get", "look_0001"],
        &["user", "me"],
        &["video", "list"],
    ];
    for (content_type, body) in &bodies {
        for args in commands {
            if args[1] == "list" && body.starts_with(b"{") && !body.starts_with(b"{\"data\":{") {
                // A list page without `data`: see br_01_variants_list_page_without_data.
                continue;
            }
            let (content_type, body) = (*content_type, body.clone());
            for (run, requests) in both(
                move || {
                    Mock::always(
                        Reply::new(200, content_type, body.clone())
                            .header("X-Request-Id", "req_bad_200"),
                    )
                },
                args,
            ) {
                assert_eq!(run.code, 1, "{args:?} {content_type} {run:?}");
                assert_eq!(run.stdout, "", "{run:?}");
                let error = run.error();
                let code = error["code"].as_str().unwrap();
                assert!(code.starts_with("cli_"), "{args:?} {run:?}");
                assert_eq!(error["status"], 200, "{args:?} {content_type} {run:?}");
                assert_eq!(error["request_id"], "req_bad_200", "{args:?} {run:?}");
                assert_eq!(api_requests(&requests).len(), 1, "{args:?} {requests:?}");
            }
        }
    }
}

/// A 200 body with none of a page's members (a proxy's `{}`, another API's `{"result": …}`) is
/// a malformed response, not an empty list; a page that says `has_more` but leaves out `data`
/// (optional in the reference) is an empty page.
#[test]
fn br_01_variants_list_page_without_data() {
    for (run, requests) in both_always(
        &Reply::json(200, r#"{"has_more":false}"#),
        &["video", "list"],
    ) {
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.json()["data"], json!([]), "{run:?}");
        assert_eq!(requests.len(), 1);
    }
    for body in ["{}", r#"{"result":[{"id":"vid_0001"}]}"#] {
        for args in [
            &["video", "list"][..],
            &["avatar", "list"][..],
            &["avatar", "looks", "list"][..],
        ] {
            for (run, requests) in both_always(&Reply::json(200, body), args) {
                assert_eq!(run.code, 1, "{body} {args:?}: {run:?}");
                assert_eq!(run.stdout, "");
                assert_eq!(run.error()["status"], 200);
                assert_eq!(requests.len(), 1);
            }
        }
    }
}

/// Error statuses with every body shape give the status, a stable code and the right exit.
#[test]
fn br_01_variants_error_statuses_and_body_shapes() {
    let shapes: Vec<(&str, &str, Option<&str>)> = vec![
        // (content type, body, HeyGen code expected)
        ("text/html", HTML_404, None),
        ("", "", None),
        ("text/plain", "upstream connect error", None),
        ("application/json", "[]", None),
        ("application/json", "{\"error\":", None),
        (
            "application/json",
            "{\"code\": 400112, \"message\": \"avatar not allowed\"}",
            Some("400112"),
        ),
        (
            "application/json",
            "{\"detail\": \"Unsupported media type\"}",
            None,
        ),
        (
            "application/json",
            "{\"detail\": [{\"loc\": [\"body\", \"name\"], \"msg\": \"field required\", \"type\": \"value_error.missing\"}]}",
            None,
        ),
        (
            "application/json",
            "{\"error\":{\"code\":\"some_code\",\"message\":\"Some message\",\"param\":\"name\",\"doc_url\":\"https://docs.heygen.com/x\"}}",
            Some("some_code"),
        ),
    ];
    let statuses: [(u16, i32); 10] = [
        (400, 1),
        (401, 3),
        (402, 1),
        (403, 3),
        (404, 1),
        (409, 1),
        (413, 1),
        (500, 1),
        (502, 1),
        (504, 1),
    ];
    for (content_type, body, heygen_code) in &shapes {
        for (status, exit) in statuses {
            let (content_type, body) = (*content_type, *body);
            for (run, requests) in both(
                move || {
                    Mock::always(
                        Reply::new(status, content_type, body).header("X-Request-Id", "req_e"),
                    )
                },
                &[
                    "--max-retries",
                    "0",
                    "avatar",
                    "looks",
                    "delete",
                    "look_0001",
                ],
            ) {
                assert_eq!(run.code, exit, "{status} {body} {run:?}");
                assert_eq!(run.stdout, "", "{run:?}");
                let error = run.error();
                assert_eq!(error["status"], status, "{status} {body} {run:?}");
                assert_eq!(error["request_id"], "req_e", "{run:?}");
                if let Some(code) = heygen_code {
                    assert_eq!(error["code"], *code, "{status} {body} {run:?}");
                } else {
                    assert!(
                        error["code"].as_str().unwrap().starts_with("cli_"),
                        "{status} {body} {run:?}"
                    );
                }
                if body.contains("\"param\"") {
                    assert_eq!(error["param"], "name", "{run:?}");
                    assert_eq!(error["doc_url"], "https://docs.heygen.com/x", "{run:?}");
                }
                if body.contains("Unsupported media type") || body.contains("avatar not allowed") {
                    let message = error["message"].as_str().unwrap().to_lowercase();
                    assert!(
                        message.contains("unsupported media type")
                            || message.contains("avatar not allowed"),
                        "the server's message is kept: {run:?}"
                    );
                }
                assert_eq!(requests.len(), 1, "{requests:?}");
            }
        }
    }
}

/// The request id is shown when the response had one and left out when it did not.
#[test]
fn br_01_variants_request_id_present_and_absent() {
    for (run, _) in both_always(
        &Reply::json(
            404,
            "{\"error\":{\"code\":\"not_found\",\"message\":\"nope\"}}",
        ),
        &["video", "get", "vid_0001"],
    ) {
        let error = run.failed(1, "not_found");
        assert!(error.get("request_id").is_none(), "{run:?}");
        assert_eq!(error["status"], 404);
    }
    for (run, _) in both_always(
        &Reply::json(
            404,
            "{\"error\":{\"code\":\"not_found\",\"message\":\"nope\"}}",
        )
        .header("x-request-id", "req_lower"),
        &["video", "get", "vid_0001"],
    ) {
        let error = run.failed(1, "not_found");
        assert_eq!(error["request_id"], "req_lower", "{run:?}");
    }
}

/// A gzip-encoded error body is decoded and read as HeyGen's error.
#[test]
fn br_01_variants_gzip_error_body() {
    let body = gzip(br#"{"error":{"code":"video_not_found","message":"Video not found"}}"#);
    for (run, requests) in both_always(
        &Reply::new(404, "application/json", body.clone())
            .header("Content-Encoding", "gzip")
            .header("X-Request-Id", "req_gz"),
        &["video", "get", "vid_0001"],
    ) {
        let error = run.failed_with_status(1, "video_not_found", 404);
        assert_eq!(error["request_id"], "req_gz");
        assert_eq!(requests.len(), 1);
    }
    let ok = gzip(br#"{"data":{"id":"vid_0001","status":"processing"}}"#);
    for (run, _) in both_always(
        &Reply::new(200, "application/json", ok.clone()).header("Content-Encoding", "gzip"),
        &["video", "get", "vid_0001"],
    ) {
        assert_eq!(run.ok()["data"]["status"], "processing", "{run:?}");
    }
}

/// A body above the size limit is refused with a stable code, not buffered into a crash.
#[test]
fn br_01_variants_oversized_body() {
    let mut big = b"{\"data\":{\"id\":\"vid_0001\",\"status\":\"processing\",\"x\":\"".to_vec();
    big.resize(20 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\"}}");
    for (run, _) in both_always(
        &Reply::json(200, "").clone_with_body(big.clone()),
        &["video", "get", "vid_0001"],
    ) {
        run.failed_with_status(1, "cli_response_too_large", 200);
    }
}

// ---------------------------------------------------------------------------------------------
// BR-04: digital twin.

#[test]
fn br_04_digital_twin_body_and_nested_response() {
    let response = r#"{"data":{"avatar_item":{"id":"look_0001","group_id":"grp_0001","avatar_type":"digital_twin","extra":1},"avatar_group":{"id":"grp_0001","name":"Twin A","created_at":1764400000,"looks_count":1,"consent_status":"pending","new_field":{"a":1}}},"meta":{}}"#;
    for (run, requests) in both_always(&Reply::json(200, response), &DIGITAL_TWIN) {
        let out = run.ok();
        assert_eq!(out["data"]["avatar_item"]["id"], "look_0001", "{run:?}");
        assert_eq!(out["data"]["avatar_group"]["id"], "grp_0001", "{run:?}");
        assert_eq!(out["data"]["avatar_group"]["consent_status"], "pending");
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, "POST");
        assert_eq!(requests[0].path(), "/v3/avatars");
        assert_eq!(
            requests[0].json(),
            json!({"type":"digital_twin","name":"Twin A","file":{"type":"url","url":"https://example.com/footage.mp4"}})
        );
        assert!(
            requests[0]
                .header("content-type")
                .unwrap()
                .starts_with("application/json")
        );
    }
}

/// Reading the legacy kinds (`video`, `video_avatar`) as a digital twin never fails the parse.
#[test]
fn br_04_variants_legacy_kinds_parse() {
    for kind in ["video", "video_avatar", "digital_twin", "brand_new_kind"] {
        let response = format!(
            r#"{{"data":{{"avatar_item":{{"id":"look_0001","group_id":"grp_0001","avatar_type":"{kind}"}},"avatar_group":{{"id":"grp_0001","name":"Twin A","created_at":1764400000,"looks_count":1}}}}}}"#
        );
        for (run, _) in both_always(
            &Reply::json(200, &response),
            &digital_twin("asset:asset_0001"),
        ) {
            let out = run.ok();
            assert_eq!(out["data"]["avatar_item"]["id"], "look_0001", "{run:?}");
            let printed = out["data"]["avatar_item"]["avatar_type"].as_str().unwrap();
            if kind == "brand_new_kind" {
                assert_eq!(printed, kind, "{run:?}");
            } else {
                assert!(
                    printed == kind || printed == "digital_twin",
                    "{kind} printed as {printed}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// BR-05: inline base64.

const PNG: [u8; 16] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52,
];

fn avatar_created() -> Reply {
    Reply::json(
        200,
        r#"{"data":{"avatar_item":{"id":"look_0001","group_id":"grp_0001","avatar_type":"photo_avatar"},"avatar_group":{"id":"grp_0001","name":"Photo A","created_at":1764400000,"looks_count":1}}}"#,
    )
}

fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn br_05_png_file_is_sent_as_base64_with_media_type() {
    let dir = tempdir("br05");
    // A PNG with a misleading `.jpg` name: the label follows the bytes.
    for name in ["photo.png", "photo.jpg", "photo"] {
        let path = dir.join(name);
        std::fs::write(&path, PNG).unwrap();
        let path = path.to_str().unwrap().to_owned();
        for (run, requests) in both_always(
            &avatar_created(),
            &[
                "avatar", "create", "photo", "--name", "Photo A", "--file", &path,
            ],
        ) {
            run.ok();
            assert_eq!(requests.len(), 1);
            assert_eq!(
                requests[0].json(),
                json!({"type":"photo","name":"Photo A","file":{"type":"base64","media_type":"image/png","data":b64(&PNG)}}),
                "{name}"
            );
        }
    }
}

#[test]
fn br_05_data_uri_is_never_sent_as_is() {
    for (run, requests) in both_always(
        &avatar_created(),
        &[
            "avatar",
            "create",
            "photo",
            "--name",
            "Photo A",
            "--file",
            "data:image/png;base64,iVBORw0KGgo=",
        ],
    ) {
        if run.code == 0 {
            let body = requests[0].json();
            assert_eq!(
                body["file"],
                json!({"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="})
            );
        } else {
            assert_eq!(run.code, 2, "{run:?}");
            assert!(requests.is_empty(), "nothing is sent: {requests:?}");
            assert_eq!(run.error()["param"], "file", "{run:?}");
        }
    }
}

/// A file whose media type neither its bytes nor its extension tell is refused before anything
/// is sent (the CLI does not guess a label). Bytes of no known format in a file whose extension
/// names a type are labelled by the extension, as the SDK's uploads do: the SDK has no rule to
/// refuse them (only bytes of a known format under another label are refused), so HeyGen
/// decides.
#[test]
fn br_05_unknown_bytes_are_refused_client_side() {
    let dir = tempdir("br05u");
    let unknown = dir.join("fake.bin");
    std::fs::write(&unknown, b"hello, this is not an image at all").unwrap();
    let unknown = unknown.to_str().unwrap().to_owned();
    for (run, requests) in both_always(
        &avatar_created(),
        &[
            "avatar", "create", "photo", "--name", "Photo A", "--file", &unknown,
        ],
    ) {
        assert_eq!(run.code, 2, "{run:?}");
        assert_eq!(run.error()["code"], "cli_validation_error", "{run:?}");
        assert!(requests.is_empty(), "{requests:?}");
    }
    let named = dir.join("fake.png");
    std::fs::write(&named, b"hello, this is not an image at all").unwrap();
    let named = named.to_str().unwrap().to_owned();
    for (run, requests) in both_always(
        &avatar_created(),
        &[
            "avatar", "create", "photo", "--name", "Photo A", "--file", &named,
        ],
    ) {
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(requests[0].json()["file"]["media_type"], "image/png");
    }
    // A PNG under a JPEG name is labelled by its bytes, never by the name.
    let png = dir.join("photo.jpg");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let png = png.to_str().unwrap().to_owned();
    for (run, requests) in both_always(
        &avatar_created(),
        &[
            "avatar", "create", "photo", "--name", "Photo A", "--file", &png,
        ],
    ) {
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(requests[0].json()["file"]["media_type"], "image/png");
    }
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "heygen-field-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------------------------
// BR-07: an error on a 200.

const ERROR_200: &str = r#"{"data":null,"error":{"code":"invalid_parameter","message":"video_id is invalid or expired"}}"#;

#[test]
fn br_07_error_on_200_for_video_get() {
    for (run, requests) in both_always(
        &Reply::json(200, ERROR_200).header("X-Request-Id", "req_07"),
        &["video", "get", "vid_0001"],
    ) {
        let error = run.failed_with_status(1, "invalid_parameter", 200);
        assert_eq!(error["request_id"], "req_07");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("video_id is invalid or expired"),
            "{run:?}"
        );
        assert_eq!(requests.len(), 1);
    }
}

#[test]
fn br_07_error_on_200_during_video_wait() {
    for (run, requests) in both(
        || {
            Mock::start(|r, _| {
                if r.method == "POST" {
                    Reply::json(
                        200,
                        r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#,
                    )
                } else {
                    Reply::json(200, ERROR_200)
                }
            })
        },
        &video_wait("0.1", "20"),
    ) {
        let error = run.failed_with_status(1, "invalid_parameter", 200);
        assert_eq!(error["video_id"], "vid_0001", "{run:?}");
        let gets = requests.iter().filter(|r| r.method == "GET").count();
        assert_eq!(gets, 1, "exactly one poll: {requests:?}");
    }
}

/// The same on other endpoints, with an error object on a 200 whose `data` is present.
#[test]
fn br_07_variants_error_on_200_elsewhere() {
    let body = r#"{"data":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":1},"error":{"code":"avatar_not_found","message":"gone"}}"#;
    for args in [
        &["avatar", "get", "grp_0001"][..],
        &["avatar", "wait", "grp_0001", "--timeout", "10"][..],
    ] {
        for (run, requests) in both_always(&Reply::json(200, body), args) {
            assert_eq!(run.code, 1, "{args:?} {run:?}");
            let error = run.error();
            assert_eq!(error["code"], "avatar_not_found", "{args:?} {run:?}");
            assert_eq!(requests.len(), 1, "{args:?} {requests:?}");
        }
    }
    // `"error": null` on a 200 is not an error.
    let ok = r#"{"data":{"id":"vid_0001","status":"processing"},"error":null}"#;
    for (run, _) in both_always(&Reply::json(200, ok), &["video", "get", "vid_0001"]) {
        assert_eq!(run.ok()["data"]["id"], "vid_0001");
    }
}

// ---------------------------------------------------------------------------------------------
// BR-09: poll error classes.

/// Creates a video and waits for it, polling every `poll_interval` for up to `timeout` seconds.
fn video_wait(poll_interval: &'static str, timeout: &'static str) -> Vec<&'static str> {
    let mut args = vec!["--poll-interval", poll_interval];
    args.extend_from_slice(&VIDEO_CREATE);
    args.extend_from_slice(&["--wait", "--timeout", timeout]);
    args
}

fn video_wait_args() -> Vec<&'static str> {
    video_wait("0.1", "60")
}

#[test]
fn br_09_503_then_processing_then_completed() {
    for first in [
        Reply::new(503, "text/html", "<html>503 Service Unavailable</html>"),
        Reply::json(
            503,
            r#"{"error":{"code":"internal_error","message":"busy"}}"#,
        ),
        Reply::new(502, "", ""),
        Reply::json(504, r#"{"detail":"gateway timeout"}"#),
        Reply::json(
            500,
            r#"{"error":{"code":"internal_error","message":"oops"}}"#,
        ),
    ] {
        for (run, requests) in both(
            || {
                let first = first.clone();
                Mock::start(move |r, _| {
                    if r.method == "POST" {
                        return Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#);
                    }
                    // GET n (1-based among requests): 503, processing, completed.
                    first.clone()
                })
            },
            &["--max-retries", "0", "video", "get", "vid_0001"],
        ) {
            assert_eq!(run.code, 1, "{run:?}");
            assert_eq!(requests.len(), 1);
        }
        for (run, requests) in both(
            || {
                let first = first.clone();
                let gets = std::sync::atomic::AtomicUsize::new(0);
                Mock::start(move |r, _| {
                    if r.method == "POST" {
                        return Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#);
                    }
                    match gets.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                        0 => first.clone(),
                        1 => {
                            Reply::json(200, r#"{"data":{"id":"vid_0001","status":"processing"}}"#)
                        }
                        _ => Reply::json(
                            200,
                            r#"{"data":{"id":"vid_0001","status":"completed","video_url":"https://files.example.com/v.mp4"}}"#,
                        ),
                    }
                })
            },
            &video_wait_args(),
        ) {
            let out = run.ok();
            assert_eq!(out["data"]["status"], "completed", "{run:?}");
            assert_eq!(out["data"]["video_url"], "https://files.example.com/v.mp4");
            let gets = requests.iter().filter(|r| r.method == "GET").count();
            assert_eq!(gets, 3, "{requests:?}");
        }
    }
}

#[test]
fn br_09_404_during_wait_is_terminal() {
    for body in [
        r#"{"error":{"code":"not_found","message":"Video not found"}}"#,
        r#"{"error":{"code":"video_not_found","message":"Video not found"}}"#,
        "",
    ] {
        for (run, requests) in both(
            || {
                Mock::start(move |r, _| {
                    if r.method == "POST" {
                        Reply::json(200, r#"{"data":{"video_id":"vid_gone"}}"#)
                    } else {
                        Reply::json(404, body).header("X-Request-Id", "req_404")
                    }
                })
            },
            &video_wait_args(),
        ) {
            assert_eq!(run.code, 1, "{run:?}");
            assert_eq!(run.stdout, "", "{run:?}");
            let error = run.error();
            assert_eq!(error["status"], 404);
            assert_eq!(error["video_id"], "vid_gone", "{run:?}");
            assert_eq!(error["request_id"], "req_404", "{run:?}");
            let gets = requests.iter().filter(|r| r.method == "GET").count();
            assert_eq!(gets, 1, "exactly one poll: {requests:?}");
        }
    }
}

/// `avatar wait`: 5xx transient, 404/401/400 terminal at once.
#[test]
fn br_09_variants_avatar_wait() {
    let group = |status: &str| {
        format!(
            r#"{{"data":{{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":1,"status":"{status}"}}}}"#
        )
    };
    let (processing, completed) = (group("processing"), group("completed"));
    for (run, requests) in both(
        || {
            let (processing, completed) = (processing.clone(), completed.clone());
            Mock::start(move |_, i| match i {
                0 => Reply::new(503, "text/html", "<html>down</html>"),
                1 => Reply::json(200, &processing),
                _ => Reply::json(200, &completed),
            })
        },
        &AVATAR_WAIT,
    ) {
        assert_eq!(run.ok()["data"]["status"], "completed", "{run:?}");
        assert_eq!(requests.len(), 3);
    }
    for (status, exit) in [(404, 1), (400, 1), (401, 3), (403, 3), (402, 1)] {
        for (run, requests) in both_always(
            &Reply::json(status, r#"{"error":{"code":"some_error","message":"no"}}"#),
            &AVATAR_WAIT,
        ) {
            let error = run.failed(exit, "some_error");
            assert_eq!(error["status"], status);
            assert_eq!(error["group_id"], "grp_0001", "{run:?}");
            assert_eq!(requests.len(), 1, "{status}: {requests:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// BR-11: bodies.

#[test]
fn br_11_consent_with_no_options_sends_empty_object() {
    let response = r#"{"data":{"avatar_group":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":1,"consent_status":"pending"},"url":"https://app.heygen.com/consent/x"}}"#;
    for (run, requests) in both_always(
        &Reply::json(200, response),
        &["avatar", "consent", "create", "grp_0001"],
    ) {
        let out = run.ok();
        assert_eq!(out["data"]["url"], "https://app.heygen.com/consent/x");
        let r = &requests[0];
        assert_eq!(r.method, "POST");
        assert_eq!(r.path(), "/v3/avatars/grp_0001/consent");
        assert_eq!(r.body, b"{}", "{:?}", String::from_utf8_lossy(&r.body));
        assert!(
            r.header("content-type")
                .unwrap_or_default()
                .starts_with("application/json"),
            "{r:?}"
        );
    }
    // With the option set, it is sent and nothing else.
    for (_, requests) in both_always(
        &Reply::json(200, response),
        &[
            "avatar",
            "consent",
            "create",
            "grp_0001",
            "--reroute-url",
            "https://example.com/done",
        ],
    ) {
        assert_eq!(
            requests[0].json(),
            json!({"reroute_url":"https://example.com/done"})
        );
    }
}

#[test]
fn br_11_video_without_voice_or_title_omits_them() {
    for (run, requests) in both_always(
        &Reply::json(
            200,
            r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#,
        ),
        &VIDEO_CREATE,
    ) {
        assert_eq!(run.ok()["data"]["video_id"], "vid_0001", "{run:?}");
        let body = requests[0].json();
        assert_eq!(requests[0].path(), "/v3/videos");
        assert_eq!(
            body,
            json!({"type":"avatar","avatar_id":"look_0001","script":"Hello"}),
            "BR-13: the look id goes in avatar_id; BR-11: no unset keys"
        );
        assert!(
            requests[0]
                .header("content-type")
                .unwrap_or_default()
                .starts_with("application/json")
        );
        let text = String::from_utf8_lossy(&requests[0].body);
        assert!(!text.contains("null"), "{text}");
    }
    for (_, requests) in both_always(
        &Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#),
        &[
            "video",
            "create",
            "--avatar-id",
            "look_0001",
            "--audio-url",
            "https://example.com/a.mp3",
        ],
    ) {
        let body = requests[0].json();
        assert_eq!(body["avatar_id"], "look_0001");
        assert_eq!(body["type"], "avatar");
        assert!(
            body.get("voice_id").is_none()
                && body.get("title").is_none()
                && body.get("script").is_none(),
            "{body}"
        );
    }
}

/// Update sends only the name; delete sends no body (or an empty JSON object).
#[test]
fn br_11_variants_look_update_and_delete() {
    let look = r#"{"data":{"id":"look_0001","name":"New","avatar_type":"photo_avatar"}}"#;
    for (run, requests) in both_always(
        &Reply::json(200, look),
        &["avatar", "looks", "update", "look_0001", "--name", "New"],
    ) {
        run.ok();
        assert_eq!(requests[0].json(), json!({"name":"New"}), "{requests:?}");
        assert!(
            requests[0]
                .header("content-type")
                .unwrap_or_default()
                .starts_with("application/json")
        );
    }
    for (run, requests) in both_always(
        &Reply::json(200, r#"{"data":{"id":"look_0001","deleted":true}}"#),
        &["avatar", "looks", "delete", "look_0001"],
    ) {
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(requests[0].method, "DELETE");
        assert_eq!(requests[0].path(), "/v3/avatars/looks/look_0001");
        assert!(
            requests[0].body.is_empty() || requests[0].body == b"{}",
            "{requests:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// BR-14 and BR-26: nulls and unknown enum values.

#[test]
fn br_14_nulls_in_list_items() {
    let page = r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"photo_avatar","preview_image_url":null,"preview_video_url":null,"default_voice_id":null},{"id":"look_0002","name":"B","avatar_type":"studio_avatar"}],"has_more":false,"next_token":null}"#;
    for (run, _) in both_always(&Reply::json(200, page), &["avatar", "looks", "list"]) {
        let out = run.ok();
        let items = out["data"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{run:?}");
        assert_eq!(items[0]["id"], "look_0001");
        assert_eq!(items[1]["avatar_type"], "studio_avatar");
        for key in ["preview_image_url", "preview_video_url", "default_voice_id"] {
            assert!(items[0][key].is_null(), "{key}: {run:?}");
        }
        assert_eq!(out["has_more"], false);
        assert!(out["next_token"].is_null());
    }
    let null_consent = r#"{"data":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":2,"consent_status":null}}"#;
    let pending = r#"{"data":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":2,"consent_status":"pending"}}"#;
    let a = both_always(
        &Reply::json(200, null_consent),
        &["avatar", "get", "grp_0001"],
    );
    let b = both_always(&Reply::json(200, pending), &["avatar", "get", "grp_0001"]);
    let (a, b) = (a[0].0.ok(), b[0].0.ok());
    assert_eq!(b["data"]["consent_status"], "pending");
    assert_ne!(a["data"]["consent_status"], b["data"]["consent_status"]);
    assert_ne!(a["data"]["consent_status"], "approved");
}

#[test]
fn br_26_unknown_enum_values_keep_the_original_strings() {
    let page = r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"hologram_avatar","supported_api_engines":["avatar_v","avatar_iv","avatar_vi"],"preferred_orientation":"diagonal"},{"id":"look_0002","name":"B","avatar_type":"photo_avatar"}],"has_more":false,"next_token":null}"#;
    for (run, _) in both_always(
        &Reply::json(200, page),
        &["avatar", "looks", "list", "--ownership", "public"],
    ) {
        let out = run.ok();
        let items = out["data"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["avatar_type"], "hologram_avatar");
        assert_eq!(
            items[0]["supported_api_engines"],
            json!(["avatar_v", "avatar_iv", "avatar_vi"])
        );
        assert_eq!(items[0]["preferred_orientation"], "diagonal");
        assert_eq!(items[1]["avatar_type"], "photo_avatar");
    }
}

/// Unknown values in other enum fields (video status, group status, consent status) and
/// odd-but-valid timestamps.
#[test]
fn br_26_variants_other_enum_fields() {
    let video = r#"{"data":{"id":"vid_0001","status":"queued_for_gpu","video_url":null,"created_at":1764400000}}"#;
    for (run, _) in both_always(&Reply::json(200, video), &["video", "get", "vid_0001"]) {
        assert_eq!(run.ok()["data"]["status"], "queued_for_gpu", "{run:?}");
    }
    let group = r#"{"data":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":1,"status":"retraining","consent_status":"revoked_by_user"}}"#;
    for (run, _) in both_always(&Reply::json(200, group), &["avatar", "get", "grp_0001"]) {
        let out = run.ok();
        assert_eq!(out["data"]["status"], "retraining", "{run:?}");
        assert_eq!(out["data"]["consent_status"], "revoked_by_user", "{run:?}");
    }
    let list = r#"{"data":[{"id":"vid_0001","status":"mystery"},{"id":"vid_0002","status":"completed"}],"has_more":false}"#;
    for (run, _) in both_always(&Reply::json(200, list), &["video", "list"]) {
        let out = run.ok();
        assert_eq!(out["data"][0]["status"], "mystery", "{run:?}");
        assert_eq!(out["data"].as_array().unwrap().len(), 2);
    }
}

/// Timestamps as floats or RFC 3339 strings do not reject the response.
#[test]
fn br_14_variants_timestamps() {
    for created in [
        "1764400000.25",
        "\"2025-11-29T07:06:40Z\"",
        "\"1764400000\"",
    ] {
        let group = format!(
            r#"{{"data":{{"id":"grp_0001","name":"G","created_at":{created},"looks_count":1}}}}"#
        );
        for (run, _) in both_always(&Reply::json(200, &group), &["avatar", "get", "grp_0001"]) {
            assert_eq!(run.code, 0, "{created}: {run:?}");
            assert!(run.json()["data"]["created_at"].is_number(), "{run:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// BR-15: direct upload.

fn big_mp4(dir: &std::path::Path, size: u64) -> std::path::PathBuf {
    let path = dir.join("big.mp4");
    let mut head = vec![0, 0, 0, 0x20];
    head.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2avc1mp41");
    std::fs::write(&path, &head).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(size).unwrap();
    path
}

/// A 33 MiB MP4 (above the direct-upload threshold) in a fresh temp dir named after `tag`;
/// returns its size and path.
fn big_upload(tag: &str) -> (u64, String) {
    let size: u64 = 33 * 1024 * 1024;
    let path = big_mp4(&tempdir(tag), size);
    (size, path.to_str().unwrap().to_owned())
}

#[test]
fn br_15_direct_upload_put_hygiene_and_409_on_complete() {
    let (size, path) = big_upload("br15");
    for transport in TRANSPORTS {
        let storage = Mock::always(Reply::new(200, "", ""));
        let upload_url = format!(
            "{}/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900",
            storage.base_url()
        );
        let completes = std::sync::atomic::AtomicUsize::new(0);
        let api = Mock::start(move |r, _| {
            if r.path() == "/v3/assets/direct-uploads" {
                Reply::json(
                    200,
                    &json!({"data":{"asset_id":"asset_0001","upload_url":upload_url,"upload_headers":{"Content-Type":"video/mp4"},"max_bytes":size,"expires_in_seconds":900,"status":"pending_upload"}}).to_string(),
                )
            } else if r.path() == "/v3/assets/asset_0001/complete" {
                if completes.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    Reply::json(
                        409,
                        r#"{"error":{"code":"conflict","message":"Uploaded object not found yet"}}"#,
                    )
                } else {
                    Reply::json(
                        200,
                        &json!({"data":{"asset_id":"asset_0001","url":"https://files.example.com/a.mp4","mime_type":"video/mp4","size_bytes":size}}).to_string(),
                    )
                }
            } else {
                Reply::json(404, r#"{"error":{"code":"not_found","message":"?"}}"#)
            }
        });
        let run = api.run(transport, &["asset", "upload", &path]);
        let out = run.ok();
        assert_eq!(out["data"]["asset_id"], "asset_0001", "{run:?}");
        let requests = api.requests();
        let create = &requests[0];
        assert_eq!(create.path(), "/v3/assets/direct-uploads");
        let body = create.json();
        assert_eq!(body["size_bytes"], size, "{body}");
        assert_eq!(body["content_type"], "video/mp4", "{body}");
        let completes: Vec<_> = requests
            .iter()
            .filter(|r| r.path() == "/v3/assets/asset_0001/complete")
            .collect();
        assert_eq!(
            completes.len(),
            2,
            "409 on complete is retried: {requests:?}"
        );
        let puts = storage.requests();
        assert_eq!(puts.len(), 1, "{transport}");
        let put = &puts[0];
        assert_eq!(put.method, "PUT");
        assert_eq!(
            put.target, "/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900",
            "the URL is used byte for byte"
        );
        assert_eq!(put.body.len() as u64, size);
        assert_eq!(put.header("content-type"), Some("video/mp4"));
        for (name, value) in &put.headers {
            assert!(!value.contains(KEY), "{transport}: {name} carries the key");
            let name = name.to_ascii_lowercase();
            assert!(
                [
                    "host",
                    "content-type",
                    "content-length",
                    "transfer-encoding",
                    "connection"
                ]
                .contains(&name.as_str()),
                "{transport}: extra header {name} on the presigned PUT: {:?}",
                put.headers
            );
        }
        assert!(put.header("x-api-key").is_none() && put.header("authorization").is_none());
    }
}

/// A 403 from storage is reported with the asset id, the key never reaches storage, and the
/// presigned signature is not printed.
#[test]
fn br_15_variants_storage_403_is_reported_without_secrets() {
    let (_, path) = big_upload("br15b");
    for transport in TRANSPORTS {
        let storage = Mock::always(Reply::new(
            403,
            "application/xml",
            "<Error><Code>SignatureDoesNotMatch</Code><StringToSign>X-Amz-Signature=SECRETSIG&amp;X-Amz-Credential=CRED</StringToSign></Error>",
        ));
        let upload_url = format!(
            "{}/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED",
            storage.base_url()
        );
        let api = Mock::start(move |r, _| {
            if r.path() == "/v3/assets/direct-uploads" {
                Reply::json(
                    200,
                    &json!({"data":{"asset_id":"asset_0001","upload_url":upload_url,"upload_headers":{"Content-Type":"video/mp4"},"expires_in_seconds":900}}).to_string(),
                )
            } else {
                Reply::json(200, r#"{"data":{"asset_id":"asset_0001"}}"#)
            }
        });
        let run = api.run(transport, &["asset", "upload", &path]);
        assert_ne!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, "");
        let error = run.error();
        assert_eq!(error["asset_id"], "asset_0001", "{run:?}");
        assert_eq!(error["status"], 403, "{run:?}");
        for put in storage.requests() {
            assert!(put.header("x-api-key").is_none(), "{put:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// BR-17: pagination.

fn looks_page(page: usize) -> String {
    let items: Vec<Value> = (0..50)
        .map(|i| json!({"id": format!("look_{:04}", page * 50 + i), "name": "L", "avatar_type": "photo_avatar"}))
        .collect();
    if page == 5 {
        json!({"data": items, "has_more": false, "next_token": null}).to_string()
    } else {
        json!({"data": items, "has_more": true, "next_token": format!("tok_{}", page + 2)})
            .to_string()
    }
}

#[test]
fn br_17_looks_all_across_six_pages_repeats_filters() {
    for (run, requests) in both(
        || {
            Mock::start(|r, _| {
                let page = r
                    .param("token")
                    .and_then(|t| t.strip_prefix("tok_"))
                    .and_then(|n| n.parse::<usize>().ok())
                    .map_or(0, |n| n - 1);
                Reply::json(200, &looks_page(page))
            })
        },
        &[
            "avatar",
            "looks",
            "list",
            "--avatar-type",
            "photo_avatar",
            "--ownership",
            "public",
            "--limit",
            "50",
            "--all",
        ],
    ) {
        let out = run.ok();
        let items = out["data"].as_array().unwrap();
        assert_eq!(items.len(), 300, "{}", run.stderr);
        for (i, item) in items.iter().enumerate() {
            assert_eq!(item["id"], format!("look_{i:04}"));
        }
        assert_eq!(out["has_more"], false);
        assert!(out["next_token"].is_null());
        assert_eq!(requests.len(), 6);
        for (n, r) in requests.iter().enumerate() {
            assert_eq!(r.path(), "/v3/avatars/looks");
            assert_eq!(r.param("avatar_type"), Some("photo_avatar"), "{r:?}");
            assert_eq!(r.param("ownership"), Some("public"), "{r:?}");
            assert_eq!(r.param("limit"), Some("50"), "{r:?}");
            let token = (n > 0).then(|| format!("tok_{}", n + 1));
            assert_eq!(r.param("token"), token.as_deref(), "{r:?}");
        }
    }
}

#[test]
fn br_17_limit_above_50_is_refused_client_side() {
    for args in [
        &["avatar", "looks", "list", "--limit", "51"][..],
        &["avatar", "looks", "list", "--limit", "51", "--all"][..],
        &["avatar", "list", "--limit", "51"][..],
        &["avatar", "looks", "list", "--limit", "0"][..],
        &["video", "list", "--limit", "101"][..],
    ] {
        for (run, requests) in both_always(&Reply::json(200, "{}"), args) {
            let error = run.failed(2, "cli_validation_error");
            assert_eq!(error["param"], "limit", "{args:?} {run:?}");
            assert!(requests.is_empty(), "nothing is sent: {args:?}");
        }
    }
}

/// `--all` stops on a null or absent token even when `has_more` says true, and refuses a token
/// that repeats.
#[test]
fn br_17_variants_stop_rules() {
    let first =
        r#"{"data":[{"id":"vid_0001","status":"completed"}],"has_more":true,"next_token":"t2"}"#;
    let groups = r#"{"data":[{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":1}],"has_more":true,"next_token":"t2"}"#;
    for last in [
        r#"{"data":[{"id":"vid_0002","status":"completed"}],"has_more":true,"next_token":null}"#,
        r#"{"data":[{"id":"vid_0002","status":"completed"}],"has_more":true}"#,
        r#"{"data":[{"id":"vid_0002","status":"completed"}],"has_more":false,"next_token":"t3"}"#,
    ] {
        for (run, requests) in both(
            || Mock::sequence(vec![Reply::json(200, first), Reply::json(200, last)]),
            &["video", "list", "--limit", "1", "--all"],
        ) {
            let out = run.ok();
            assert_eq!(out["data"].as_array().unwrap().len(), 2, "{last}: {run:?}");
            assert_eq!(out["has_more"], false);
            assert_eq!(requests.len(), 2, "{last}");
            assert_eq!(requests[1].param("token"), Some("t2"));
            assert_eq!(requests[1].param("limit"), Some("1"));
        }
    }
    for (run, requests) in both_always(
        &Reply::json(200, groups),
        &["avatar", "list", "--ownership", "private", "--all"],
    ) {
        run.failed(1, "cli_pagination_stalled");
        assert!(requests.len() <= 3, "{}", requests.len());
        assert_eq!(requests[1].param("ownership"), Some("private"));
    }
}

// ---------------------------------------------------------------------------------------------
// BR-21: redirects.

#[test]
fn br_21_cross_origin_redirect_is_not_followed() {
    for status in [301, 302, 303, 307, 308] {
        let attacker = Mock::always(Reply::json(
            200,
            r#"{"data":{"id":"vid_0001","status":"completed"}}"#,
        ));
        let location = format!("{}/collect", attacker.base_url());
        for transport in TRANSPORTS {
            let api = Mock::always(
                Reply::new(status, "text/html", "moved")
                    .header("Location", &location)
                    .header("X-Request-Id", "req_redirect"),
            );
            let run = api.run(transport, &["video", "get", "vid_0001"]);
            let error = run.failed(1, "cli_unexpected_redirect");
            assert_eq!(error["status"], status, "{run:?}");
            assert_eq!(api.requests().len(), 1, "{status}: not retried");
            let post = api.run(transport, &["avatar", "consent", "create", "grp_0001"]);
            post.failed(1, "cli_unexpected_redirect");
        }
        assert!(
            attacker.requests().is_empty(),
            "{status}: the second host got {:?}",
            attacker.requests()
        );
    }
    // A same-origin redirect is not followed either (no request reaches the target path).
    for transport in TRANSPORTS {
        let api = Mock::start(|r, _| {
            if r.path() == "/v3/videos/vid_0001" {
                Reply::new(302, "", "").header("Location", "/elsewhere")
            } else {
                Reply::json(200, r#"{"data":{"id":"vid_0001","status":"completed"}}"#)
            }
        });
        let run = api.run(transport, &["video", "get", "vid_0001"]);
        assert_ne!(run.code, 0, "{run:?}");
        assert!(
            api.requests()
                .iter()
                .all(|r| r.path() != "/elsewhere" || r.header("x-api-key").is_none())
        );
    }
}

// ---------------------------------------------------------------------------------------------
// BR-22: error bodies of every status reach the parser.

#[test]
fn br_22_429_with_retry_after_keeps_code_after_retries() {
    for (run, requests) in both_always(
        &Reply::json(
            429,
            r#"{"error":{"code":"rate_limit_exceeded","message":"Too many requests"}}"#,
        )
        .header("Retry-After", "1")
        .header("X-Request-Id", "req_429"),
        &["--max-retries", "1", "avatar", "looks", "get", "look_0001"],
    ) {
        let error = run.failed_with_status(1, "rate_limit_exceeded", 429);
        assert_eq!(error["request_id"], "req_429");
        assert_eq!(error["retry_after_seconds"], 1.0, "{run:?}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("too many requests"),
            "{run:?}"
        );
        assert_eq!(requests.len(), 2);
    }
    // Retry-After: 3 is honoured between attempts.
    let started = Instant::now();
    let mock = Mock::sequence(vec![
        Reply::json(
            429,
            r#"{"error":{"code":"rate_limit_exceeded","message":"Too many requests"}}"#,
        )
        .header("Retry-After", "3"),
        Reply::json(
            200,
            r#"{"data":{"id":"look_0001","name":"A","avatar_type":"photo_avatar"}}"#,
        ),
    ]);
    let run = mock.run("blocking", &["avatar", "looks", "get", "look_0001"]);
    run.ok();
    assert!(
        started.elapsed() >= Duration::from_millis(2900),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn br_22_429_retry_after_http_date_and_post() {
    let date = "Wed, 21 Oct 2015 07:28:00 GMT"; // in the past: retry at once
    for (run, requests) in both(
        || {
            Mock::sequence(vec![
                Reply::json(
                    429,
                    r#"{"error":{"code":"rate_limit_exceeded","message":"slow down"}}"#,
                )
                .header("Retry-After", date),
                Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#),
            ])
        },
        &VIDEO_CREATE,
    ) {
        assert_eq!(run.ok()["data"]["video_id"], "vid_0001", "{run:?}");
        assert_eq!(requests.len(), 2, "429 is retried on POST too");
        assert_same_idempotency_key(&requests[0], &requests[1]);
    }
}

#[test]
fn br_22_400_json_body_keeps_code_message_param() {
    for (run, requests) in both_always(
        &Reply::json(
            400,
            r#"{"error":{"code":"invalid_parameter","message":"name is too long","param":"name","doc_url":"https://docs.heygen.com/errors#invalid_parameter"}}"#,
        )
        .header("X-Request-Id", "req_400"),
        &["avatar", "looks", "update", "look_0001", "--name", "X"],
    ) {
        let error = run.failed_with_status(1, "invalid_parameter", 400);
        assert_eq!(error["param"], "name");
        assert_eq!(
            error["doc_url"],
            "https://docs.heygen.com/errors#invalid_parameter"
        );
        assert_eq!(error["request_id"], "req_400");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("name is too long"),
            "{run:?}"
        );
        assert_eq!(requests.len(), 1, "a 400 is not retried");
    }
}

/// 401 exits 3 and never echoes the key, even when the server does.
#[test]
fn br_22_variants_401_echoing_the_key() {
    let body = format!(
        r#"{{"error":{{"code":"unauthorized","message":"Invalid API key {KEY} (hg_test_KEY)"}}}}"#
    );
    for (run, requests) in both_always(&Reply::json(401, &body), &["user", "me"]) {
        run.failed_with_status(3, "unauthorized", 401);
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].header("x-api-key"), Some(KEY));
    }
}

// ---------------------------------------------------------------------------------------------
// BR-25: idempotency.

#[test]
fn br_25_timeout_then_in_progress_then_ok_with_one_key() {
    for (run, requests) in both(
        || {
            Mock::sequence(vec![
                Reply::Stall(Duration::from_secs(5)),
                Reply::json(409, r#"{"error":{"code":"request_in_progress","message":"A request with this key is in progress"}}"#)
                    .header("Retry-After", "0"),
                Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#),
            ])
        },
        &[
            "--request-timeout",
            "1",
            "video",
            "create",
            "--avatar-id",
            "look_0001",
            "--script",
            "Hello",
        ],
    ) {
        assert_eq!(requests.len(), 3, "{run:?} {requests:?}");
        let keys = idempotency_keys(&requests);
        assert!(keys[0].is_some(), "{keys:?}");
        assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
        assert_eq!(run.ok()["data"]["video_id"], "vid_0001");
    }
}

#[test]
fn br_25_request_in_progress_is_retried_with_the_same_key() {
    for args in [
        &VIDEO_CREATE[..],
        &["avatar", "consent", "create", "grp_0001"][..],
        &DIGITAL_TWIN[..],
    ] {
        let ok = if args[0] == "video" {
            r#"{"data":{"video_id":"vid_0001"}}"#
        } else if args[1] == "consent" {
            r#"{"data":{"avatar_group":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":1}}}"#
        } else {
            r#"{"data":{"avatar_item":{"id":"look_0001","group_id":"grp_0001","avatar_type":"digital_twin"},"avatar_group":{"id":"grp_0001","name":"Twin A","created_at":1764400000,"looks_count":1}}}"#
        };
        for (run, requests) in both(
            || {
                Mock::sequence(vec![
                    Reply::json(
                        409,
                        r#"{"error":{"code":"request_in_progress","message":"in flight"}}"#,
                    ),
                    Reply::new(503, "text/html", "<html>busy</html>"),
                    Reply::json(200, ok),
                ])
            },
            args,
        ) {
            run.ok();
            assert_eq!(requests.len(), 3, "{args:?}");
            let keys = idempotency_keys(&requests);
            assert!(
                keys[0].is_some_and(|k| !k.is_empty() && k.len() <= 255),
                "{keys:?}"
            );
            assert!(keys.iter().all(|k| *k == keys[0]), "{args:?}: {keys:?}");
        }
        // A plain 409 conflict is not retried.
        for (run, requests) in both_always(
            &Reply::json(409, r#"{"error":{"code":"conflict","message":"exists"}}"#),
            args,
        ) {
            run.failed(1, "conflict");
            assert_eq!(requests.len(), 1, "{args:?}");
        }
    }
}

/// A connection closed before any byte is retried for keyed POSTs and for GETs, with the same
/// key; after the retries it is a network error (exit 1).
#[test]
fn br_25_variants_closed_connections() {
    for (run, requests) in both(
        || {
            Mock::sequence(vec![
                Reply::Close,
                Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#),
            ])
        },
        &VIDEO_CREATE,
    ) {
        assert_eq!(run.ok()["data"]["video_id"], "vid_0001", "{run:?}");
        assert_eq!(requests.len(), 2);
        assert_same_idempotency_key(&requests[0], &requests[1]);
    }
    for (run, requests) in both_always(&Reply::Close, &["user", "me"]) {
        run.failed(1, "cli_network_error");
        assert_eq!(requests.len(), 3, "two retries by default");
    }
    // Closed mid-body (Content-Length larger than what was sent).
    for (run, _) in both_always(
        &Reply::Raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"data\":{\"id\":".to_vec(),
        ),
        &["--max-retries", "0", "user", "me"],
    ) {
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stdout, "");
        run.error();
    }
}

/// A stalled server with `--request-timeout 1` exits 4 with `cli_timeout`.
#[test]
fn br_25_variants_stall_times_out() {
    for args in [
        &["--request-timeout", "1", "--max-retries", "0", "user", "me"][..],
        &[
            "--request-timeout",
            "1",
            "--max-retries",
            "0",
            "avatar",
            "consent",
            "create",
            "grp_0001",
        ][..],
    ] {
        for (run, _) in both_always(&Reply::Stall(Duration::from_secs(6)), args) {
            run.failed(4, "cli_timeout");
        }
    }
    // The answer comes, but only after the timeout.
    for (run, _) in both_always(
        &Reply::json(200, r#"{"data":{"email":"a@example.com"}}"#).delayed(Duration::from_secs(4)),
        &["--request-timeout", "1", "--max-retries", "0", "user", "me"],
    ) {
        run.failed(4, "cli_timeout");
    }
    // Headers sent, body stalls.
    for (run, _) in both_always(
        &Reply::Partial(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"data\":".to_vec(),
            Duration::from_secs(6),
        ),
        &["--request-timeout", "1", "--max-retries", "0", "user", "me"],
    ) {
        run.failed(4, "cli_timeout");
    }
}

#[test]
fn br_25_bad_key_shapes_are_refused() {
    // The CLI makes its own keys; this checks their shape.
    for (_, requests) in both_always(
        &Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#),
        &VIDEO_CREATE,
    ) {
        let key = requests[0].header("idempotency-key").unwrap();
        assert!(
            !key.is_empty()
                && key.len() <= 255
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_:.-".contains(c)),
            "{key}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// BR-30: secrets.

#[test]
fn br_30_presigned_url_in_error_snippets_is_redacted() {
    let url = "https://storage.example.com/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED";
    let bodies: Vec<(u16, &str, String)> = vec![
        (500, "text/plain", format!("upload failed for {url}")),
        (
            502,
            "text/html",
            format!("<html><a href=\"{url}\">retry</a></html>"),
        ),
        (
            400,
            "application/json",
            format!(
                r#"{{"error":{{"code":"asset_not_available","message":"could not fetch {url}"}}}}"#
            ),
        ),
        (
            400,
            "application/json",
            format!(r#"{{"detail":"could not fetch {url}"}}"#),
        ),
        (200, "text/html", format!("<html>{url}</html>")),
        (
            200,
            "application/json",
            format!(
                r#"{{"data":null,"error":{{"code":"invalid_parameter","message":"bad {url}"}}}}"#
            ),
        ),
        (
            401,
            "application/json",
            r#"{"error":{"code":"unauthorized","message":"key hg_test_KEY rejected"}}"#.to_owned(),
        ),
    ];
    for (status, content_type, body) in &bodies {
        for args in [
            &["--max-retries", "0", "video", "get", "vid_0001"][..],
            &[
                "--max-retries",
                "0",
                "avatar",
                "consent",
                "create",
                "grp_0001",
            ][..],
        ] {
            let (status, content_type, body) = (*status, *content_type, body.clone());
            for (run, _) in both(
                move || Mock::always(Reply::new(status, content_type, body.clone())),
                args,
            ) {
                assert_ne!(run.code, 0, "{run:?}");
                // Mock::run asserts that no secret was printed.
                run.error();
            }
        }
    }
    // A redirect whose Location carries a presigned query.
    for (run, _) in both(
        move || Mock::always(Reply::new(302, "", "").header("Location", url)),
        &["video", "get", "vid_0001"],
    ) {
        run.failed(1, "cli_unexpected_redirect");
    }
}

/// `--human` output of an error is scrubbed too.
#[test]
fn br_30_variants_human_output() {
    let body = format!(
        r#"{{"error":{{"code":"unauthorized","message":"key {KEY} rejected, see https://s.example.com/?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED"}}}}"#
    );
    for transport in TRANSPORTS {
        let mock = Mock::always(Reply::json(401, &body));
        let run = mock.run(transport, &["--human", "user", "me"]);
        assert_eq!(run.code, 3, "{run:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers on Reply used above.

trait ReplyExt {
    fn clone_with_body(self, body: Vec<u8>) -> Reply;
}

impl ReplyExt for Reply {
    fn clone_with_body(self, new: Vec<u8>) -> Reply {
        match self {
            Reply::Http {
                status,
                headers,
                delay,
                ..
            } => Reply::Http {
                status,
                headers,
                body: new,
                delay,
            },
            other => other,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Second round of variants.

fn direct_upload_api(
    upload_url: String,
    size: u64,
    complete: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> Mock {
    let completes = std::sync::atomic::AtomicUsize::new(0);
    Mock::start(move |r, _| {
        if r.path() == "/v3/assets/direct-uploads" {
            Reply::json(
                200,
                &json!({"data":{"asset_id":"asset_0001","upload_url":upload_url,"upload_headers":{"Content-Type":"video/mp4"},"max_bytes":size,"expires_in_seconds":900,"status":"pending_upload"}}).to_string(),
            )
        } else if r.path() == "/v3/assets/asset_0001/complete" {
            complete(completes.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
        } else {
            Reply::json(404, r#"{"error":{"code":"not_found","message":"?"}}"#)
        }
    })
}

/// A complete call that keeps answering 409 is retried a bounded number of times; the error
/// names the asset so a script can call complete again.
#[test]
fn br_15_variants_complete_409_forever_is_bounded() {
    let (size, path) = big_upload("br15c");
    for transport in TRANSPORTS {
        let storage = Mock::always(Reply::new(200, "", ""));
        let api = direct_upload_api(format!("{}/b/k?sig=1", storage.base_url()), size, |_| {
            Reply::json(
                409,
                r#"{"error":{"code":"conflict","message":"Uploaded object not found yet"}}"#,
            )
            .header("X-Request-Id", "req_409")
        });
        let started = Instant::now();
        let run = api.run(transport, &["asset", "upload", &path]);
        let error = run.failed(1, "conflict");
        assert_eq!(error["asset_id"], "asset_0001", "{run:?}");
        assert_eq!(error["status"], 409);
        assert_eq!(error["request_id"], "req_409");
        let completes = api
            .requests()
            .iter()
            .filter(|r| r.path().ends_with("/complete"))
            .count();
        assert!(
            (2..=12).contains(&completes),
            "{transport}: {completes} completes"
        );
        assert!(started.elapsed() < Duration::from_mins(2));
        assert_eq!(storage.requests().len(), 1, "the bytes are sent once");
    }
}

/// A presigned `http://` URL to a host that is not loopback is refused before any byte is sent,
/// and the error names the asset.
#[test]
fn br_15_variants_plain_http_upload_url_is_refused() {
    let (size, path) = big_upload("br15h");
    for transport in TRANSPORTS {
        let api = direct_upload_api(
            "http://storage.example.com/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED"
                .to_owned(),
            size,
            |_| Reply::json(200, r#"{"data":{"asset_id":"asset_0001"}}"#),
        );
        let run = api.run(transport, &["asset", "upload", &path]);
        assert_ne!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, "");
        let error = run.error();
        assert_eq!(error["asset_id"], "asset_0001", "{run:?}");
        assert!(
            api.requests()
                .iter()
                .all(|r| !r.path().ends_with("/complete")),
            "complete is not called after a refused upload"
        );
    }
}

/// The storage host answering a redirect is not followed (the bytes and headers never reach a
/// third host).
#[test]
fn br_15_variants_storage_redirect_is_not_followed() {
    let (size, path) = big_upload("br15r");
    for transport in TRANSPORTS {
        let third = Mock::always(Reply::new(200, "", ""));
        let storage = Mock::always(
            Reply::new(307, "", "").header("Location", &format!("{}/steal", third.base_url())),
        );
        let api = direct_upload_api(format!("{}/b/k?sig=1", storage.base_url()), size, |_| {
            Reply::json(200, r#"{"data":{"asset_id":"asset_0001"}}"#)
        });
        let run = api.run(transport, &["asset", "upload", &path]);
        assert_ne!(run.code, 0, "{run:?}");
        assert_eq!(run.error()["asset_id"], "asset_0001", "{run:?}");
        assert!(
            third.requests().is_empty(),
            "{transport}: redirect followed"
        );
    }
}

/// A small file goes as multipart/form-data with one part named `file`, with the key; a 413
/// is not retried and keeps HeyGen's code.
#[test]
fn br_15_variants_multipart_upload() {
    let dir = tempdir("br15m");
    let path = dir.join("photo.png");
    std::fs::write(&path, PNG).unwrap();
    let path = path.to_str().unwrap().to_owned();
    let ok = r#"{"data":{"asset_id":"asset_0001","url":"https://files.example.com/a.png","mime_type":"image/png","size_bytes":16}}"#;
    for (run, requests) in both_always(&Reply::json(200, ok), &["asset", "upload", &path]) {
        assert_eq!(run.ok()["data"]["asset_id"], "asset_0001", "{run:?}");
        assert_eq!(requests.len(), 1);
        let r = &requests[0];
        assert_eq!((r.method.as_str(), r.path()), ("POST", "/v3/assets"));
        assert_eq!(r.header("x-api-key"), Some(KEY));
        let ct = r.header("content-type").unwrap();
        assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
        let body = String::from_utf8_lossy(&r.body);
        assert!(body.contains("name=\"file\""), "{body}");
        assert_eq!(body.matches("Content-Disposition").count(), 1, "{body}");
        assert!(
            r.body.windows(PNG.len()).any(|w| w == PNG),
            "the raw bytes are in the part"
        );
    }
    for (run, requests) in both_always(
        &Reply::json(
            413,
            r#"{"error":{"code":"payload_too_large","message":"File exceeds 32 MB"}}"#,
        ),
        &["asset", "upload", &path],
    ) {
        run.failed_with_status(1, "payload_too_large", 413);
        assert_eq!(requests.len(), 1, "a 413 is not retried");
    }
}

/// Tokens are sent percent-encoded, both from `--token` and from `next_token`.
#[test]
fn br_17_variants_tokens_are_encoded() {
    let first = r#"{"data":[{"id":"vid_0001","status":"completed"}],"has_more":true,"next_token":"a+b/c=&x y"}"#;
    let last =
        r#"{"data":[{"id":"vid_0002","status":"completed"}],"has_more":false,"next_token":null}"#;
    for (run, requests) in both(
        || Mock::sequence(vec![Reply::json(200, first), Reply::json(200, last)]),
        &["video", "list", "--all"],
    ) {
        assert_eq!(run.ok()["data"].as_array().unwrap().len(), 2, "{run:?}");
        let token = requests[1].param("token").unwrap();
        assert!(
            token == "a%2Bb%2Fc%3D%26x%20y" || token == "a%2Bb%2Fc%3D%26x+y",
            "{token}"
        );
        assert!(requests[1].param("x").is_none());
    }
    let looks =
        r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"photo_avatar"}],"has_more":false}"#;
    for (run, requests) in both_always(
        &Reply::json(200, looks),
        &[
            "avatar",
            "looks",
            "list",
            "--group-id",
            "grp_0001",
            "--token",
            "t&limit=999",
        ],
    ) {
        run.ok();
        assert_eq!(requests[0].param("group_id"), Some("grp_0001"));
        assert!(requests[0].param("token").unwrap().starts_with("t%26limit"));
        assert_ne!(requests[0].param("limit"), Some("999"));
    }
}

/// A render that fails exits 1 with HeyGen's code and the video id; an unknown status keeps
/// the wait going until the deadline (exit 4, last state on stdout).
#[test]
fn br_09_variants_failed_and_unknown_status() {
    let failed = r#"{"data":{"id":"vid_0001","status":"failed","error":{"code":"render_failed","message":"Avatar render failed"}}}"#;
    for (run, requests) in both(
        || {
            Mock::start(move |r, _| {
                if r.method == "POST" {
                    Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#)
                } else {
                    Reply::json(200, failed)
                }
            })
        },
        &video_wait_args(),
    ) {
        let error = run.failed(1, "render_failed");
        assert_eq!(error["video_id"], "vid_0001", "{run:?}");
        assert_eq!(requests.iter().filter(|r| r.method == "GET").count(), 1);
    }
    let odd = r#"{"data":{"id":"vid_0001","status":"rendering_hd"}}"#;
    for (run, _) in both(
        || {
            Mock::start(move |r, _| {
                if r.method == "POST" {
                    Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#)
                } else {
                    Reply::json(200, odd)
                }
            })
        },
        &video_wait("0.2", "1"),
    ) {
        assert_eq!(run.code, 4, "{run:?}");
        assert_eq!(run.json()["data"]["status"], "rendering_hd", "{run:?}");
        let error = run.error();
        assert_eq!(error["code"], "cli_timeout");
        assert_eq!(error["video_id"], "vid_0001");
    }
}

/// Auth failures in other shapes still exit 3 and keep the server's message.
#[test]
fn br_22_variants_auth_shapes() {
    for (status, body, code, needle) in [
        (
            403,
            r#"{"message":"Forbidden"}"#,
            "cli_forbidden",
            "forbidden",
        ),
        (
            401,
            r#"{"error":"token expired"}"#,
            "cli_unauthorized",
            "token expired",
        ),
        (
            401,
            r#"{"detail":"Invalid API key"}"#,
            "cli_unauthorized",
            "invalid api key",
        ),
        (
            401,
            r#"{"code":40102,"message":"Unauthorized"}"#,
            "40102",
            "unauthorized",
        ),
    ] {
        for (run, requests) in both_always(&Reply::json(status, body), &["user", "me"]) {
            let error = run.failed(3, code);
            assert_eq!(error["status"], status);
            assert!(
                error["message"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains(needle),
                "{run:?}"
            );
            assert_eq!(requests.len(), 1, "auth failures are not retried");
        }
    }
    for (run, _) in both_always(
        &Reply::new(401, "text/html", "<html>401 Authorization Required</html>"),
        &["user", "me"],
    ) {
        assert_eq!(run.code, 3, "{run:?}");
        assert_eq!(run.error()["status"], 401);
    }
}

/// `HEYGEN_MAX_RETRIES` and `HEYGEN_API_BASE` are read; the flags win.
#[test]
fn br_22_variants_retry_settings_from_the_environment() {
    let busy = || Reply::new(503, "text/html", "<html>busy</html>").header("Retry-After", "0");
    for transport in TRANSPORTS {
        let mock = Mock::always(busy());
        let run = mock.run_env(transport, &["user", "me"], &[("HEYGEN_MAX_RETRIES", "0")]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.error()["status"], 503);
        assert_eq!(mock.requests().len(), 1);
        let mock = Mock::always(busy());
        let run = mock.run_env(
            transport,
            &["--max-retries", "1", "user", "me"],
            &[("HEYGEN_MAX_RETRIES", "0")],
        );
        assert_eq!(run.code, 1);
        assert_eq!(mock.requests().len(), 2, "the flag wins");
        let mock = Mock::always(busy());
        let run = mock.run(transport, &["user", "me"]);
        assert_eq!(run.code, 1);
        assert_eq!(mock.requests().len(), 3, "two retries by default");
    }
}

/// A prompt avatar and an asset-id digital twin send only what was given.
#[test]
fn br_11_variants_other_create_bodies() {
    let created = r#"{"data":{"avatar_item":{"id":"look_0001","group_id":"grp_0001","avatar_type":"prompt"},"avatar_group":{"id":"grp_0001","name":"P","created_at":1764400000,"looks_count":1}}}"#;
    for (run, requests) in both_always(
        &Reply::json(200, created),
        &[
            "avatar", "create", "prompt", "--name", "P", "--prompt", "a person",
        ],
    ) {
        run.ok();
        assert_eq!(
            requests[0].json(),
            json!({"type":"prompt","name":"P","prompt":"a person"})
        );
    }
    for (run, requests) in both_always(
        &Reply::json(200, created),
        &digital_twin("asset:asset_0001"),
    ) {
        run.ok();
        assert_eq!(
            requests[0].json(),
            json!({"type":"digital_twin","name":"Twin A","file":{"type":"asset_id","asset_id":"asset_0001"}})
        );
    }
}

/// A delete answered with 204 and no body is a success.
#[test]
fn br_01_variants_delete_with_204() {
    for args in [
        &["avatar", "looks", "delete", "look_0001"][..],
        &["avatar", "delete", "grp_0001"][..],
        &["video", "delete", "vid_0001"][..],
    ] {
        for (run, requests) in both_always(&Reply::new(204, "", ""), args) {
            assert_eq!(run.code, 0, "{args:?}: {run:?}");
            assert_eq!(requests.len(), 1);
            assert_eq!(requests[0].method, "DELETE");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Third round: HTTP framing and body encodings.

fn raw(text: &str) -> Reply {
    Reply::Raw(text.as_bytes().to_vec())
}

const ME: &str = r#"{"data":{"email":"a@example.com","username":"a"}}"#;

/// Chunked, close-delimited, informational (1xx) and reason-less responses read the same on
/// both transports.
#[test]
fn br_22_variants_http_framing() {
    let chunked = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{}\r\n0\r\n\r\n",
        ME.len(),
        ME
    );
    let close_delimited = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{ME}"
    );
    let early_hints = format!(
        "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{ME}",
        ME.len()
    );
    let no_content_type = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{ME}",
        ME.len()
    );
    for (name, text) in [
        ("chunked", chunked),
        ("close-delimited", close_delimited),
        ("103", early_hints),
        ("no content type", no_content_type),
    ] {
        for (run, _) in both_always(&raw(&text), &["user", "me"]) {
            assert_eq!(run.code, 0, "{name}: {run:?}");
            assert!(run.json()["data"].is_object(), "{name}: {run:?}");
        }
    }
    let not_found = r#"{"error":{"code":"not_found","message":"x"}}"#;
    let reasonless = format!(
        "HTTP/1.1 404 \r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{not_found}",
        not_found.len()
    );
    for (run, _) in both_always(&raw(&reasonless), &["user", "me"]) {
        run.failed(1, "not_found");
    }
}

/// Uncommon statuses keep their number and a stable code.
#[test]
fn br_22_variants_unusual_statuses() {
    for status in [418_u16, 422, 451, 507, 599] {
        for (run, _) in both_always(
            &Reply::json(status, r#"{"detail":"odd"}"#),
            &["--max-retries", "0", "video", "get", "vid_0001"],
        ) {
            assert_eq!(run.code, 1, "{status}: {run:?}");
            assert_eq!(run.error()["status"], status, "{run:?}");
        }
    }
}

/// Broken or unknown content encodings are malformed responses that keep the status.
#[test]
fn br_01_variants_bad_content_encoding() {
    for (status, encoding, body) in [
        (200_u16, "gzip", b"not gzip at all".to_vec()),
        (404, "gzip", b"\x1f\x8b\x08\x00garbage".to_vec()),
        (200, "br", b"\x0b\x02\x80{}\x03".to_vec()),
        (500, "zstd", b"(\xb5/\xfd".to_vec()),
    ] {
        for (run, _) in both_always(
            &Reply::new(status, "application/json", body.clone())
                .header("Content-Encoding", encoding)
                .header("X-Request-Id", "req_enc"),
            &["--max-retries", "0", "video", "get", "vid_0001"],
        ) {
            assert_eq!(run.code, 1, "{status} {encoding}: {run:?}");
            assert_eq!(run.stdout, "");
            let error = run.error();
            assert_eq!(error["status"], status, "{encoding}: {run:?}");
            assert_eq!(error["request_id"], "req_enc", "{run:?}");
        }
    }
}

/// A large HTML error page gives a short, one-line error; control characters in a server
/// message never reach the terminal raw.
#[test]
fn br_30_variants_bounded_one_line_errors() {
    let mut page = String::from("<html><body>");
    while page.len() < 1024 * 1024 {
        page.push_str("<p>Bad gateway, please retry later.</p>\n");
    }
    page.push_str("</body></html>");
    for (run, _) in both_always(
        &Reply::new(502, "text/html", page.clone()),
        &["--max-retries", "0", "user", "me"],
    ) {
        assert_eq!(run.code, 1);
        assert_eq!(run.error()["status"], 502);
        assert!(run.stderr.len() < 4096, "{} bytes", run.stderr.len());
    }
    let body = "{\"error\":{\"code\":\"invalid_parameter\",\"message\":\"line one\\nline two\\r\\n\\u001b[31mred\\u001b[0m\\u0007\"}}";
    for (run, _) in both_always(&Reply::json(400, body), &["avatar", "get", "grp_0001"]) {
        let error = run.failed(1, "invalid_parameter");
        assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'));
        assert!(
            error["message"].as_str().unwrap().contains("line two"),
            "{run:?}"
        );
    }
}

/// A keep-alive response after which the server closes anyway: the next page is still read.
#[test]
fn br_17_variants_server_closes_a_keep_alive_connection() {
    let page = |n: usize, last: bool| {
        json!({"data":[{"id":format!("vid_{n:04}"),"status":"completed"}],"has_more":!last,"next_token":if last {Value::Null} else {json!(format!("t{}", n + 1))}}).to_string()
    };
    for (run, requests) in both(
        || {
            Mock::start(move |r, _| {
                let n = r
                    .param("token")
                    .and_then(|t| t.strip_prefix('t'))
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(1);
                Reply::json(200, &page(n, n == 4)).header("Connection", "keep-alive")
            })
        },
        &["video", "list", "--limit", "1", "--all"],
    ) {
        assert_eq!(run.ok()["data"].as_array().unwrap().len(), 4, "{run:?}");
        assert_eq!(requests.len(), 4);
    }
}

/// A 429 or a 503 during a video wait is transient: the wait goes on to completion.
#[test]
fn br_09_variants_429_during_wait() {
    for (run, requests) in both(
        || {
            let gets = std::sync::atomic::AtomicUsize::new(0);
            Mock::start(move |r, _| {
                if r.method == "POST" {
                    return Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#);
                }
                match gets.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                    0 => Reply::json(
                        429,
                        r#"{"error":{"code":"rate_limit_exceeded","message":"slow"}}"#,
                    )
                    .header("Retry-After", "1"),
                    1 => Reply::json(429, r#"{"code":"rate_limit_exceeded","message":"slow"}"#),
                    _ => Reply::json(
                        200,
                        r#"{"data":{"id":"vid_0001","status":"completed","video_url":"https://files.example.com/v.mp4"}}"#,
                    ),
                }
            })
        },
        &video_wait_args(),
    ) {
        assert_eq!(run.ok()["data"]["status"], "completed", "{run:?}");
        assert_eq!(requests.iter().filter(|r| r.method == "GET").count(), 3);
    }
    for (run, _) in both(
        || {
            Mock::start(move |r, _| {
                if r.method == "POST" {
                    Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#)
                } else {
                    Reply::json(
                        401,
                        r#"{"error":{"code":"unauthorized","message":"revoked"}}"#,
                    )
                }
            })
        },
        &video_wait_args(),
    ) {
        let error = run.failed(3, "unauthorized");
        assert_eq!(error["video_id"], "vid_0001", "{run:?}");
    }
}

/// When the storage host cannot be reached or stalls, the error names the asset and never
/// prints the presigned signature.
#[test]
fn br_30_variants_upload_network_errors_hide_the_presigned_url() {
    let (size, path) = big_upload("br30u");
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    for transport in TRANSPORTS {
        let api = direct_upload_api(
            format!(
                "http://127.0.0.1:{closed_port}/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED"
            ),
            size,
            |_| Reply::json(200, r#"{"data":{"asset_id":"asset_0001"}}"#),
        );
        let run = api.run(transport, &["asset", "upload", &path]);
        let error = run.failed(1, "cli_network_error");
        assert_eq!(error["asset_id"], "asset_0001", "{run:?}");

        let storage = Mock::always(Reply::Stall(Duration::from_secs(8)));
        let api = direct_upload_api(
            format!(
                "{}/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED",
                storage.base_url()
            ),
            size,
            |_| Reply::json(200, r#"{"data":{"asset_id":"asset_0001"}}"#),
        );
        let run = api.run(
            transport,
            &[
                "--request-timeout",
                "2",
                "--max-retries",
                "0",
                "asset",
                "upload",
                &path,
            ],
        );
        let error = run.failed(4, "cli_timeout");
        assert_eq!(error["asset_id"], "asset_0001", "{run:?}");
    }
}

/// An `error` member that carries nothing (`{"code":"","message":""}`, all nulls, or `0`) on a
/// 200 with valid `data` is not an error: Go-style zero values must not fail a good response.
#[test]
fn br_07_variants_empty_error_member_is_not_an_error() {
    for error in [
        r#"{"code":"","message":""}"#,
        r#"{"code":null,"message":null}"#,
        "0",
    ] {
        let body =
            format!(r#"{{"data":{{"id":"vid_0001","status":"completed"}},"error":{error}}}"#);
        for (run, _) in both_always(&Reply::json(200, &body), &["video", "get", "vid_0001"]) {
            assert_eq!(run.code, 0, "{error}: {run:?}");
            assert_eq!(run.json()["data"]["status"], "completed");
        }
    }
}

/// A poll that stalls does not hold the wait past its deadline by the whole request timeout.
#[test]
fn br_09_variants_wait_deadline_bounds_a_stalled_poll() {
    let mut failures = Vec::new();
    for transport in TRANSPORTS {
        let mock = Mock::start(|r, _| {
            if r.method == "POST" {
                Reply::json(200, r#"{"data":{"video_id":"vid_0001"}}"#)
            } else {
                Reply::Stall(Duration::from_secs(20))
            }
        });
        let started = Instant::now();
        let run = mock.run(transport, &video_wait("0.1", "2"));
        let elapsed = started.elapsed();
        assert_eq!(run.code, 4, "{run:?}");
        assert_eq!(run.error()["video_id"], "vid_0001", "{run:?}");
        if elapsed >= Duration::from_secs(8) {
            failures.push(format!("{transport}: {elapsed:?} for a 2 s deadline"));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}

/// BR-14: `null` in a field the SDK treats as defaulted (`name`, `looks_count`) does not reject
/// the item, let alone the whole page.
#[test]
fn br_14_variants_null_in_defaulted_fields_keeps_the_page() {
    let looks = r#"{"data":[{"id":"look_0001","name":null,"avatar_type":"photo_avatar"},{"id":"look_0002","name":"B","avatar_type":"photo_avatar"}],"has_more":false,"next_token":null}"#;
    let groups = r#"{"data":[{"id":"grp_0001","name":null,"created_at":1764400000,"looks_count":null},{"id":"grp_0002","name":"G","created_at":1764400000,"looks_count":1}],"has_more":false,"next_token":null}"#;
    for (body, args) in [
        (looks, &["avatar", "looks", "list"][..]),
        (groups, &["avatar", "list"][..]),
    ] {
        for (run, _) in both_always(&Reply::json(200, body), args) {
            assert_eq!(run.code, 0, "{args:?}: {run:?}");
            let out = run.json();
            assert_eq!(out["data"].as_array().unwrap().len(), 2, "{run:?}");
            assert_eq!(
                out["data"][1]["name"],
                if args[1] == "looks" { "B" } else { "G" }
            );
        }
    }
}

/// BR-14/26: a number in another JSON spelling (`512.0`, `"2"`, `"12.5"`) in one item does not
/// reject the page (timestamps already accept floats and strings).
#[test]
fn br_14_variants_numbers_in_other_spellings_keep_the_page() {
    for (body, args) in [
        (
            r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"photo_avatar","image_width":512.0,"image_height":"512"},{"id":"look_0002","name":"B","avatar_type":"photo_avatar"}],"has_more":false}"#,
            &["avatar", "looks", "list"][..],
        ),
        (
            r#"{"data":[{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":"2"},{"id":"grp_0002","name":"H","created_at":1764400000,"looks_count":1}],"has_more":false}"#,
            &["avatar", "list"][..],
        ),
        (
            r#"{"data":[{"id":"vid_0001","status":"completed","duration":"12.5"},{"id":"vid_0002","status":"completed"}],"has_more":false}"#,
            &["video", "list"][..],
        ),
    ] {
        for (run, _) in both_always(&Reply::json(200, body), args) {
            assert_eq!(run.code, 0, "{args:?}: {run:?}");
            assert_eq!(run.json()["data"].as_array().unwrap().len(), 2, "{run:?}");
        }
    }
}

/// BR-07 on the create call of `video create --wait`: an error on a 200 stops before any poll.
#[test]
fn br_07_variants_error_on_200_from_create() {
    for (run, requests) in both_always(
        &Reply::json(
            200,
            r#"{"data":null,"error":{"code":"insufficient_credit","message":"Not enough credits"}}"#,
        ),
        &video_wait_args(),
    ) {
        run.failed_with_status(1, "insufficient_credit", 200);
        assert_eq!(requests.len(), 1, "{requests:?}");
    }
    for (run, requests) in both_always(
        &Reply::json(
            402,
            r#"{"error":{"code":"insufficient_credit","message":"Not enough credits"}}"#,
        ),
        &video_wait_args(),
    ) {
        run.failed_with_status(1, "insufficient_credit", 402);
        assert_eq!(requests.len(), 1, "a 402 is not retried");
    }
}

/// BR-17: a server that keeps answering empty pages with `has_more: true` and a fresh token is
/// a stalled walk, found within a few pages, not after the 10 000-page cap.
#[test]
fn br_17_variants_empty_pages_with_has_more_stall() {
    for transport in TRANSPORTS {
        let mock = Mock::start(|_, i| {
            Reply::json(
                200,
                &json!({"data": [], "has_more": true, "next_token": format!("t{i}")}).to_string(),
            )
        });
        let started = Instant::now();
        let run = mock.run(transport, &["video", "list", "--all"]);
        let error = run.failed(1, "cli_pagination_stalled");
        assert_eq!(error["status"], Value::Null, "{run:?}");
        let pages = mock.requests().len();
        assert!(
            pages <= 10,
            "{transport}: {pages} pages in {:?}",
            started.elapsed()
        );
    }
}

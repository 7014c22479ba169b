//! Field failure cases (`../shared/cases`) as the CLI shows them: the SDK's behaviour surfaces as
//! the right exit code, error code, status and request id.

use heygen_emulator::{Fault, FaultRule, RetryAfter};

use crate::support::{
    DIGITAL_TWIN, PORTRAIT_PNG, TRANSPORTS, api, count, emulator, html_fault, owned, public_look,
    public_looks, temp_dir, write_file,
};

fn status_fault(status: u16, code: &str) -> Fault {
    Fault::Status {
        status,
        code: Some(code.to_owned()),
        message: None,
        retry_after: Some(RetryAfter::Seconds(0)),
    }
}

/// BR-01 A: an HTML 404 keeps its status and is not retried.
#[test]
fn br01_html_404_keeps_the_status() {
    let emu = emulator(1.0);
    emu.inject(FaultRule::new("/v3/avatars/*/consent", html_fault(404)));
    for transport in TRANSPORTS {
        emu.clear_faults();
        emu.inject(FaultRule::new("/v3/avatars/*/consent", html_fault(404)));
        let before = count(&emu, "POST", "/v3/avatars/");
        let run = api(
            &emu,
            transport,
            &["avatar", "consent", "create", "grp_0001"],
        );
        assert_eq!(run.code, 1, "{run:?}");
        let error = run.error();
        assert_eq!(error["status"], 404, "{run:?}");
        assert_eq!(
            error["code"], "cli_not_found",
            "the not-found class: {run:?}"
        );
        assert!(error["request_id"].is_string());
        assert_eq!(
            count(&emu, "POST", "/v3/avatars/") - before,
            1,
            "a 404 is not retried"
        );
    }
}

/// BR-01 B: a 200 with an HTML page is an unexpected response, never a success.
#[test]
fn br01_html_200_is_an_unexpected_response() {
    let emu = emulator(1.0);
    emu.inject(FaultRule::new("/v3/videos/*", html_fault(200)));
    for transport in TRANSPORTS {
        let run = api(&emu, transport, &["video", "get", "vid_0001"]);
        run.failed_with_status(1, "cli_unexpected_response", 200);
    }
}

/// BR-04: a digital twin is created with `digital_twin` and the nested response is printed.
#[test]
fn br04_digital_twin_from_a_url() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let out = api(&emu, transport, &DIGITAL_TWIN).ok();
        assert_eq!(out["data"]["avatar_item"]["avatar_type"], "digital_twin");
        assert_ne!(
            out["data"]["avatar_item"]["id"],
            out["data"]["avatar_group"]["id"]
        );
        assert_eq!(out["data"]["avatar_group"]["consent_status"], "pending");
    }
}

/// BR-05: a local PNG goes inline as base64 labelled by its bytes, whatever its file name.
#[test]
fn br05_inline_base64_is_labelled_by_the_bytes() {
    let emu = emulator(1.0);
    let dir = temp_dir("br05");
    let misnamed = write_file(&dir, "portrait.jpg", PORTRAIT_PNG);
    for transport in TRANSPORTS {
        let out = api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "photo",
                "--name",
                "Photo A",
                "--file",
                misnamed.to_str().unwrap(),
            ],
        )
        .ok();
        assert_eq!(out["data"]["avatar_item"]["avatar_type"], "photo_avatar");
    }
    assert_eq!(
        count(&emu, "POST", "/v3/assets"),
        0,
        "small files go inline"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    for transport in TRANSPORTS {
        // A data: URI is split into media type and data; a label that the bytes contradict,
        // or a data: URI that is not base64, is refused before anything is sent.
        let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        let out = api(
            &emu,
            transport,
            &["avatar", "create", "photo", "--name", "Data", "--file", png],
        )
        .ok();
        assert_eq!(out["data"]["avatar_item"]["avatar_type"], "photo_avatar");
        let before = emu.requests().len();
        for bad in [
            "data:image/jpeg;base64,iVBORw0KGgo=",
            "data:image/png,rawbytes",
            "data:image/png;base64,@@@",
        ] {
            let error = api(
                &emu,
                transport,
                &["avatar", "create", "photo", "--name", "Data", "--file", bad],
            )
            .failed(2, "cli_validation_error");
            assert!(
                error["param"].as_str().unwrap().starts_with("file"),
                "{error}"
            );
        }
        assert_eq!(
            emu.requests().len(),
            before,
            "nothing sent for a bad data: URI"
        );
    }
}

/// BR-07: an error inside a 200 ends a wait after exactly one check, with the video id.
#[test]
fn br07_error_in_200_stops_the_wait_at_once() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    emu.inject(
        FaultRule::new(
            "/v3/videos/*",
            Fault::ErrorIn200 {
                code: None,
                message: None,
            },
        )
        .method("GET"),
    );
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &[
                "video",
                "create",
                "--avatar-id",
                &look,
                "--script",
                "Hi",
                "--wait",
            ],
        );
        let error = run.failed_with_status(1, "invalid_parameter", 200);
        let id = owned(&error["video_id"]);
        assert_eq!(count(&emu, "GET", &format!("/v3/videos/{id}")), 1);
    }
}

/// BR-09 A: a 503 during a wait is transient; the wait completes.
#[test]
fn br09_a_503_during_a_wait_is_transient() {
    let emu = emulator(600.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        emu.clear_faults();
        emu.inject(
            FaultRule::new("/v3/videos/*", status_fault(503, "internal_error"))
                .method("GET")
                .times(1),
        );
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.1",
                "video",
                "create",
                "--avatar-id",
                &look,
                "--script",
                "Hi",
                "--wait",
                "--timeout",
                "30",
            ],
        );
        assert_eq!(run.ok()["data"]["status"], "completed");
    }
}

/// BR-09 B: a 404 during a wait ends it after one check.
#[test]
fn br09_a_404_during_a_wait_is_terminal() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    emu.inject(FaultRule::new("/v3/videos/*", status_fault(404, "not_found")).method("GET"));
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &[
                "video",
                "create",
                "--avatar-id",
                &look,
                "--script",
                "Hi",
                "--wait",
            ],
        );
        let error = run.failed(1, "not_found");
        let id = owned(&error["video_id"]);
        assert_eq!(count(&emu, "GET", &format!("/v3/videos/{id}")), 1);
    }
}

/// BR-11: consent with no options sends `{}`.
#[test]
fn br11_empty_options_send_an_empty_object() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let out = api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "digital-twin",
                "--name",
                "Twin",
                "--file",
                "https://example.com/f.mp4",
            ],
        )
        .ok();
        let group = owned(&out["data"]["avatar_group"]["id"]);
        let consent = api(&emu, transport, &["avatar", "consent", "create", &group]).ok();
        assert!(consent["data"]["url"].is_string());
        let logged = emu.requests();
        let request = logged
            .iter()
            .rev()
            .find(|r| r.method == "POST" && r.path.ends_with("/consent"))
            .unwrap();
        assert_eq!(request.body_bytes, 2, "the body is `{{}}`");
        assert!(request.headers["content-type"].starts_with("application/json"));
    }
}

/// BR-17: `--all` walks every page, repeating filters and limit.
#[test]
fn br17_all_pages_repeat_filters_and_limit() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        emu.reset();
        let out = api(
            &emu,
            transport,
            &[
                "avatar",
                "looks",
                "list",
                "--ownership",
                "public",
                "--avatar-type",
                "studio_avatar",
                "--limit",
                "10",
                "--all",
            ],
        )
        .ok();
        let items = out["data"].as_array().unwrap();
        let pages = count(&emu, "GET", "/v3/avatars/looks");
        assert_eq!(pages, items.len().div_ceil(10));
        assert!(pages > 1);
        let mut ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), items.len(), "no duplicates");
        for request in emu
            .requests()
            .iter()
            .filter(|r| r.path == "/v3/avatars/looks")
        {
            let query = request.query.clone().unwrap_or_default();
            assert!(
                query.contains("ownership=public")
                    && query.contains("limit=10")
                    && query.contains("avatar_type=studio_avatar"),
                "{query}"
            );
        }
    }
}

/// BR-21: a redirect is never followed; the other origin never sees the key.
#[test]
fn br21_redirects_are_not_followed() {
    let emu = emulator(1.0);
    emu.inject(FaultRule::new(
        "/v3/users/me",
        Fault::Redirect {
            status: 302,
            host: None,
        },
    ));
    for transport in TRANSPORTS {
        let run = api(&emu, transport, &["user", "me"]);
        run.failed_with_status(1, "cli_unexpected_redirect", 302);
    }
    assert!(emu.other_origin_requests().is_empty());
}

/// BR-25: a 409 `request_in_progress` is retried with the same idempotency key.
#[test]
fn br25_request_in_progress_is_retried_with_the_same_key() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        emu.reset();
        emu.inject(
            FaultRule::new("/v3/videos", status_fault(409, "request_in_progress"))
                .method("POST")
                .times(1),
        );
        let out = api(
            &emu,
            transport,
            &["video", "create", "--avatar-id", &look, "--script", "Hi"],
        )
        .ok();
        assert!(out["data"]["video_id"].is_string());
        let posts: Vec<_> = emu
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == "/v3/videos")
            .collect();
        assert_eq!(posts.len(), 2);
        let key = posts[0].headers.get("idempotency-key").cloned().unwrap();
        assert_eq!(posts[1].headers.get("idempotency-key"), Some(&key));
    }
}

/// BR-26: unknown enum values print as the original strings.
#[test]
fn br26_unknown_enum_values_are_kept() {
    let emu = emulator(1.0);
    emu.inject(FaultRule::new("/v3/avatars/looks", Fault::UnknownEnums));
    for transport in TRANSPORTS {
        let out = api(&emu, transport, &public_looks("3")).ok();
        for look in out["data"].as_array().unwrap() {
            assert_eq!(look["avatar_type"], "emulator_future_avatar_type");
        }
    }
}

/// Gzip-encoded error bodies, truncated bodies and oversized bodies.
#[test]
fn body_faults_map_to_stable_codes() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        emu.clear_faults();
        emu.inject(FaultRule::new("/v3/avatars/*", Fault::Gzip).method("GET"));
        let run = api(&emu, transport, &["avatar", "get", "grp_missing"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.error()["status"], 404);

        emu.clear_faults();
        emu.inject(FaultRule::new(
            "/v3/users/me",
            Fault::Truncate {
                keep_bytes: Some(10),
            },
        ));
        api(&emu, transport, &["--max-retries", "0", "user", "me"]).failed(1, "cli_network_error");

        emu.clear_faults();
        emu.inject(FaultRule::new(
            "/v3/users/me",
            Fault::Oversized {
                bytes: Some(17 * 1024 * 1024),
            },
        ));
        api(&emu, transport, &["--max-retries", "0", "user", "me"])
            .failed(1, "cli_response_too_large");
    }
}

/// A connection closed before any response byte is retried for reads.
#[test]
fn a_closed_connection_is_retried_for_reads() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        emu.reset();
        emu.inject(FaultRule::new("/v3/users/me", Fault::Close).times(1));
        api(&emu, transport, &["--max-retries", "1", "user", "me"]).ok();
        assert_eq!(count(&emu, "GET", "/v3/users/me"), 2);
    }
}

//! The output contract: exit codes, the error envelope, usage errors, retries and waits.

use heygen_emulator::{Fault, FaultRule, RetryAfter};

use crate::support::{
    CANARY, PORTRAIT_PNG, TRANSPORTS, api, count, emulator, heygen, html_fault, human_public_looks,
    owned, public_look, public_looks, public_looks_and, temp_dir, write_file,
};

#[test]
fn a_401_exits_3_with_status_code_and_request_id() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let base = emu.base_url();
        let run = heygen(
            &[
                "--base-url",
                &base,
                "--transport",
                transport,
                "--api-key",
                "hg_wrong_key_0001",
                "user",
                "me",
            ],
            &[],
        );
        let error = run.failed_with_status(3, "unauthorized", 401);
        assert!(
            error["request_id"]
                .as_str()
                .is_some_and(|id| !id.is_empty()),
            "{run:?}"
        );
        assert!(
            !run.stderr.contains("hg_wrong_key_0001"),
            "the key was printed: {run:?}"
        );
    }
}

#[test]
fn no_api_key_exits_3_and_sends_nothing() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let base = emu.base_url();
        let run = heygen(
            &["--base-url", &base, "--transport", transport, "user", "me"],
            &[],
        );
        let error = run.failed(3, "cli_missing_api_key");
        assert!(error.get("status").is_none());
        let run = heygen(
            &[
                "--base-url",
                &base,
                "--transport",
                transport,
                "avatar",
                "list",
            ],
            &[("HEYGEN_API_KEY", "  ")],
        );
        run.failed(3, "cli_missing_api_key");
    }
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
}

#[test]
fn a_404_exits_1_with_heygen_code_and_request_id() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let run = api(&emu, transport, &["avatar", "get", "grp_does_not_exist"]);
        assert_eq!(run.code, 1, "{run:?}");
        let error = run.error();
        assert_eq!(error["status"], 404);
        assert!(
            error["code"].as_str().unwrap().contains("not_found"),
            "{run:?}"
        );
        assert!(error["request_id"].is_string(), "{run:?}");
        assert_eq!(run.stdout, "");
        let run = api(&emu, transport, &["video", "get", "vid_missing"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.error()["status"], 404);
    }
}

#[test]
fn client_side_validation_exits_2_and_sends_nothing() {
    let emu = emulator(1.0);
    let dir = temp_dir("validation");
    let unknown = write_file(&dir, "notes.bin", b"just some text, not an image");
    let unknown = unknown.to_str().unwrap();
    let missing = dir.join("missing.png");
    let missing = missing.to_str().unwrap();
    let empty = write_file(&dir, "empty.png", b"");
    let empty = empty.to_str().unwrap();
    let long_prompt = "x".repeat(1001);
    for transport in TRANSPORTS {
        let error = api(&emu, transport, &["avatar", "list", "--limit", "500"])
            .failed(2, "cli_validation_error");
        assert_eq!(error["param"], "limit");
        api(
            &emu,
            transport,
            &["avatar", "looks", "list", "--limit", "0"],
        )
        .failed(2, "cli_validation_error");
        let error = api(
            &emu,
            transport,
            &[
                "video",
                "create",
                "--avatar-id",
                "look_1",
                "--audio-url",
                "ftp://example.com/a.mp3",
            ],
        )
        .failed(2, "cli_validation_error");
        assert!(
            error["param"].as_str().unwrap().contains("audio_url"),
            "{error}"
        );
        api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "photo",
                "--name",
                "A",
                "--file",
                "http://example.com/a.png",
            ],
        )
        .failed(2, "cli_validation_error");
        api(
            &emu,
            transport,
            &[
                "avatar", "create", "photo", "--name", "A", "--file", unknown,
            ],
        )
        .failed(2, "cli_validation_error");
        let error = api(
            &emu,
            transport,
            &[
                "avatar", "create", "photo", "--name", "A", "--file", missing,
            ],
        )
        .failed(2, "cli_file_error");
        assert_eq!(error["param"], "file");
        api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "prompt",
                "--name",
                "A",
                "--prompt",
                &long_prompt,
            ],
        )
        .failed(2, "cli_validation_error");
        // An http:// source is refused for a loopback host too, as the model refuses it.
        let error = api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "photo",
                "--name",
                "A",
                "--file",
                "http://127.0.0.1:9/a.png",
            ],
        )
        .failed(2, "cli_validation_error");
        assert_eq!(error["param"], "file.url");
        // An empty file is the same file error in every command that takes a local file.
        for args in [
            &["avatar", "create", "photo", "--name", "A", "--file", empty][..],
            &[
                "avatar",
                "create",
                "digital-twin",
                "--name",
                "A",
                "--file",
                empty,
            ][..],
            &["asset", "upload", empty][..],
        ] {
            let error = api(&emu, transport, args).failed(2, "cli_file_error");
            assert!(
                error["message"].as_str().unwrap().contains("is empty"),
                "{error}"
            );
            assert!(error["param"].is_string(), "{error}");
        }
        api(&emu, transport, &["avatar", "get", ".."]).failed(2, "cli_validation_error");
        api(
            &emu,
            transport,
            &[
                "avatar",
                "consent",
                "create",
                "grp_1",
                "--reroute-url",
                "ftp://example.com/",
            ],
        )
        .failed(2, "cli_validation_error");
        api(&emu, transport, &["asset", "upload", missing]).failed(2, "cli_file_error");
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        emu.requests().is_empty(),
        "nothing may be sent: {:?}",
        emu.requests()
    );
}

#[test]
fn usage_errors_are_json_with_exit_2() {
    let cases: &[&[&str]] = &[
        &[],
        &["avatar"],
        &["avatar", "lst"],
        &["user", "me", "--bogus"],
        &["avatar", "get"],
        &["video", "create", "--avatar-id", "look_1"],
        &[
            "video",
            "create",
            "--avatar-id",
            "look_1",
            "--script",
            "hi",
            "--audio-url",
            "https://a.example/a.mp3",
        ],
        &[
            "video",
            "create",
            "--avatar-id",
            "look_1",
            "--script",
            "hi",
            "--timeout",
            "5",
        ],
        &["--transport", "carrier-pigeon", "user", "me"],
        &["--max-retries", "many", "user", "me"],
        &["--request-timeout", "-1", "user", "me"],
        &["avatar", "list", "--ownership", "everyone"],
    ];
    for args in cases {
        let run = heygen(args, &[("HEYGEN_API_KEY", CANARY)]);
        let error = run.failed(2, "cli_usage_error");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    let run = heygen(
        &["user", "me"],
        &[("HEYGEN_MAX_RETRIES", "lots"), ("HEYGEN_API_KEY", CANARY)],
    );
    run.failed(2, "cli_usage_error");
    let run = heygen(&["user", "me", CANARY], &[]);
    run.failed(2, "cli_usage_error");
    let run = heygen(&["--api-key", CANARY, "user", "me", "--what"], &[]);
    run.failed(2, "cli_usage_error");
}

#[test]
fn help_and_version_print_to_stdout_with_exit_0() {
    let run = heygen(&["--help"], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("avatar") && run.stdout.contains("demo"),
        "{run:?}"
    );
    let run = heygen(&["video", "create", "--help"], &[]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("--audio-url"));
    let run = heygen(&["--version"], &[]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("heygen "));
}

/// `--help` says which URLs a file source takes: https only, http refused even for loopback.
#[test]
fn help_says_a_file_source_url_must_be_https() {
    for command in [
        &["avatar", "create", "photo", "--help"][..],
        &["avatar", "create", "digital-twin", "--help"][..],
    ] {
        let run = heygen(command, &[]);
        assert_eq!(run.code, 0, "{run:?}");
        let text = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("https:// URL (http:// is refused for every host, loopback included"),
            "{text}"
        );
    }
}

#[test]
fn a_base_url_that_is_plain_http_to_another_host_is_refused() {
    for transport in TRANSPORTS {
        let run = heygen(
            &[
                "--base-url",
                "http://example.com",
                "--transport",
                transport,
                "user",
                "me",
            ],
            &[("HEYGEN_API_KEY", CANARY)],
        );
        run.failed(2, "cli_invalid_config");
    }
}

#[test]
fn the_base_url_comes_from_the_environment_and_the_flag_wins() {
    let emu = emulator(1.0);
    let base = emu.base_url();
    for transport in TRANSPORTS {
        let env = [
            ("HEYGEN_API_KEY", CANARY),
            ("HEYGEN_API_BASE", base.as_str()),
            ("HEYGEN_TRANSPORT", transport),
        ];
        let run = heygen(&["user", "me"], &env);
        assert!(run.ok()["data"]["username"].is_string());
        let run = heygen(
            &[
                "--base-url",
                "http://127.0.0.1:9",
                "--max-retries",
                "0",
                "user",
                "me",
            ],
            &env,
        );
        run.failed(1, "cli_network_error");
        let run = heygen(&["--api-key", "hg_flag_key_wins", "user", "me"], &env);
        run.failed(3, "unauthorized");
    }
}

#[test]
fn an_html_502_exits_1_and_keeps_the_status() {
    let emu = emulator(1.0);
    emu.inject(FaultRule::new("/v3/users/me", html_fault(502)));
    for transport in TRANSPORTS {
        let run = api(&emu, transport, &["--max-retries", "0", "user", "me"]);
        // The status is kept, and so is its class: a gateway's HTML 502 is a server error.
        let error = run.failed_with_status(1, "cli_server_error", 502);
        assert!(
            error["message"].as_str().unwrap().contains("text/html"),
            "{run:?}"
        );
        assert!(error["request_id"].is_string(), "{run:?}");
    }
}

#[test]
fn a_429_is_retried_up_to_max_retries() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        emu.reset();
        let rule = Fault::Status {
            status: 429,
            code: None,
            message: None,
            retry_after: Some(RetryAfter::Seconds(0)),
        };
        emu.inject(FaultRule::new("/v3/users/me", rule.clone()).times(2));
        let run = api(&emu, transport, &["--max-retries", "2", "user", "me"]);
        run.ok();
        assert_eq!(count(&emu, "GET", "/v3/users/me"), 3);

        emu.reset();
        emu.inject(FaultRule::new("/v3/users/me", rule));
        let run = api(&emu, transport, &["--max-retries", "1", "user", "me"]);
        assert_eq!(run.code, 1, "{run:?}");
        let error = run.error();
        assert_eq!(error["status"], 429);
        assert_eq!(error["code"], "rate_limit_exceeded");
        assert_eq!(count(&emu, "GET", "/v3/users/me"), 2);

        emu.reset();
        emu.inject(FaultRule::new(
            "/v3/users/me",
            Fault::Status {
                status: 429,
                code: None,
                message: None,
                retry_after: Some(RetryAfter::Seconds(0)),
            },
        ));
        let run = heygen(
            &[
                "--base-url",
                &emu.base_url(),
                "--transport",
                transport,
                "user",
                "me",
            ],
            &[("HEYGEN_API_KEY", CANARY), ("HEYGEN_MAX_RETRIES", "0")],
        );
        assert_eq!(run.code, 1);
        assert_eq!(
            count(&emu, "GET", "/v3/users/me"),
            1,
            "HEYGEN_MAX_RETRIES=0 means one attempt"
        );
    }
}

#[test]
fn a_503_is_retried_on_reads() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        emu.reset();
        emu.inject(
            FaultRule::new(
                "/v3/users/me",
                Fault::Status {
                    status: 503,
                    code: None,
                    message: None,
                    retry_after: Some(RetryAfter::Seconds(0)),
                },
            )
            .times(1),
        );
        let run = api(&emu, transport, &["--max-retries", "1", "user", "me"]);
        run.ok();
        assert_eq!(count(&emu, "GET", "/v3/users/me"), 2);
    }
}

#[test]
fn a_video_wait_deadline_exits_4_with_the_last_state_and_the_video_id() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.2",
                "video",
                "create",
                "--avatar-id",
                &look,
                "--script",
                "Hello there",
                "--wait",
                "--timeout",
                "1",
            ],
        );
        assert_eq!(run.code, 4, "{run:?}");
        let last = run.json();
        let id = owned(&last["data"]["id"]);
        assert!(
            matches!(
                last["data"]["status"].as_str(),
                Some("pending" | "waiting" | "processing")
            ),
            "{run:?}"
        );
        let error = run.error();
        assert_eq!(error["code"], "cli_timeout");
        assert_eq!(error["video_id"], id.as_str());
        assert!(
            count(&emu, "GET", &format!("/v3/videos/{id}")) >= 2,
            "it polled"
        );
    }
}

#[test]
fn an_avatar_wait_deadline_exits_4_and_completion_exits_0() {
    let emu = emulator(1.0);
    let dir = temp_dir("wait");
    let png = write_file(&dir, "portrait.png", PORTRAIT_PNG);
    for transport in TRANSPORTS {
        let created = api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "photo",
                "--name",
                "Waiter",
                "--file",
                png.to_str().unwrap(),
            ],
        )
        .ok();
        let group = owned(&created["data"]["avatar_group"]["id"]);
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.2",
                "avatar",
                "wait",
                &group,
                "--timeout",
                "0.5",
            ],
        );
        assert_eq!(run.code, 4, "{run:?}");
        assert_eq!(run.json()["data"]["status"], "processing");
        let error = run.error();
        assert_eq!(error["code"], "cli_timeout");
        assert_eq!(error["group_id"], group.as_str());

        emu.advance(std::time::Duration::from_hours(1));
        let run = api(
            &emu,
            transport,
            &["avatar", "wait", &group, "--timeout", "5"],
        );
        let done = run.ok();
        assert_eq!(done["data"]["status"], "completed");
        assert_eq!(done["data"]["id"], group.as_str());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_training_exits_1_with_heygen_code_and_the_group_id() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let created = api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "photo",
                "--name",
                "Broken [fail]",
                "--file",
                "https://example.com/p.png",
            ],
        )
        .ok();
        let group = owned(&created["data"]["avatar_group"]["id"]);
        emu.advance(std::time::Duration::from_hours(1));
        let run = api(
            &emu,
            transport,
            &["avatar", "wait", &group, "--timeout", "5"],
        );
        let error = run.failed(1, "avatar_training_failed");
        assert_eq!(error["group_id"], group.as_str());
    }
}

#[test]
fn a_request_timeout_exits_4() {
    let emu = emulator(1.0);
    emu.inject(FaultRule::new("/v3/users/me", Fault::Delay { ms: 3000 }));
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &[
                "--request-timeout",
                "0.5",
                "--max-retries",
                "0",
                "user",
                "me",
            ],
        );
        run.failed(4, "cli_timeout");
    }
}

#[test]
fn lists_print_data_has_more_and_next_token() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let page = api(&emu, transport, &public_looks("5")).ok();
        assert_eq!(page["data"].as_array().unwrap().len(), 5);
        assert_eq!(page["has_more"], true);
        let token = owned(&page["next_token"]);
        let next = api(
            &emu,
            transport,
            &public_looks_and("5", &["--token", &token]),
        )
        .ok();
        assert_ne!(next["data"][0]["id"], page["data"][0]["id"]);
        let all = api(&emu, transport, &public_looks_and("7", &["--all"])).ok();
        assert_eq!(all["has_more"], false);
        assert!(all["next_token"].is_null());
        assert!(all["data"].as_array().unwrap().len() > 7);
    }
}

#[test]
fn human_output_is_a_table() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let run = api(&emu, transport, &human_public_looks("3"));
        assert_eq!(run.code, 0, "{run:?}");
        let mut lines = run.stdout.lines();
        let header = lines.next().unwrap();
        assert!(
            header.starts_with("ID ") && header.contains("NAME"),
            "{run:?}"
        );
        assert_eq!(
            lines.clone().count(),
            4,
            "3 rows and the next-page hint: {run:?}"
        );
        let run = api(&emu, transport, &["--human", "user", "me"]);
        assert!(
            run.stdout.lines().any(|l| l.starts_with("username ")),
            "{run:?}"
        );
    }
}

#[test]
fn a_403_exits_3() {
    let emu = emulator(1.0);
    emu.inject(FaultRule::new(
        "/v3/avatars",
        Fault::Status {
            status: 403,
            code: None,
            message: None,
            retry_after: None,
        },
    ));
    for transport in TRANSPORTS {
        api(&emu, transport, &["avatar", "list"]).failed_with_status(3, "forbidden", 403);
    }
}

#[test]
fn a_failed_render_exits_1_with_the_video_id() {
    let emu = emulator(600.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
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
                "--title",
                "doomed [fail]",
                "--wait",
                "--timeout",
                "30",
            ],
        );
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stdout, "");
        let error = run.error();
        assert!(error["video_id"].is_string(), "{run:?}");
        assert!(
            error["message"].as_str().unwrap().contains("failed"),
            "{run:?}"
        );
    }
}

#[test]
fn every_resource_command_round_trips() {
    let emu = emulator(600.0);
    let public = public_look(&emu);
    for transport in TRANSPORTS {
        let created = api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "prompt",
                "--name",
                "Prompted",
                "--prompt",
                "a friendly lighthouse keeper",
            ],
        )
        .ok();
        let group = owned(&created["data"]["avatar_group"]["id"]);
        let look = owned(&created["data"]["avatar_item"]["id"]);
        let got = api(&emu, transport, &["avatar", "get", &group]).ok();
        assert_eq!(got["data"]["name"], "Prompted");
        let listed = api(
            &emu,
            transport,
            &["avatar", "list", "--ownership", "private", "--all"],
        )
        .ok();
        assert!(
            listed["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g["id"] == group.as_str())
        );
        let looks = api(
            &emu,
            transport,
            &["avatar", "looks", "list", "--group-id", &group],
        )
        .ok();
        assert_eq!(looks["data"][0]["id"], look.as_str());
        let renamed = api(
            &emu,
            transport,
            &["avatar", "looks", "update", &look, "--name", "Renamed"],
        )
        .ok();
        assert_eq!(renamed["data"]["name"], "Renamed");
        assert_eq!(
            api(&emu, transport, &["avatar", "looks", "get", &look]).ok()["data"]["name"],
            "Renamed"
        );

        let video = api(
            &emu,
            transport,
            &["video", "create", "--avatar-id", &public, "--script", "Hi"],
        )
        .ok();
        let video = owned(&video["data"]["video_id"]);
        let videos = api(&emu, transport, &["video", "list", "--all"]).ok();
        assert!(
            videos["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v["id"] == video.as_str())
        );
        let deleted = api(&emu, transport, &["video", "delete", &video]).ok();
        assert_eq!(deleted["data"]["id"], video.as_str());
        assert_eq!(api(&emu, transport, &["video", "get", &video]).code, 1);

        let deleted = api(&emu, transport, &["avatar", "looks", "delete", &look]).ok();
        assert_eq!(deleted["data"]["id"], look.as_str());
        // Deleting the last look deleted the group too.
        assert_eq!(api(&emu, transport, &["avatar", "get", &group]).code, 1);

        let again = api(
            &emu,
            transport,
            &[
                "avatar",
                "create",
                "photo",
                "--name",
                "P",
                "--file",
                "https://example.com/p.png",
            ],
        )
        .ok();
        let group = owned(&again["data"]["avatar_group"]["id"]);
        let deleted = api(&emu, transport, &["avatar", "delete", &group]).ok();
        assert_eq!(deleted["data"]["id"], group.as_str());
    }
}

#[test]
fn max_retries_above_ten_is_a_usage_error_and_sends_nothing() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let run = api(&emu, transport, &["--max-retries", "1000", "user", "me"]);
        run.failed(2, "cli_usage_error");
        assert!(run.stdout.is_empty());
    }
    assert_eq!(count(&emu, "GET", "/v3/users/me"), 0);
}

#[test]
fn a_failed_write_to_stdout_is_an_error_not_a_silent_success() {
    let emu = emulator(1.0);
    let base = emu.base_url();
    for transport in TRANSPORTS {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_heygen"))
            .args(["--base-url", &base, "--transport", transport, "user", "me"])
            .env("HEYGEN_API_KEY", CANARY)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
        assert_eq!(line["error"]["code"], "cli_output_error");
        assert!(!stderr.contains(CANARY));
    }
}

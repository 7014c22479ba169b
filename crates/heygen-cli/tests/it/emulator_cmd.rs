//! `heygen emulator` in one process, API commands from another.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use crate::support::{Run, TRANSPORTS, heygen, owned};

/// Runs `args` against the emulator at `base` with `key` on `transport`.
fn heygen_at(base: &str, key: &str, transport: &str, args: &[&str]) -> Run {
    let mut all = vec![
        "--base-url",
        base,
        "--api-key",
        key,
        "--transport",
        transport,
    ];
    all.extend_from_slice(args);
    heygen(&all, &[])
}

#[test]
fn the_emulator_command_serves_the_api_for_other_commands() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_heygen"))
        .args(["emulator", "--port", "0", "--speed", "600"])
        .env_remove("HEYGEN_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let started: serde_json::Value = serde_json::from_str(&line).unwrap();
    let base = owned(&started["data"]["base_url"]);
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/portrait.png");
    for transport in TRANSPORTS {
        let key = heygen_emulator::DEFAULT_API_KEY;
        let run = heygen_at(
            &base,
            key,
            transport,
            &["avatar", "create", "photo", "--name", "X", "--file", sample],
        );
        let out = run.ok();
        assert_eq!(out["data"]["avatar_item"]["avatar_type"], "photo_avatar");
        let group = owned(&out["data"]["avatar_group"]["id"]);
        let run = heygen_at(
            &base,
            key,
            transport,
            &[
                "--poll-interval",
                "0.1",
                "avatar",
                "wait",
                &group,
                "--timeout",
                "20",
            ],
        );
        assert_eq!(run.ok()["data"]["status"], "completed");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

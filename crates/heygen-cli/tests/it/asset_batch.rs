//! `heygen asset upload a b c` through one upload batch, and the asset commands, on both
//! transports against the emulator.

use std::path::{Path, PathBuf};

use crate::support::{TRANSPORTS, api, count, emulator, owned, temp_dir, write_file};

fn mp4() -> Vec<u8> {
    let mut b = b"\0\0\0\x18ftypmp42".to_vec();
    b.resize(4000, 1);
    b
}

fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.resize(600, 2);
    b
}

fn mp3() -> Vec<u8> {
    let mut b = b"ID3\x04\0\0\0\0\0\0".to_vec();
    b.resize(800, 3);
    b
}

/// `a.mp4`, `b.png`, `c.mp3` in a fresh directory.
fn three(dir: &Path) -> Vec<PathBuf> {
    vec![
        write_file(dir, "a.mp4", &mp4()),
        write_file(dir, "b.png", &png()),
        write_file(dir, "c.mp3", &mp3()),
    ]
}

fn strs(paths: &[PathBuf]) -> Vec<&str> {
    paths.iter().map(|p| p.to_str().unwrap()).collect()
}

#[test]
fn three_files_upload_through_one_batch_and_list_in_order() {
    for transport in TRANSPORTS {
        let emu = emulator(100.0);
        let dir = temp_dir(&format!("asset-batch-{transport}"));
        let paths = three(&dir);
        let mut args = vec!["--poll-interval", "0.02", "asset", "upload"];
        args.extend(strs(&paths));
        let out = api(&emu, transport, &args).ok();
        let data = &out["data"];
        let assets = data["assets"].as_array().unwrap();
        assert_eq!(assets.len(), 3, "{transport}: {out}");
        for (asset, path) in assets.iter().zip(&paths) {
            assert_eq!(asset["path"], path.to_str().unwrap(), "{transport}");
            assert_eq!(asset["status"], "completed", "{transport}: {out}");
            assert_eq!(asset["sha256"].as_str().unwrap().len(), 64);
        }
        // The batch endpoints, not three single uploads.
        assert_eq!(count(&emu, "POST", "/v3/assets/direct-uploads/batches"), 1);
        assert_eq!(count(&emu, "POST", "/v3/assets/complete/batches"), 1);
        assert_eq!(count(&emu, "PUT", "/_storage/"), 3);
        assert_eq!(count(&emu, "POST", "/v3/assets"), 2);

        let batch = owned(&data["batch_id"]);
        let read = api(&emu, transport, &["asset", "batch", "get", &batch]).ok();
        assert_eq!(read["data"]["status"], "completed", "{transport}");
        // Completing again is harmless, and a wait on a finished batch prints every outcome.
        let again = api(&emu, transport, &["asset", "batch", "complete", &batch]).ok();
        assert_eq!(again["data"]["batch_id"], batch.as_str());
        let waited = api(&emu, transport, &["asset", "batch", "wait", &batch]).ok();
        let items = waited["data"]["items"].as_array().unwrap();
        assert_eq!(items.len(), 3);
        for (item, asset) in items.iter().zip(assets) {
            assert_eq!(item["status"], "completed");
            assert_eq!(item["id"], asset["asset_id"]);
        }

        // The assets commands see them.
        let first = owned(&assets[0]["asset_id"]);
        let got = api(&emu, transport, &["asset", "get", &first]).ok();
        assert_eq!(got["data"]["name"], "a.mp4");
        assert_eq!(got["data"]["type"], "video");
        let listed = api(
            &emu,
            transport,
            &[
                "asset",
                "list",
                "--username",
                "emulator",
                "--limit",
                "2",
                "--all",
            ],
        )
        .ok();
        assert_eq!(listed["data"].as_array().unwrap().len(), 3, "{transport}");
        let statuses = api(
            &emu,
            transport,
            &[
                "asset",
                "statuses",
                "--batch-ids",
                &batch,
                "--asset-ids",
                &first,
            ],
        )
        .ok();
        assert_eq!(statuses["data"].as_array().unwrap().len(), 4, "{transport}");
        let deleted = api(&emu, transport, &["asset", "delete", &first]).ok();
        assert_eq!(deleted["data"]["id"], first.as_str());
        api(&emu, transport, &["asset", "get", &first]).failed_with_status(1, "not_found", 404);
    }
}

#[test]
fn a_file_heygen_refuses_is_listed_and_the_run_exits_1() {
    for transport in TRANSPORTS {
        let emu = emulator(100.0);
        let dir = temp_dir(&format!("asset-batch-bad-{transport}"));
        let mut paths = three(&dir);
        // A ZIP archive named .mp3: the SDK takes the extension, the server reads the bytes.
        let mut zip = b"PK\x03\x04".to_vec();
        zip.resize(700, 4);
        paths[2] = write_file(&dir, "c.mp3", &zip);
        let mut args = vec!["--poll-interval", "0.02", "asset", "upload", "--title", "t"];
        args.extend(strs(&paths));
        let run = api(&emu, transport, &args);
        assert_eq!(run.code, 1, "{run:?}");
        let error = run.error();
        assert_eq!(error["code"], "batch_items_failed", "{run:?}");
        let out = run.json();
        let assets = out["data"]["assets"].as_array().unwrap();
        let status: Vec<_> = assets
            .iter()
            .map(|a| a["status"].as_str().unwrap())
            .collect();
        assert_eq!(status, ["completed", "completed", "failed"], "{transport}");
        assert_eq!(assets[2]["error"]["code"], "invalid_file");
        assert_eq!(error["batch_id"], out["data"]["batch_id"]);
        // `asset batch wait` says the same, with the same exit.
        let batch = owned(&out["data"]["batch_id"]);
        let run = api(&emu, transport, &["asset", "batch", "wait", &batch]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.error()["code"], "batch_items_failed");
        assert_eq!(run.json()["data"]["items"][2]["status"], "failed");
    }
}

#[test]
fn usage_and_validation_errors_send_nothing() {
    let emu = emulator(1.0);
    // --username is required.
    let run = api(&emu, "blocking", &["asset", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    let run = api(&emu, "blocking", &["asset", "list", "--username", " "]);
    run.failed(2, "cli_validation_error");
    let run = api(&emu, "blocking", &["asset", "statuses"]);
    run.failed(2, "cli_validation_error");
    // A missing or empty file among many is the same file error as a single one, naming it;
    // nothing is created.
    let dir = temp_dir("asset-batch-missing");
    let a = write_file(&dir, "a.png", &png());
    let empty = write_file(&dir, "empty.png", b"");
    let a = a.to_str().unwrap();
    for transport in TRANSPORTS {
        for bad in [
            "/nonexistent/b.png",
            empty.to_str().unwrap(),
            dir.to_str().unwrap(),
        ] {
            let error =
                api(&emu, transport, &["asset", "upload", a, bad]).failed(2, "cli_file_error");
            assert_eq!(error["param"], "path", "{transport} {bad}");
            assert!(error["message"].as_str().unwrap().contains(bad), "{error}");
        }
        // A title belongs to a batch: with one file it is refused, not dropped.
        api(&emu, transport, &["asset", "upload", a, "--title", "T"]).failed(2, "cli_usage_error");
    }
    assert_eq!(count(&emu, "POST", "/v3/assets"), 0);
}

#[test]
fn a_failure_after_the_batch_exists_names_it() {
    let emu = emulator(100.0);
    // The batch is created and the files sent; completing it fails.
    emu.inject(
        heygen_emulator::FaultRule::new(
            "/v3/assets/complete/batches",
            crate::support::html_fault(404),
        )
        .method("POST"),
    );
    let dir = temp_dir("asset-batch-complete-404");
    let paths = three(&dir);
    for transport in TRANSPORTS {
        let mut args = vec!["--poll-interval", "0.02", "asset", "upload"];
        args.extend(strs(&paths));
        let run = api(&emu, transport, &args);
        assert_eq!(run.code, 1, "{transport}: {run:?}");
        let error = run.error();
        assert_eq!(error["code"], "cli_not_found", "{transport}: {error}");
        assert!(run.stdout.is_empty(), "{run:?}");
        let batch = error["batch_id"]
            .as_str()
            .unwrap_or_else(|| panic!("{error}"));
        // The id is the real batch: it can be read.
        emu.clear_faults();
        api(&emu, transport, &["asset", "batch", "get", batch]).ok();
        emu.inject(
            heygen_emulator::FaultRule::new(
                "/v3/assets/complete/batches",
                crate::support::html_fault(404),
            )
            .method("POST"),
        );
    }
}

/// `POST path` with `body` straight to the emulator, as HeyGen's own callers would; the reply's
/// `data`.
fn post(emu: &heygen_emulator::EmulatorHandle, path: &str, body: &str) -> serde_json::Value {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(emu.addr()).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        crate::support::CANARY,
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let (_, json) = reply.split_once("\r\n\r\n").unwrap();
    serde_json::from_str::<serde_json::Value>(json).unwrap()["data"].clone()
}

#[test]
fn a_batch_wait_at_its_deadline_prints_the_last_state_and_names_the_batch() {
    let emu = emulator(1.0);
    // A batch whose files never arrive never finishes.
    let created = post(
        &emu,
        "/v3/assets/direct-uploads/batches",
        r#"{"files":[{"filename":"a.png","content_type":"image/png","size_bytes":600}]}"#,
    );
    let batch = owned(&created["batch_id"]);
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.2",
                "asset",
                "batch",
                "wait",
                &batch,
                "--timeout",
                "1",
            ],
        );
        assert_eq!(run.code, 4, "{transport}: {run:?}");
        let error = run.error();
        assert_eq!(error["code"], "cli_timeout");
        assert_eq!(error["batch_id"], batch.as_str(), "{transport}: {error}");
        assert!(error.get("group_id").is_none(), "{transport}: {error}");
        let last = run.json();
        assert_eq!(last["data"]["batch_id"], batch.as_str(), "{transport}");
        assert_eq!(last["data"]["status"], "processing", "{transport}");
    }
}

//! Files above 32 MB go through direct upload, streamed with bounded memory.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{CANARY, TRANSPORTS, count, emulator, temp_dir, write_file};

/// 40 MiB: above the 32 MB multipart limit.
const BIG: usize = 40 * 1024 * 1024;

/// Writes a file of `BIG` bytes that starts like an MP4, in 1 MiB chunks.
fn big_mp4(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("big.mp4");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut chunk = vec![0u8; 1024 * 1024];
    for (i, byte) in chunk.iter_mut().enumerate() {
        *byte = u8::try_from(i % 251).unwrap();
    }
    chunk[..24].copy_from_slice(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom");
    for n in 0..BIG / chunk.len() {
        if n == 1 {
            chunk[..24].copy_from_slice(&[7u8; 24]);
        }
        file.write_all(&chunk).unwrap();
    }
    file.flush().unwrap();
    path
}

/// Runs the binary, sampling its peak resident set size (kB) from `/proc` while it runs.
/// `asset upload file` against `base` on `transport`, measured by [`run_measured`].
fn upload_measured(base: &str, transport: &str, file: &str) -> (i32, String, String, u64) {
    run_measured(&[
        "--base-url",
        base,
        "--transport",
        transport,
        "asset",
        "upload",
        file,
    ])
}

fn run_measured(args: &[&str]) -> (i32, String, String, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_heygen"))
        .args(args)
        .env("HEYGEN_API_KEY", CANARY)
        .env_remove("HEYGEN_API_BASE")
        .env_remove("HEYGEN_TRANSPORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_path) {
            for line in text.lines() {
                if let Some(rest) = line.strip_prefix("VmHWM:") {
                    let kb: u64 = rest
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse()
                        .unwrap_or(0);
                    peak_kb = peak_kb.max(kb);
                }
            }
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stdout.contains(CANARY) && !stderr.contains(CANARY));
    (output.status.code().unwrap_or(-1), stdout, stderr, peak_kb)
}

#[test]
fn files_above_32_mb_go_through_direct_upload_with_bounded_memory() {
    let emu = emulator(600.0);
    let dir = std::env::temp_dir().join(format!("heygen-cli-big-{}", std::process::id()));
    let path = big_mp4(&dir);
    let file = path.to_str().unwrap();
    let base = emu.base_url();
    for transport in TRANSPORTS {
        emu.reset();
        let (code, stdout, stderr, peak_kb) = upload_measured(&base, transport, file);
        assert_eq!(code, 0, "{stdout}{stderr}");
        let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(out["data"]["size_bytes"], BIG);
        assert!(out["data"]["asset_id"].is_string());
        assert_eq!(count(&emu, "POST", "/v3/assets/direct-uploads"), 1);
        assert_eq!(
            count(&emu, "POST", "/v3/assets"),
            2,
            "create and complete, no multipart"
        );
        let puts: Vec<_> = emu
            .requests()
            .into_iter()
            .filter(|r| r.method == "PUT")
            .collect();
        assert_eq!(puts.len(), 1);
        assert_eq!(puts[0].body_bytes, BIG as u64);
        assert!(
            !puts[0].headers.contains_key("x-api-key"),
            "no key on the presigned PUT"
        );
        assert!(!puts[0].headers.contains_key("authorization"));
        // Streamed: the process never holds the file (40 MiB) in memory.
        assert!(peak_kb > 0, "could not measure");
        assert!(
            peak_kb < 32 * 1024,
            "peak RSS {peak_kb} kB for a {BIG}-byte upload ({transport})"
        );

        emu.reset();
        let (code, stdout, stderr, _) = run_measured(&[
            "--base-url",
            &base,
            "--transport",
            transport,
            "avatar",
            "create",
            "digital-twin",
            "--name",
            "Big Twin",
            "--file",
            file,
        ]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(out["data"]["avatar_item"]["avatar_type"], "digital_twin");
        assert_eq!(count(&emu, "POST", "/v3/assets/direct-uploads"), 1);
        assert_eq!(count(&emu, "PUT", "/"), 1);
    }

    // A direct upload that fails after the asset was created names the asset.
    emu.reset();
    emu.inject(heygen_emulator::FaultRule::new(
        "/v3/assets/*/complete",
        heygen_emulator::Fault::Status {
            status: 500,
            code: Some("internal_error".to_owned()),
            message: None,
            retry_after: None,
        },
    ));
    for transport in TRANSPORTS {
        let (code, stdout, stderr, _) = run_measured(&[
            "--base-url",
            &base,
            "--transport",
            transport,
            "--max-retries",
            "0",
            "asset",
            "upload",
            file,
        ]);
        assert_eq!(code, 1, "{stdout}{stderr}");
        assert_eq!(stdout, "");
        let error: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
        assert_eq!(error["error"]["code"], "internal_error", "{stderr}");
        assert_eq!(error["error"]["status"], 500);
        assert!(error["error"]["asset_id"].is_string(), "{stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn small_files_use_multipart_upload() {
    let emu = emulator(1.0);
    let dir = temp_dir("small");
    let path = write_file(
        &dir,
        "footage.mp4",
        include_bytes!("../../samples/footage.mp4"),
    );
    let base = emu.base_url();
    for transport in TRANSPORTS {
        emu.reset();
        let (code, stdout, stderr, _) = upload_measured(&base, transport, path.to_str().unwrap());
        assert_eq!(code, 0, "{stdout}{stderr}");
        let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(out["data"]["mime_type"], "video/mp4");
        assert_eq!(count(&emu, "POST", "/v3/assets"), 1);
        assert_eq!(count(&emu, "POST", "/v3/assets/direct-uploads"), 0);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

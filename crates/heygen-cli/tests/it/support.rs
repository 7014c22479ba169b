//! Running the binary and starting emulators.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions, Fault};
use serde_json::Value;

/// The API key every test emulator accepts; it must never be printed.
pub const CANARY: &str = "hg_test_KEY_canary_5d1e0c";

/// Both transports, by their `--transport` name.
pub const TRANSPORTS: [&str; 2] = ["blocking", "async"];

/// The sample portrait PNG.
pub const PORTRAIT_PNG: &[u8] = include_bytes!("../../samples/portrait.png");

/// Creates a video from `look_0001` with the script `Hello`.
pub const VIDEO_CREATE: [&str; 6] = [
    "video",
    "create",
    "--avatar-id",
    "look_0001",
    "--script",
    "Hello",
];

/// Creates the digital twin `Twin A` from a footage URL.
pub const DIGITAL_TWIN: [&str; 7] = [
    "avatar",
    "create",
    "digital-twin",
    "--name",
    "Twin A",
    "--file",
    "https://example.com/footage.mp4",
];

/// Creates the digital twin `Twin A` from `file`.
pub fn digital_twin(file: &str) -> [&str; 7] {
    [
        "avatar",
        "create",
        "digital-twin",
        "--name",
        "Twin A",
        "--file",
        file,
    ]
}

/// [`public_looks`] printed as a table (`--human`).
pub fn human_public_looks(limit: &str) -> Vec<&str> {
    let mut args = vec!["--human"];
    args.extend_from_slice(&public_looks(limit));
    args
}

/// Lists up to `limit` public looks.
pub fn public_looks(limit: &str) -> [&str; 7] {
    [
        "avatar",
        "looks",
        "list",
        "--ownership",
        "public",
        "--limit",
        limit,
    ]
}

/// [`public_looks`] followed by `extra`.
pub fn public_looks_and<'a>(limit: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = public_looks(limit).to_vec();
    args.extend_from_slice(extra);
    args
}

/// A fresh directory `heygen-cli-{tag}-{pid}` under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("heygen-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `bytes` to `name` in `dir` and returns its path.
pub fn write_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A JSON string value as an owned `String` (panics when it is not a string).
#[track_caller]
pub fn owned(value: &Value) -> String {
    value.as_str().unwrap().to_owned()
}

/// An emulator that accepts [`CANARY`], at `speed` emulated seconds per real second.
pub fn emulator(speed: f64) -> EmulatorHandle {
    Emulator::start(EmulatorOptions::default().api_key(CANARY).speed(speed)).unwrap()
}

/// An HTML page with `status` and no `Retry-After`.
pub fn html_fault(status: u16) -> Fault {
    Fault::Html {
        status,
        retry_after: None,
    }
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:?}"))
    }

    /// The `error` object of the stderr envelope (stderr must be exactly one JSON line).
    pub fn error(&self) -> Value {
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "stderr must be one line: {self:?}");
        let value: Value = serde_json::from_str(lines[0])
            .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {self:?}"));
        let error = value.get("error").cloned().expect("an `error` object");
        assert!(error["code"].is_string(), "code: {self:?}");
        assert!(error["message"].is_string(), "message: {self:?}");
        error
    }

    /// Asserts a failure with `exit` and `code`, and an empty stdout; returns the error.
    pub fn failed(&self, exit: i32, code: &str) -> Value {
        assert_eq!(self.code, exit, "exit code: {self:?}");
        let error = self.error();
        assert_eq!(error["code"], code, "{self:?}");
        assert_eq!(self.stdout, "", "stdout must be empty on failure: {self:?}");
        error
    }

    /// [`Run::failed`] with `exit` and `code`, and the HTTP `status` in the error; returns the error.
    #[track_caller]
    pub fn failed_with_status(&self, exit: i32, code: &str, status: u16) -> Value {
        let error = self.failed(exit, code);
        assert_eq!(error["status"], status, "{self:?}");
        error
    }

    /// Asserts success and returns stdout as JSON.
    pub fn ok(&self) -> Value {
        assert_eq!(self.code, 0, "{self:?}");
        assert_eq!(self.stderr, "", "stderr must be empty on success: {self:?}");
        self.json()
    }
}

/// Runs `heygen` with `args` and no inherited `HEYGEN_*` variables, plus `env`.
pub fn heygen(args: &[&str], env: &[(&str, &str)]) -> Run {
    heygen_with_stdin(args, env, None)
}

/// Runs `heygen` with stdin.
pub fn heygen_with_stdin(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_heygen"));
    command.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("HEYGEN_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    if let Some(text) = stdin {
        // A program may exit without reading its input (a usage error): a closed pipe is fine.
        match child.stdin.take().unwrap().write_all(text.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.unwrap(),
        }
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stdout.contains(CANARY) && !run.stderr.contains(CANARY),
        "the API key was printed: {run:?}"
    );
    run
}

/// Runs an API command against `emu` with the canary key on `transport`.
pub fn api(emu: &EmulatorHandle, transport: &str, args: &[&str]) -> Run {
    let base = emu.base_url();
    let mut all = vec!["--base-url", base.as_str(), "--transport", transport];
    all.extend_from_slice(args);
    heygen(&all, &[("HEYGEN_API_KEY", CANARY)])
}

/// A public look id of the emulator, for videos.
pub fn public_look(emu: &EmulatorHandle) -> String {
    let run = api(emu, "async", &public_looks("1"));
    run.ok()["data"][0]["id"].as_str().unwrap().to_owned()
}

/// How many API requests the emulator received for `method` `path` (path without query).
pub fn count(emu: &EmulatorHandle, method: &str, path_prefix: &str) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r.method == method && r.path.starts_with(path_prefix))
        .count()
}

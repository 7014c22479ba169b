//! Running `heygen webhook listen` in the background, and posting deliveries to it over plain
//! TCP (so a test controls every header and byte).

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant, SystemTime};

use heygen_core::webhook::sign;
use heygen_model::webhook::WebhookSecret;
use serde_json::Value;

/// The BR-19 delivery body, byte for byte (spaces and key order as sent).
pub const BR19_BODY: &str = r#"{"event_type": "avatar_video.success", "event_data": {"video_id": "vid_0001", "url": "https://files.example.com/v.mp4", "callback_id": "cb_1"}}"#;

/// The BR-19 secret.
pub const BR19_SECRET: &str = "whsec_TEST";

/// Lowercase hex HMAC-SHA256 of `body` under `secret`, as HeyGen signs.
pub fn signature(body: &[u8], secret: &str) -> String {
    sign(body, &WebhookSecret::new(secret).unwrap())
}

/// The current Unix time, in seconds.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A `heygen webhook listen` process.
pub struct Listening {
    child: Child,
    /// Where deliveries go (`http://127.0.0.1:PORT/PATH`).
    pub url: String,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    /// The stderr lines read so far.
    stderr_lines: Vec<String>,
}

/// What a finished `listen` printed.
#[derive(Debug)]
pub struct Finished {
    pub code: i32,
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
}

impl Finished {
    /// The stdout lines, parsed.
    pub fn events(&self) -> Vec<Value> {
        self.stdout
            .iter()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// The `error` objects of the JSON lines on stderr.
    pub fn errors(&self) -> Vec<Value> {
        self.stderr
            .iter()
            .filter(|l| l.starts_with('{'))
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
                v["error"].clone()
            })
            .collect()
    }

    /// Asserts that none of `secrets` was printed.
    #[track_caller]
    pub fn assert_never_printed(&self, secrets: &[&str]) {
        for secret in secrets {
            for line in self.stdout.iter().chain(&self.stderr) {
                assert!(!line.contains(secret), "printed a secret: {line}");
            }
        }
    }
}

fn lines(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A `heygen` command with no inherited `HEYGEN_*` variables, plus `env`.
pub fn heygen_command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_heygen"));
    command.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("HEYGEN_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    command
}

/// Starts `heygen webhook listen --port 0 extra…` with `HEYGEN_WEBHOOK_SECRET=secret` and waits
/// for the address it prints on stderr.
pub fn listen(secret: &str, extra: &[&str]) -> Listening {
    let mut args = vec!["webhook", "listen", "--port", "0"];
    args.extend_from_slice(extra);
    let mut child = heygen_command(&args, &[("HEYGEN_WEBHOOK_SECRET", secret)])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    let first = stderr.recv_timeout(Duration::from_secs(20)).unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    Listening {
        child,
        url,
        stdout,
        stderr,
        stderr_lines: vec![first],
    }
}

impl Listening {
    /// The base (`http://127.0.0.1:PORT`) without the path.
    pub fn origin(&self) -> String {
        let after = &self.url["http://".len()..];
        let end = after.find('/').unwrap_or(after.len());
        format!("http://{}", &after[..end])
    }

    /// The next stdout line, within `timeout`.
    pub fn next_event(&self, timeout: Duration) -> Option<Value> {
        self.stdout
            .recv_timeout(timeout)
            .ok()
            .map(|l| serde_json::from_str(&l).unwrap())
    }

    /// Waits for the process to exit by itself (at most 20 s) and collects its output.
    pub fn finish(mut self) -> Finished {
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("`heygen webhook listen` did not exit: {:?}", self.drain());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let (stdout, stderr) = self.drain();
        Finished {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
        }
    }

    /// Sends SIGTERM, then [`Listening::finish`].
    pub fn terminate(self) -> Finished {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.finish()
    }

    fn drain(&mut self) -> (Vec<String>, Vec<String>) {
        let mut stdout = Vec::new();
        while let Ok(line) = self.stdout.recv_timeout(Duration::from_secs(2)) {
            stdout.push(line);
        }
        let mut stderr = std::mem::take(&mut self.stderr_lines);
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_secs(2)) {
            stderr.push(line);
        }
        (stdout, stderr)
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a test body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length`.
    Length,
    /// `Transfer-Encoding: chunked`, in 64 KiB chunks.
    Chunked,
}

/// Sends one request to `url` (`http://host:port/path`) and returns the status and body of the
/// answer. The body is written from another thread, so an early answer (413) is read even if
/// the server stops reading.
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    framing: Framing,
) -> (u16, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let stream = TcpStream::connect(authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\n");
    for (name, value) in headers {
        write!(head, "{name}: {value}\r\n").unwrap();
    }
    match framing {
        Framing::Length => write!(head, "content-length: {}\r\n\r\n", body.len()).unwrap(),
        Framing::Chunked => head.push_str("transfer-encoding: chunked\r\n\r\n"),
    }
    let mut writer = stream.try_clone().unwrap();
    let body = body.to_vec();
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(head.as_bytes());
        match framing {
            Framing::Length => {
                let _ = writer.write_all(&body);
            }
            Framing::Chunked => {
                for chunk in body.chunks(64 * 1024) {
                    if writer
                        .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                        .and_then(|()| writer.write_all(chunk))
                        .and_then(|()| writer.write_all(b"\r\n"))
                        .is_err()
                    {
                        return;
                    }
                }
                let _ = writer.write_all(b"0\r\n\r\n");
            }
        }
    });
    let mut answer = Vec::new();
    let mut reader = stream;
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            // A reset after the answer arrived (the server closed with our body unread).
            Err(_) if !answer.is_empty() => break,
            Err(e) => panic!("no answer from {url}: {e}"),
        }
    }
    let _ = sender.join();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// POSTs `body` with `headers` (`Content-Length` framing) and returns the status.
pub fn post(url: &str, headers: &[(&str, &str)], body: &[u8]) -> u16 {
    request("POST", url, headers, body, Framing::Length).0
}

/// POSTs `body` signed with `secret` under `Heygen-Signature`, with a fresh `Heygen-Timestamp`
/// and, when given, `Heygen-Event-Id`; returns the status.
pub fn post_signed(url: &str, body: &[u8], secret: &str, event_id: Option<&str>) -> u16 {
    let sig = signature(body, secret);
    let now = unix_now().to_string();
    let mut headers = vec![
        ("content-type", "application/json"),
        ("heygen-signature", sig.as_str()),
        ("heygen-timestamp", now.as_str()),
    ];
    if let Some(id) = event_id {
        headers.push(("heygen-event-id", id));
    }
    post(url, &headers, body)
}

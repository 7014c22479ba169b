//! Upload benchmarks against the emulator (issue "Files in, bounded memory"): peak RSS above
//! idle for direct upload and multipart, throughput of the SDK's direct upload as a ratio to a
//! raw `PUT` of the same file with the same HTTP crate, and bytes allocated per byte for inline
//! base64.
//!
//! Each upload runs in a fresh child process (`heygen-bench upload-child VARIANT BASE FILE`)
//! that measures its idle RSS after building its client, resets the peak
//! (`/proc/self/clear_refs`), uploads, and reports `VmHWM`. Variants are interleaved by round.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Command;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt as _, Full, StreamBody};
use hyper::body::Frame;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde_json::json;

use crate::fixtures::API_KEY;
use crate::report::{Report, bytes};
use crate::runner::median;
use crate::{rss, sdk_upload};

/// The largest multipart file (32 MB, the API's limit).
pub(crate) const MULTIPART_BYTES: u64 = 32_000_000;

/// Size of the inline-base64 file (below the SDKs' default inline threshold), in bytes.
pub(crate) const INLINE_BYTES: u64 = 2 * 1024 * 1024;

/// Bytes read from the file per chunk by the raw hyper-util baselines.
const CHUNK: usize = 64 * 1024;

/// Peak-RSS target above idle, in MiB.
const PEAK_TARGET_MIB: f64 = 32.0;

/// One upload variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// Raw ureq: create, `PUT` streamed from the file, complete (no checksum).
    RawUreq,
    /// Raw hyper-util: the same flow.
    RawHyper,
    /// Raw ureq, hashing the bytes with SHA-256 while streaming (as the SDK must) and sending
    /// the checksum on completion: the like-for-like baseline of `heygen-blocking`.
    RawUreqSha256,
    /// Raw hyper-util, hashing each chunk with SHA-256 as it is read and sending the checksum
    /// on completion: the like-for-like baseline of `heygen-async`.
    RawHyperSha256,
    /// `heygen-blocking` direct upload.
    SdkBlockingDirect,
    /// `heygen-async` direct upload.
    SdkAsyncDirect,
    /// `heygen-blocking` multipart upload.
    SdkBlockingMultipart,
    /// `heygen-async` multipart upload.
    SdkAsyncMultipart,
}

impl Kind {
    const ALL: [Self; 8] = [
        Self::RawUreq,
        Self::RawUreqSha256,
        Self::SdkBlockingDirect,
        Self::RawHyper,
        Self::RawHyperSha256,
        Self::SdkAsyncDirect,
        Self::SdkBlockingMultipart,
        Self::SdkAsyncMultipart,
    ];

    fn arg(self) -> &'static str {
        match self {
            Self::RawUreq => "raw-ureq",
            Self::RawHyper => "raw-hyper",
            Self::RawUreqSha256 => "raw-ureq-sha256",
            Self::RawHyperSha256 => "raw-hyper-sha256",
            Self::SdkBlockingDirect => "sdk-blocking-direct",
            Self::SdkAsyncDirect => "sdk-async-direct",
            Self::SdkBlockingMultipart => "sdk-blocking-multipart",
            Self::SdkAsyncMultipart => "sdk-async-multipart",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::RawUreq => "raw ureq PUT (create, PUT, complete)",
            Self::RawHyper => "raw hyper-util PUT (create, PUT, complete)",
            Self::RawUreqSha256 => "raw ureq PUT + SHA-256 while streaming",
            Self::RawHyperSha256 => "raw hyper-util PUT + SHA-256 while streaming",
            Self::SdkBlockingDirect => "heygen-blocking direct upload",
            Self::SdkAsyncDirect => "heygen-async direct upload",
            Self::SdkBlockingMultipart => "heygen-blocking multipart",
            Self::SdkAsyncMultipart => "heygen-async multipart",
        }
    }

    fn from_arg(arg: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.arg() == arg)
    }

    fn multipart(self) -> bool {
        matches!(self, Self::SdkBlockingMultipart | Self::SdkAsyncMultipart)
    }

    fn raw(self) -> bool {
        matches!(
            self,
            Self::RawUreq | Self::RawUreqSha256 | Self::RawHyper | Self::RawHyperSha256
        )
    }
}

/// What one child reported.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Outcome {
    /// RSS after building the client, before the upload, in bytes.
    pub(crate) idle: u64,
    /// Peak RSS during the upload, in bytes.
    pub(crate) peak: u64,
    /// Wall time of the whole flow, in seconds.
    pub(crate) seconds: f64,
    /// File size, in bytes.
    pub(crate) bytes: u64,
}

impl Outcome {
    fn line(&self) -> String {
        format!(
            "result idle={} peak={} seconds={} bytes={}",
            self.idle, self.peak, self.seconds, self.bytes
        )
    }

    /// Parses [`Outcome::line`].
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let line = text.lines().find(|l| l.starts_with("result "))?;
        let mut idle = None;
        let mut peak = None;
        let mut seconds = None;
        let mut size = None;
        for word in line.split_whitespace().skip(1) {
            let (key, value) = word.split_once('=')?;
            match key {
                "idle" => idle = value.parse().ok(),
                "peak" => peak = value.parse().ok(),
                "seconds" => seconds = value.parse().ok(),
                "bytes" => size = value.parse().ok(),
                _ => {}
            }
        }
        Some(Self {
            idle: idle?,
            peak: peak?,
            seconds: seconds?,
            bytes: size?,
        })
    }

    /// Peak above idle, in bytes.
    pub(crate) fn above_idle(&self) -> u64 {
        self.peak.saturating_sub(self.idle)
    }
}

/// Writes `size` bytes to `path` (unless a file of that size is there): an MP4 `ftyp` box or a
/// PNG signature, then pseudo-random bytes (xorshift), so sniffing sees the right media type
/// and nothing compresses.
///
/// # Errors
/// I/O errors.
pub(crate) fn generate(path: &Path, size: u64, png: bool) -> Result<(), String> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == size) {
        return Ok(());
    }
    let io = |e: std::io::Error| format!("{}: {e}", path.display());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).map_err(io)?);
    let head: &[u8] = if png {
        &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]
    } else {
        b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"
    };
    out.write_all(head).map_err(io)?;
    let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ size;
    let mut written = head.len() as u64;
    let mut chunk = vec![0u8; 1 << 20];
    while written < size {
        for word in chunk.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        #[allow(clippy::cast_possible_truncation, reason = "at most the chunk length")]
        let take = (size - written).min(chunk.len() as u64) as usize;
        out.write_all(&chunk[..take]).map_err(io)?;
        written += take as u64;
    }
    out.flush().map_err(io)
}

#[derive(Deserialize)]
struct Created {
    data: CreatedData,
}

#[derive(Deserialize)]
struct CreatedData {
    asset_id: String,
    upload_url: String,
    #[serde(default)]
    upload_headers: serde_json::Map<String, serde_json::Value>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn create_body(path: &Path, size: u64) -> Vec<u8> {
    let name = path
        .file_name()
        .map_or_else(|| "upload.mp4".into(), |n| n.to_string_lossy());
    serde_json::to_vec(&json!({
        "filename": name,
        "content_type": "video/mp4",
        "size_bytes": size,
    }))
    .unwrap_or_default()
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: sha2::Sha256,
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        Ok(n)
    }
}

/// Lower-case hex digits of `digest`.
fn hex(digest: &[u8]) -> String {
    digest.iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// The body of the complete call carrying a checksum.
fn checksum_body(hex: &str) -> Result<Vec<u8>, String> {
    serde_json::to_vec(&json!({ "checksum_sha256": hex })).map_err(err)
}

/// The raw ureq flow; with `hash`, the bytes go through SHA-256 on the way out and the checksum
/// is sent on completion.
fn raw_ureq(base: &str, path: &Path, size: u64, hash: bool) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(true)
        .build()
        .into();
    let mut response = agent
        .post(format!("{base}/v3/assets/direct-uploads"))
        .header("x-api-key", API_KEY)
        .header("content-type", "application/json")
        .send(&create_body(path, size)[..])
        .map_err(err)?;
    let created: Created =
        serde_json::from_slice(&response.body_mut().read_to_vec().map_err(err)?).map_err(err)?;
    let mut file = Hashing {
        inner: File::open(path).map_err(err)?,
        hasher: sha2::Digest::new(),
    };
    let mut put = agent
        .put(&created.data.upload_url)
        .header("content-length", size.to_string());
    for (name, value) in &created.data.upload_headers {
        if let Some(value) = value.as_str() {
            put = put.header(name.as_str(), value);
        }
    }
    let complete = if hash {
        put.send(ureq::SendBody::from_reader(&mut file))
            .map_err(err)?;
        checksum_body(&hex(sha2::Digest::finalize(file.hasher).as_slice()))?
    } else {
        put.send(ureq::SendBody::from_reader(&mut file.inner))
            .map_err(err)?;
        b"{}".to_vec()
    };
    agent
        .post(format!(
            "{base}/v3/assets/{}/complete",
            created.data.asset_id
        ))
        .header("x-api-key", API_KEY)
        .header("content-type", "application/json")
        .send(&complete[..])
        .map_err(err)?;
    Ok(())
}

type Body = UnsyncBoxBody<Bytes, std::io::Error>;

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

async fn send(
    client: &Client<HttpConnector, Body>,
    request: http::Request<Body>,
) -> Result<Bytes, String> {
    let response = client.request(request).await.map_err(err)?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(err)?
        .to_bytes();
    if status.is_success() {
        Ok(body)
    } else {
        Err(format!(
            "status {status}: {}",
            String::from_utf8_lossy(&body)
        ))
    }
}

/// The raw hyper-util flow, the file streamed in 64 KiB chunks; with `hash`, each chunk goes
/// through SHA-256 as it is read, the digest is taken at the last byte of the file (hyper stops
/// polling the body once it has `Content-Length` bytes) and sent on completion.
async fn raw_hyper(base: &str, path: &Path, size: u64, hash: bool) -> Result<(), String> {
    let client: Client<HttpConnector, Body> = Client::builder(TokioExecutor::new()).build_http();
    let request = http::Request::post(format!("{base}/v3/assets/direct-uploads"))
        .header("x-api-key", API_KEY)
        .header("content-type", "application/json")
        .body(full(create_body(path, size)))
        .map_err(err)?;
    let created: Created = serde_json::from_slice(&send(&client, request).await?).map_err(err)?;
    let file = tokio::fs::File::open(path).await.map_err(err)?;
    let (digest_tx, digest_rx) = std::sync::mpsc::sync_channel::<String>(1);
    let hasher = hash.then(<sha2::Sha256 as sha2::Digest>::new);
    let stream = futures_util::stream::unfold(
        (file, hasher, 0_u64, digest_tx),
        move |(mut file, mut hasher, mut read, digest_tx)| async move {
            let mut buf = vec![0u8; CHUNK];
            match tokio::io::AsyncReadExt::read(&mut file, &mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    read += n as u64;
                    if let Some(h) = &mut hasher {
                        sha2::Digest::update(h, &buf);
                    }
                    if read == size
                        && let Some(h) = hasher.take()
                    {
                        let _ = digest_tx.send(hex(sha2::Digest::finalize(h).as_slice()));
                    }
                    Some((
                        Ok(Frame::data(Bytes::from(buf))),
                        (file, hasher, read, digest_tx),
                    ))
                }
                Err(e) => Some((Err(e), (file, hasher, read, digest_tx))),
            }
        },
    );
    let body: Pin<Box<dyn futures_util::Stream<Item = _> + Send>> = Box::pin(stream);
    let mut put = http::Request::put(created.data.upload_url.as_str())
        .header("content-length", size.to_string());
    for (name, value) in &created.data.upload_headers {
        if let Some(value) = value.as_str() {
            put = put.header(name.as_str(), value);
        }
    }
    send(
        &client,
        put.body(StreamBody::new(body).boxed_unsync())
            .map_err(err)?,
    )
    .await?;
    let complete = if hash {
        let digest = digest_rx
            .try_recv()
            .map_err(|_| "the PUT ended before the last byte was hashed".to_owned())?;
        checksum_body(&digest)?
    } else {
        b"{}".to_vec()
    };
    let complete = http::Request::post(format!(
        "{base}/v3/assets/{}/complete",
        created.data.asset_id
    ))
    .header("x-api-key", API_KEY)
    .header("content-type", "application/json")
    .body(full(complete))
    .map_err(err)?;
    send(&client, complete).await?;
    Ok(())
}

/// The `upload-child VARIANT BASE FILE` mode: one upload, then the `result` line.
///
/// # Errors
/// Bad arguments or a failed upload.
pub(crate) fn child_main(args: &[String]) -> Result<(), String> {
    let [kind, base, path] = args else {
        return Err("usage: heygen-bench upload-child VARIANT BASE_URL FILE".to_owned());
    };
    let kind = Kind::from_arg(kind).ok_or_else(|| format!("unknown variant {kind}"))?;
    let path = PathBuf::from(path);
    let size = std::fs::metadata(&path).map_err(err)?.len();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(err)?;
    let blocking = sdk_upload::blocking_client(base);
    let asynchronous = rt.block_on(async { sdk_upload::async_client(base) });
    // Touch the file's metadata and warm the allocator before taking the idle figure.
    let idle = rss::current_bytes().unwrap_or(0);
    rss::reset_peak();
    let started = Instant::now();
    match kind {
        Kind::RawUreq => raw_ureq(base, &path, size, false)?,
        Kind::RawUreqSha256 => raw_ureq(base, &path, size, true)?,
        Kind::RawHyper => rt.block_on(raw_hyper(base, &path, size, false))?,
        Kind::RawHyperSha256 => rt.block_on(raw_hyper(base, &path, size, true))?,
        Kind::SdkBlockingDirect => sdk_upload::blocking_direct(&blocking?, &path)?,
        Kind::SdkBlockingMultipart => sdk_upload::blocking_multipart(&blocking?, &path)?,
        Kind::SdkAsyncDirect => {
            let client = asynchronous?;
            rt.block_on(sdk_upload::async_direct(&client, &path))?;
        }
        Kind::SdkAsyncMultipart => {
            let client = asynchronous?;
            rt.block_on(sdk_upload::async_multipart(&client, &path))?;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak = rss::peak_bytes().unwrap_or(0);
    let outcome = Outcome {
        idle,
        peak,
        seconds,
        bytes: size,
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", outcome.line()).map_err(err)?;
    Ok(())
}

fn run_child(kind: Kind, base: &str, path: &Path) -> Result<Outcome, String> {
    let exe = std::env::current_exe().map_err(err)?;
    let output = Command::new(exe)
        .arg("upload-child")
        .arg(kind.arg())
        .arg(base)
        .arg(path)
        .output()
        .map_err(err)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr)
            .trim()
            .replace('\n', " "));
    }
    Outcome::parse(&stdout).ok_or_else(|| format!("no result line in {stdout:?}"))
}

#[allow(clippy::cast_precision_loss, reason = "display only")]
fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Runs the upload benchmarks with a `mib` MiB direct-upload file, generated (with the
/// multipart one) in `dir`.
///
/// # Errors
/// When a test file cannot be written.
#[allow(clippy::too_many_lines, reason = "one table and its targets")]
pub(crate) fn run(
    base: &str,
    dir: &Path,
    mib_size: u64,
    quick: bool,
    report: &mut Report,
) -> Result<(), String> {
    let big = dir.join(format!("upload-{mib_size}MiB.mp4"));
    let multipart = dir.join("upload-32MB.mp4");
    let started = Instant::now();
    generate(&big, mib_size * 1024 * 1024, false)?;
    generate(&multipart, MULTIPART_BYTES, false)?;
    eprintln!("upload files ready in {:.1?}", started.elapsed());

    let rounds = if quick { 3 } else { 5 };
    let mut results: Vec<(Kind, Vec<Outcome>, Option<String>)> =
        Kind::ALL.iter().map(|k| (*k, Vec::new(), None)).collect();
    for round in 0..rounds {
        for (kind, outcomes, error) in &mut results {
            if error.is_some() {
                continue;
            }
            let file = if kind.multipart() { &multipart } else { &big };
            match run_child(*kind, base, file) {
                Ok(o) => outcomes.push(o),
                Err(e) => *error = Some(e),
            }
        }
        eprintln!(
            "upload round {} done in {:.1?}",
            round + 1,
            started.elapsed()
        );
    }

    let mut out = format!(
        "## Uploads (against the emulator, each upload in a fresh process)\n\n\
         Direct upload: a generated {mib_size} MiB MP4-headed file; multipart: 32 MB (the API's \
         limit for `POST /v3/assets`). {rounds} rounds, variants interleaved. Peak RSS above idle \
         = `VmHWM` during the upload (after resetting it through `/proc/self/clear_refs`) minus \
         `VmRSS` after building the client; the largest of the rounds is shown.\n\n\
         | variant | file | median s | MiB/s (median) | peak RSS above idle (max) | idle RSS |\n\
         |---|---:|---:|---:|---:|---:|\n"
    );
    let mut medians = std::collections::HashMap::new();
    for (kind, outcomes, error) in &results {
        if let Some(e) = error {
            let _ = writeln!(
                out,
                "| {} | | failed: {} | | | |",
                kind.label(),
                e.replace('|', "/")
            );
            continue;
        }
        let mut seconds: Vec<f64> = outcomes.iter().map(|o| o.seconds).collect();
        seconds.sort_by(f64::total_cmp);
        let med = median(&seconds);
        let size = outcomes.first().map_or(0, |o| o.bytes);
        let peak = outcomes.iter().map(Outcome::above_idle).max().unwrap_or(0);
        let idle = outcomes.iter().map(|o| o.idle).max().unwrap_or(0);
        medians.insert(*kind, med);
        let _ = writeln!(
            out,
            "| {} | {} | {:.3} | {:.0} | {} | {} |",
            kind.label(),
            bytes(size),
            med,
            mib(size) / med,
            bytes(peak),
            bytes(idle)
        );
        if !kind.raw() {
            report.max_target(
                format!("upload: {} peak RSS above idle", kind.label()),
                outcomes.iter().map(Outcome::above_idle).max().map(mib),
                PEAK_TARGET_MIB,
                "MiB",
            );
        }
    }
    out.push('\n');
    let ratio = |sdk: Kind, raw: Kind| match (medians.get(&sdk), medians.get(&raw)) {
        (Some(s), Some(r)) => Some(r / s),
        _ => None,
    };
    let shown = |r: Option<f64>| r.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.3}"));
    for (hashed, plain) in [
        (Kind::RawUreqSha256, Kind::RawUreq),
        (Kind::RawHyperSha256, Kind::RawHyper),
    ] {
        let _ = writeln!(
            out,
            "- {} / {}: **{}** × throughput (the cost of hashing alone)",
            hashed.label(),
            plain.label(),
            shown(ratio(hashed, plain))
        );
    }
    // Like for like first (both sides hash, as the checksum contract requires), then against a
    // raw `PUT` that skips the hash.
    for (sdk, raw) in [
        (Kind::SdkBlockingDirect, Kind::RawUreqSha256),
        (Kind::SdkAsyncDirect, Kind::RawHyperSha256),
        (Kind::SdkBlockingDirect, Kind::RawUreq),
        (Kind::SdkAsyncDirect, Kind::RawHyper),
    ] {
        let r = ratio(sdk, raw);
        let _ = writeln!(
            out,
            "- {} / {}: **{}** × throughput",
            sdk.label(),
            raw.label(),
            shown(r)
        );
        report.ratio_target(
            format!("upload throughput: {} / {}", sdk.label(), raw.label()),
            r,
            0.9,
        );
    }
    out.push('\n');
    report.push(&out);

    inline_base64(base, dir, report)
}

/// Inline base64: bytes allocated during `create_avatar_from_file` with a file below the inline
/// threshold, per byte of its base64 encoding, counted in this process.
fn inline_base64(base: &str, dir: &Path, report: &mut Report) -> Result<(), String> {
    let png = dir.join("inline-2MiB.png");
    generate(&png, INLINE_BYTES, true)?;
    let encoded = INLINE_BYTES.div_ceil(3) * 4;
    let mut out = format!(
        "### Inline base64 (`create_avatar_from_file`, photo, {} PNG-headed file, {} encoded)\n\n\
         Bytes allocated in the client process during the whole call (read, encode, request, \
         response), per byte of the base64 text. One copy of the encoded body is 1.0; the target \
         is ≤ 1.5.\n\n| client | bytes allocated | per encoded byte | allocations |\n|---|---:|---:|---:|\n",
        bytes(INLINE_BYTES),
        bytes(encoded)
    );
    for (label, measured) in sdk_upload::inline_allocations(base, &png) {
        match measured {
            Ok(delta) => {
                #[allow(clippy::cast_precision_loss, reason = "display only")]
                let per = delta.bytes as f64 / encoded as f64;
                let _ = writeln!(
                    out,
                    "| {label} | {} | {per:.2} | {} |",
                    bytes(delta.bytes),
                    delta.allocations
                );
                report.max_target(
                    format!("inline base64: {label} bytes allocated per encoded byte"),
                    Some(per),
                    1.5,
                    "×",
                );
            }
            Err(e) => {
                let _ = writeln!(out, "| {label} | failed: {} | | |", e.replace('|', "/"));
                report.max_target(
                    format!("inline base64: {label} bytes allocated per encoded byte"),
                    None,
                    1.5,
                    "×",
                );
            }
        }
    }
    out.push('\n');
    report.push(&out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_round_trips() {
        let o = Outcome {
            idle: 10,
            peak: 25,
            seconds: 1.5,
            bytes: 99,
        };
        assert_eq!(Outcome::parse(&format!("noise\n{}\n", o.line())), Some(o));
        assert_eq!(o.above_idle(), 15);
        assert_eq!(Outcome::parse("result idle=1"), None);
    }

    #[test]
    fn generated_files_have_the_size_and_magic() {
        let dir = std::env::temp_dir().join(format!("heygen-bench-{}", std::process::id()));
        let mp4 = dir.join("a.mp4");
        generate(&mp4, 3 * 1024 * 1024 + 5, false).unwrap();
        let bytes = std::fs::read(&mp4).unwrap();
        assert_eq!(bytes.len(), 3 * 1024 * 1024 + 5);
        assert_eq!(&bytes[4..8], b"ftyp");
        let png = dir.join("a.png");
        generate(&png, 100, true).unwrap();
        assert!(
            std::fs::read(&png)
                .unwrap()
                .starts_with(&[0x89, b'P', b'N', b'G'])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn variants_parse() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_arg(kind.arg()), Some(kind));
        }
        assert_eq!(Kind::from_arg("nope"), None);
    }
}

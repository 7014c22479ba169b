//! Downloading a rendered video: [`Download`] reads the video (`GET /v3/videos/{video_id}`,
//! optionally after a [`Wait`]), then fetches its presigned `video_url` (or
//! `captioned_video_url`) from the file origin, and the client streams the body into the
//! caller's sink ([`Next::Receive`]).
//!
//! Every decision is here, none in the clients:
//! - a video answered under another id is [`DownloadFailure::OtherVideo`]; a `failed` or
//!   `error` video is [`Error::JobFailed`] (its failure code and message, as a wait gives);
//!   any other video that is not `completed` is [`DownloadFailure::NotCompleted`]; all before
//!   any request to the file origin;
//! - the file request carries no API key, no bearer token, no `User-Agent` and no idempotency
//!   key: only the URL, byte for byte (it must be `https`, or `http` to a loopback host, else
//!   [`DownloadFailure::UnsafeUrl`]);
//! - a `403` (the link expired) re-reads the video once and tries again with the fresh link;
//!   a `500`, `502`, `503` or `504`, a connection that failed and a body that failed before its
//!   first byte are tried again with the configured retry policy (nothing was written to the
//!   sink yet); any other status, or a second `403`, is [`DownloadFailure::Refused`] with the
//!   URL's query hidden;
//! - a 2xx whose `Content-Type` is a document (`text/*`, `application/xml`, any `+json`, …: a
//!   storage error page, [`error_page_type`]) is refused at its head, before any byte reaches
//!   the sink, as [`DownloadFailure::NotMedia`];
//! - the response head must come within the read timeout ([`TimeoutClass::Read`]); after it,
//!   the same duration is the longest the body may go without a byte ([`SendOptions::idle`]):
//!   a stalled body is [`DownloadFailure::Interrupted`] with a timeout kind and the bytes
//!   received, and a slow but live one is never cut;
//! - the body goes through a [`ReceiveTap`], which counts it and refuses a body shorter or
//!   longer than its `Content-Length`.
//!
//! A client writing to a path plans it with [`plan_path`] (before any request): the hidden
//! temporary file it writes (beside the final path, unique per run), renamed only after the
//! workflow succeeded, to the path or, for a directory, to [`default_file_name`] inside it.

use core::convert::Infallible;
use core::fmt;
use core::fmt::Write as _;
use core::time::Duration;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{Method, Request, Response, StatusCode};

use crate::body::{Body, Progress};
use crate::call::Call;
use crate::config::{Config, TimeoutClass, is_loopback_host};
use crate::error::JobFailed;
use crate::error::{DownloadFailed, DownloadFailure, Error, TransportErrorKind};
use crate::ops::GetVideo;
use crate::poll::{Observation, Pollable, Wait};
use crate::response::ResponseLimits;
use crate::retry::backoff;
use crate::transport::{SendOptions, TransportError};
use crate::workflow::{Cx, Event, Next, Outgoing, Workflow, delegate, over};
use heygen_model::secret::PresignedUrl;
use heygen_model::{Video, VideoId, VideoStatus};

/// How to download: which file, whether to wait for the render first, and where to report
/// progress.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct DownloadOptions {
    /// Download `captioned_video_url` instead of `video_url`.
    pub captioned: bool,
    /// Wait for the video to finish rendering first ([`Wait::video`], with the configured
    /// poll policy) instead of failing on a video that is not completed.
    pub wait: bool,
    /// Called with (bytes written so far, total bytes from `Content-Length`, or 0 when the
    /// origin sent none) as the body arrives.
    pub progress: Option<Progress>,
}

impl fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadOptions")
            .field("captioned", &self.captioned)
            .field("wait", &self.wait)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl DownloadOptions {
    /// The plain video, no wait, no progress.
    pub fn new() -> Self {
        Self::default()
    }

    /// Downloads the captioned file (`captioned_video_url`) when `captioned` is true.
    #[must_use]
    pub fn captioned(mut self, captioned: bool) -> Self {
        self.captioned = captioned;
        self
    }

    /// Waits for the render to finish first when `wait` is true.
    #[must_use]
    pub fn wait(mut self, wait: bool) -> Self {
        self.wait = wait;
        self
    }

    /// Reports progress: (bytes written, total bytes or 0).
    #[must_use]
    pub fn progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(std::sync::Arc::new(progress));
        self
    }
}

/// What a download ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded {
    /// The video.
    pub video_id: VideoId,
    /// Bytes written to the sink.
    pub bytes: u64,
    /// The file's `Content-Type`, when the origin sent one (`video/mp4`, `video/webm`).
    pub content_type: Option<String>,
    /// The name the file gets when the caller names none ([`default_file_name`]).
    pub file_name: String,
    /// Where the file is, for a download to a path; `None` for a download into a writer.
    pub path: Option<PathBuf>,
}

/// What a client's [`ReceiveTap`] counted for a body streamed to the end.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// Bytes written to the sink.
    pub bytes: u64,
    /// The response's `Content-Type`, if any.
    pub content_type: Option<String>,
}

/// A request whose 2xx body the client streams into the caller's sink ([`Next::Receive`]).
#[derive(Clone)]
#[non_exhaustive]
pub struct Receive {
    /// The request and its limits (the read limit applies to a body that is not streamed:
    /// an error page).
    pub outgoing: Outgoing,
    video_id: String,
    file_name: String,
    progress: Option<Progress>,
}

impl fmt::Debug for Receive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receive")
            .field("method", self.outgoing.request.method())
            .field(
                "url",
                &PresignedUrl::new(self.outgoing.request.uri().to_string()),
            )
            .field("video_id", &self.video_id)
            .finish_non_exhaustive()
    }
}

impl Receive {
    /// The tap for a response head: `Some` for a 2xx carrying media (stream the body through
    /// it into the sink, then report [`Event::Received`]), `None` for any other status or for a
    /// 2xx whose `Content-Type` is a page rather than media ([`error_page_type`]): read the body
    /// within the read limit, never into the sink, and report [`Event::Response`].
    pub fn tap<B>(&self, head: &Response<B>) -> Option<ReceiveTap> {
        if !head.status().is_success() || error_page_type(head).is_some() {
            return None;
        }
        let header = |name| {
            head.headers()
                .get(name)
                .and_then(|v: &http::HeaderValue| v.to_str().ok())
        };
        Some(ReceiveTap {
            video_id: self.video_id.clone(),
            expected: header(CONTENT_LENGTH).and_then(|v| v.trim().parse().ok()),
            seen: 0,
            content_type: header(CONTENT_TYPE).map(str::to_owned),
            progress: self.progress.clone(),
        })
    }
}

/// The `Content-Type` of a file response when it names a document rather than media (`text/*`,
/// `application/xml`, `application/json`, any `+xml` or `+json` type such as
/// `application/problem+json`): a storage or proxy error page sent with a 2xx status. `None`
/// when the header is absent or names anything else (`video/*`, `audio/*`,
/// `application/octet-stream`, `binary/octet-stream`, …). At most 128 characters are kept.
pub fn error_page_type<B>(head: &Response<B>) -> Option<String> {
    let value = head.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let page = essence.starts_with("text/")
        || matches!(essence.as_str(), "application/xml" | "application/json")
        || essence.ends_with("+xml")
        || essence.ends_with("+json");
    page.then(|| value.trim().chars().take(128).collect())
}

/// Counts the bytes of a streamed response body as the client writes them to the sink, reports
/// progress, and refuses a body longer or shorter than its `Content-Length`.
///
/// The client's part: pass every chunk to [`ReceiveTap::chunk`] before writing it (a refused
/// chunk is not written), then call [`ReceiveTap::finish`] at the end of the body. A body
/// failure is [`ReceiveTap::interrupted`], a sink failure [`ReceiveTap::write_failed`].
pub struct ReceiveTap {
    video_id: String,
    expected: Option<u64>,
    seen: u64,
    content_type: Option<String>,
    progress: Option<Progress>,
}

impl fmt::Debug for ReceiveTap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiveTap")
            .field("expected", &self.expected)
            .field("seen", &self.seen)
            .finish_non_exhaustive()
    }
}

impl ReceiveTap {
    /// Bytes received so far.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// The announced length (`Content-Length`), in bytes.
    pub fn expected(&self) -> Option<u64> {
        self.expected
    }

    /// The error for a body that sent no byte for the idle limit ([`SendOptions::idle`]): a
    /// timeout after the bytes received so far.
    pub fn stalled(&self) -> Error {
        failure(
            &self.video_id,
            DownloadFailure::Interrupted {
                received: self.seen,
                kind: TransportErrorKind::Timeout,
            },
        )
    }

    /// Records the next chunk of the body.
    ///
    /// # Errors
    /// [`DownloadFailure::WrongLength`] when the body goes past its `Content-Length`.
    pub fn chunk(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let seen = self.seen.saturating_add(chunk.len() as u64);
        if let Some(expected) = self.expected
            && seen > expected
        {
            return Err(failure(
                &self.video_id,
                DownloadFailure::WrongLength {
                    expected,
                    received: seen,
                },
            ));
        }
        self.seen = seen;
        if !chunk.is_empty()
            && let Some(progress) = &self.progress
        {
            progress(seen, self.expected.unwrap_or(0));
        }
        Ok(())
    }

    /// Ends the body: what was received.
    ///
    /// # Errors
    /// [`DownloadFailure::WrongLength`] when fewer bytes than the `Content-Length` came.
    pub fn finish(&mut self) -> Result<Received, Error> {
        if let Some(expected) = self.expected
            && self.seen != expected
        {
            return Err(failure(
                &self.video_id,
                DownloadFailure::WrongLength {
                    expected,
                    received: self.seen,
                },
            ));
        }
        Ok(Received {
            bytes: self.seen,
            content_type: self.content_type.clone(),
        })
    }

    /// The error for a body whose connection failed part way.
    pub fn interrupted(&self, error: &TransportError) -> Error {
        failure(
            &self.video_id,
            DownloadFailure::Interrupted {
                received: self.seen,
                kind: error.kind(),
            },
        )
    }

    /// The error for a sink (the caller's writer, the temporary file) that failed.
    pub fn write_failed(&self, error: &std::io::Error) -> Error {
        failure(
            &self.video_id,
            DownloadFailure::Write {
                received: self.seen,
                message: error.to_string(),
            },
        )
    }
}

fn failure(video_id: &str, reason: DownloadFailure) -> Error {
    Error::DownloadFailed(Box::new(DownloadFailed {
        video_id: video_id.to_owned(),
        reason,
    }))
}

/// The error for a download's file (the temporary file, its sync or rename) that failed outside
/// the streaming itself: [`DownloadFailure::Write`] with nothing received.
pub fn sink_failed(video_id: &VideoId, error: &std::io::Error) -> Error {
    failure(
        video_id.as_str(),
        DownloadFailure::Write {
            received: 0,
            message: error.to_string(),
        },
    )
}

/// The error for a [`Next::Receive`] in a run that was given no sink.
pub fn missing_sink() -> Error {
    Error::invalid_request(
        None,
        "this workflow downloads into a writer: run it with run_with_writer",
    )
}

/// The hidden temporary file a download to `path` writes first, in the same directory (so the
/// final rename stays on one file system): `.<file name>.<8 hex digits>.part`, the digits from
/// `entropy` so two downloads to one path do not share it.
pub fn temp_path(path: &Path, entropy: [u8; 16]) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "download".into(), |n| n.to_string_lossy().into_owned());
    let tag = entropy[..4].iter().fold(String::new(), |mut tag, b| {
        let _ = write!(tag, "{b:02x}");
        tag
    });
    path.with_file_name(format!(".{name}.{tag}.part"))
}

/// The file name a download of `video_id` gets when the caller names none or names a directory:
/// `<video_id>.mp4` (`<video_id>.captioned.mp4` for the captioned file), or `.webm` when the
/// link's path ends in `.webm` (a video rendered with `webm` output). The name comes from the
/// requested id (validated: letters, digits, `_` and `-`), never from the server's answer, so
/// it holds no path separator and no `..`.
pub fn default_file_name(video_id: &VideoId, video: &Video, captioned: bool) -> String {
    let url = if captioned {
        video.captioned_video_url.as_ref()
    } else {
        video.video_url.as_ref()
    };
    let path = url
        .and_then(|u| u.as_str().parse::<http::Uri>().ok())
        .map(|u| u.path().to_owned());
    let webm = path.is_some_and(|p| {
        Path::new(&p)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("webm"))
    });
    let ext = if webm { "webm" } else { "mp4" };
    let kind = if captioned { ".captioned" } else { "" };
    let name = format!("{}{kind}.{ext}", video_id.as_str());
    // A requested id is validated, but the name is a path: keep it one plain component.
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return format!("video{kind}.{ext}");
    }
    name
}

/// Where a download to a path writes ([`plan_path`]): the temporary file, and the final path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPlan {
    /// The hidden temporary file written first (see [`temp_path`]).
    pub temp: PathBuf,
    /// The path asked for.
    pub path: PathBuf,
    /// Whether `path` is a directory (the file goes inside it, under its default name).
    pub directory: bool,
    video_id: String,
}

impl PathPlan {
    /// Where the finished file goes: the path, or `<directory>/<default name>`.
    pub fn final_path(&self, done: &Downloaded) -> PathBuf {
        if self.directory {
            self.path.join(&done.file_name)
        } else {
            self.path.clone()
        }
    }

    /// A download error with the path asked for named in a [`DownloadFailure::Write`] message
    /// (a file that could not be written part way); any other error as it is.
    pub fn name_path(&self, mut error: Error) -> Error {
        if let Error::DownloadFailed(failed) = &mut error
            && let DownloadFailure::Write { message, .. } = &mut failed.reason
        {
            *message = format!("{}: {message}", self.path.display());
        }
        error
    }

    /// The error for a temporary or final file that could not be created, written, synced or
    /// renamed: [`DownloadFailure::Write`] naming the path asked for.
    pub fn file_failed(&self, error: &std::io::Error) -> Error {
        failure(
            &self.video_id,
            DownloadFailure::Write {
                received: 0,
                message: format!("{}: {error}", self.path.display()),
            },
        )
    }
}

/// Plans a download of `video_id` to `path` (`is_dir`: whether `path` is an existing
/// directory, which the client looked up): into that directory under [`default_file_name`],
/// else to `path` itself. The client creates [`PathPlan::temp`] before any request, so a
/// missing parent directory or a place it cannot write fails before anything is fetched.
///
/// # Errors
/// [`DownloadFailure::Write`] when `path` ends with a separator but is no directory.
pub fn plan_path(
    video_id: &VideoId,
    path: &Path,
    is_dir: bool,
    entropy: [u8; 16],
) -> Result<PathPlan, Error> {
    let text = path.as_os_str().to_string_lossy();
    let plan = |temp, directory| PathPlan {
        temp,
        path: path.to_owned(),
        directory,
        video_id: video_id.as_str().to_owned(),
    };
    if is_dir {
        return Ok(plan(
            temp_path(&path.join(video_id.as_str()), entropy),
            true,
        ));
    }
    if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        return Err(
            plan(PathBuf::new(), false).file_failed(&std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "not a directory",
            )),
        );
    }
    Ok(plan(temp_path(path, entropy), false))
}

/// Whether a file link may be fetched: `https` with a host, or `http` to a loopback host.
fn url_allowed(uri: &http::Uri) -> bool {
    match uri.scheme_str() {
        Some("https") => uri.host().is_some(),
        Some("http") => uri
            .host()
            .is_some_and(|h| is_loopback_host(h.trim_start_matches('[').trim_end_matches(']'))),
        _ => false,
    }
}

/// Where the download is.
enum Phase {
    /// Waiting for the render to finish.
    Wait(Box<Wait<GetVideo>>),
    /// Reading the video (the first read, or the refresh after a `403`).
    Read(Box<Call<GetVideo>>),
    /// Decide on the video just read.
    Video(Box<Video>),
    /// The file request is out.
    Fetch(PresignedUrl),
    /// Waiting before trying the file request again.
    Backoff(Duration, Box<Receive>, PresignedUrl),
    /// Send the file request (again).
    Retry(Box<Receive>, PresignedUrl),
    /// Over with this result, not handed out yet.
    Done(Result<Downloaded, Error>),
    /// Over and handed out.
    Over,
}

/// Downloads a rendered video into the sink a client runs it with (see the [module
/// docs](self)): `GET /v3/videos/{video_id}` (with its retries), then `GET` of the presigned
/// link, refreshed once on a `403`.
///
/// ```
/// use heygen_core::download::{Download, DownloadOptions};
/// use heygen_core::workflow::{Scripted, script};
/// use heygen_core::Config;
/// use heygen_model::VideoId;
///
/// let config = Config::builder().api_key("hg_example").build()?;
/// let video = r#"{"data":{"id":"vid_1","status":"completed",
///     "video_url":"https://files.example/vid_1.mp4?sig=abc"}}"#;
/// let mut answers = vec![
///     Scripted::json(200, video),
///     Scripted::file_body(200, &[("content-length", "4")], b"\0\0\0\x18"),
/// ]
/// .into_iter();
/// let id = VideoId::new("vid_1")?;
/// // The script is also shown the end; its answer to that is ignored.
/// let (result, steps) = script(Download::new(&id, DownloadOptions::new()), &config, |_, _| {
///     answers.next().unwrap_or_else(|| Scripted::json(200, "{}"))
/// });
/// assert_eq!(steps, ["send GET /v3/videos/vid_1", "receive GET /vid_1.mp4"]);
/// assert_eq!(result?.bytes, 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Download {
    video_id: VideoId,
    options: DownloadOptions,
    phase: Phase,
    refreshed: bool,
    started: bool,
    /// File requests sent for the current link.
    attempts: u32,
    /// When the first file request for the current link went out.
    fetch_started: Option<Duration>,
    /// The file request in flight, for a retry.
    receive: Option<Box<Receive>>,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("video_id", &self.video_id)
            .field("options", &self.options)
            .field("refreshed", &self.refreshed)
            .finish_non_exhaustive()
    }
}

impl Download {
    /// A download of `video_id` with `options`.
    pub fn new(video_id: &VideoId, options: DownloadOptions) -> Self {
        Self {
            video_id: video_id.clone(),
            options,
            phase: Phase::Over,
            refreshed: false,
            started: false,
            attempts: 0,
            fetch_started: None,
            receive: None,
        }
    }

    fn failure(&self, reason: DownloadFailure) -> Error {
        failure(self.video_id.as_str(), reason)
    }

    fn read(&self, cx: &Cx<'_>) -> Phase {
        match Call::new(GetVideo::new(self.video_id.clone()), cx.config, cx.entropy) {
            Ok(call) => Phase::Read(Box::new(call)),
            Err(error) => Phase::Done(Err(error)),
        }
    }

    /// The delay before trying the file request again, or `None` when the retry policy is
    /// spent (retries, or the time budget since the first file request).
    fn retry_delay(&self, cx: &Cx<'_>) -> Option<Duration> {
        let policy = cx.config.retry_policy();
        if self.attempts == 0 || self.attempts > policy.max_retries {
            return None;
        }
        let delay = backoff(self.attempts, policy, cx.jitter());
        let elapsed = cx.now.saturating_sub(self.fetch_started.unwrap_or(cx.now));
        match policy.max_elapsed {
            Some(budget) if elapsed.saturating_add(delay) > budget => None,
            _ => Some(delay),
        }
    }

    /// The file request for a video just read, or why there is none.
    fn fetch(&self, video: &Video, config: &Config) -> Result<(PresignedUrl, Receive), Error> {
        if video.id != self.video_id {
            return Err(self.failure(DownloadFailure::OtherVideo {
                id: video.id.as_str().chars().take(128).collect(),
            }));
        }
        if let Observation::Failed { code, message } = video.observe() {
            return Err(Error::JobFailed(Box::new(JobFailed {
                resource: Video::RESOURCE,
                id: self.video_id.as_str().to_owned(),
                code,
                message,
            })));
        }
        let completed = matches!(video.status, Some(VideoStatus::Completed));
        if !completed {
            return Err(self.failure(DownloadFailure::NotCompleted {
                status: video.status.as_ref().map(|s| s.as_str().to_owned()),
            }));
        }
        let url = if self.options.captioned {
            video.captioned_video_url.clone()
        } else {
            video.video_url.clone()
        };
        let url = url.ok_or_else(|| {
            self.failure(DownloadFailure::NoUrl {
                captioned: self.options.captioned,
            })
        })?;
        let unsafe_url = || {
            self.failure(DownloadFailure::UnsafeUrl {
                captioned: self.options.captioned,
            })
        };
        let uri: http::Uri = url.as_str().parse().map_err(|_| unsafe_url())?;
        if !url_allowed(&uri) {
            return Err(unsafe_url());
        }
        // No credential, no user agent, no idempotency key: the link is its own authorization.
        let request = Request::builder()
            .method(Method::GET)
            .uri(uri)
            .body(Body::Bytes(Bytes::new()))
            .map_err(|_| unsafe_url())?;
        let limits = ResponseLimits::from_config(config);
        // The head within the read timeout; then the same time without a byte at most.
        let read = config.timeout(TimeoutClass::Read);
        let receive = Receive {
            outgoing: Outgoing {
                request,
                options: SendOptions::new(read, config.connect_timeout(), limits.read_limit())
                    .with_idle(read),
            },
            video_id: self.video_id.as_str().to_owned(),
            file_name: default_file_name(&self.video_id, video, self.options.captioned),
            progress: self.options.progress.clone(),
        };
        Ok((url, receive))
    }
}

impl Workflow for Download {
    type Output = Downloaded;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Downloaded> {
        if !self.started {
            self.started = true;
            self.phase = if self.options.wait {
                Phase::Wait(Box::new(Wait::video(&self.video_id)))
            } else {
                self.read(cx)
            };
        }
        loop {
            match std::mem::replace(&mut self.phase, Phase::Over) {
                Phase::Wait(mut wait) => match delegate(&mut *wait, cx) {
                    Ok(next) => {
                        self.phase = Phase::Wait(wait);
                        return next;
                    }
                    Err(Ok(waited)) => self.phase = Phase::Video(Box::new(waited.into_inner())),
                    Err(Err(error)) => self.phase = Phase::Done(Err(error)),
                },
                Phase::Read(mut call) => match delegate(&mut *call, cx) {
                    Ok(next) => {
                        self.phase = Phase::Read(call);
                        return next;
                    }
                    Err(Ok(video)) => self.phase = Phase::Video(Box::new(video)),
                    Err(Err(error)) => self.phase = Phase::Done(Err(error)),
                },
                Phase::Video(video) => match self.fetch(&video, cx.config) {
                    Ok((url, receive)) => {
                        self.attempts = 0;
                        self.fetch_started = None;
                        self.phase = Phase::Retry(Box::new(receive), url);
                    }
                    Err(error) => self.phase = Phase::Done(Err(error)),
                },
                Phase::Backoff(delay, receive, url) => {
                    self.phase = Phase::Retry(receive, url);
                    return Next::Sleep(delay);
                }
                Phase::Retry(receive, url) => {
                    self.attempts = self.attempts.saturating_add(1);
                    self.fetch_started.get_or_insert(cx.now);
                    self.phase = Phase::Fetch(url);
                    let next = Next::Receive((*receive).clone());
                    self.receive = Some(receive);
                    return next;
                }
                Phase::Fetch(_) => {
                    // Asked again before the file request was answered: the client dropped it.
                    self.phase = Phase::Done(Err(self.failure(DownloadFailure::Interrupted {
                        received: 0,
                        kind: TransportErrorKind::Other,
                    })));
                }
                Phase::Done(result) => return Next::Done(result),
                Phase::Over => return Next::Done(Err(over())),
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        match &mut self.phase {
            Phase::Wait(wait) => return wait.handle(event, cx),
            Phase::Read(call) => return call.handle(event, cx),
            Phase::Fetch(_) => {}
            _ => return,
        }
        let Phase::Fetch(url) = std::mem::replace(&mut self.phase, Phase::Over) else {
            return;
        };
        // A 5xx, a failed connection or a body that failed before its first byte: nothing
        // reached the sink, so the request may go again.
        let transient = match &event {
            Event::Response { response, .. } => {
                matches!(response.status().as_u16(), 500 | 502 | 503 | 504)
            }
            Event::Failed(error) => matches!(
                error.kind(),
                TransportErrorKind::Connect
                    | TransportErrorKind::ConnectTimeout
                    | TransportErrorKind::Timeout
                    | TransportErrorKind::ConnectionReset
                    | TransportErrorKind::ClosedBeforeResponse
                    | TransportErrorKind::Io
            ),
            Event::Received {
                outcome: Err(Error::DownloadFailed(failed)),
                ..
            } => matches!(
                failed.reason,
                DownloadFailure::Interrupted { received: 0, .. }
            ),
            _ => false,
        };
        if transient
            && let Some(delay) = self.retry_delay(cx)
            && let Some(receive) = self.receive.take()
        {
            self.phase = Phase::Backoff(delay, receive, url);
            return;
        }
        self.phase = match event {
            Event::Received { outcome, .. } => Phase::Done(outcome.map(|received| {
                Downloaded {
                    video_id: self.video_id.clone(),
                    bytes: received.bytes,
                    content_type: received.content_type,
                    file_name: self
                        .receive
                        .as_ref()
                        .map_or_else(String::new, |r| r.file_name.clone()),
                    path: None,
                }
            })),
            // The link expired: read the video again for a fresh one, once.
            Event::Response { response, .. }
                if response.status() == StatusCode::FORBIDDEN && !self.refreshed =>
            {
                self.refreshed = true;
                self.read(cx)
            }
            Event::Response { response, .. } => {
                let status = response.status();
                // A 2xx error page (its tap was refused at the head): nothing reached the sink.
                let page = status
                    .is_success()
                    .then(|| error_page_type(&response))
                    .flatten();
                Phase::Done(Err(self.failure(match page {
                    Some(content_type) => DownloadFailure::NotMedia {
                        status,
                        content_type,
                    },
                    None => DownloadFailure::Refused { status, url },
                })))
            }
            Event::Failed(error) => Phase::Done(Err(self.failure(DownloadFailure::Interrupted {
                received: 0,
                kind: error.kind(),
            }))),
            Event::Error(error) => Phase::Done(Err(error)),
            Event::ReaderConsumed | Event::Inspected(_) => {
                Phase::Done(Err(self.failure(DownloadFailure::Interrupted {
                    received: 0,
                    kind: TransportErrorKind::Other,
                })))
            }
        };
    }
}

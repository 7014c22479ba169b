//! `heygen video download`: the core's download workflow through the chosen client, into a
//! file that appears only when complete.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use heygen_core::download::{DownloadOptions, Downloaded, plan_path};
use heygen_core::ops::GetVideo;
use heygen_core::{DownloadFailure, Error};
use heygen_model::VideoId;
use serde::Serialize;

use crate::backend::{Backend, Progress};
use crate::cli::parse_seconds;
use crate::commands::{Context, waited};
use crate::failure::{EXIT_TIMEOUT, Failure};
use crate::progress;
use crate::wait;

/// Arguments of `video download`.
#[derive(Debug, Args)]
pub(crate) struct DownloadArgs {
    /// Video id.
    pub(crate) video_id: String,
    /// Where to write the file (default `<video_id>.mp4`, `<video_id>.captioned.mp4` with
    /// `--captioned`, `.webm` for a WebM render); an existing directory gets the file inside it
    /// under that name. It appears only once the whole file arrived.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub(crate) output: Option<PathBuf>,
    /// Download the video with burned-in captions (`captioned_video_url`).
    #[arg(long)]
    pub(crate) captioned: bool,
    /// Wait for the render to finish first (polls `GET /v3/videos/{video_id}`).
    #[arg(long)]
    pub(crate) wait: bool,
    /// With `--wait`: give up after this many seconds (default 1800).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds, requires = "wait")]
    pub(crate) timeout: Option<f64>,
}

/// What `video download` prints.
#[derive(Debug, Serialize)]
pub(crate) struct DownloadOutput {
    /// The video.
    pub(crate) video_id: String,
    /// Where the file is.
    pub(crate) path: String,
    /// Its size, in bytes.
    pub(crate) bytes: u64,
    /// Its media type, as the file origin sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) content_type: Option<String>,
}

/// Runs `video download`.
///
/// # Errors
/// The failure to report: a video that is not completed, a refused or cut download (exit 1, no
/// file at the path), a wait that timed out.
pub(crate) fn run(ctx: &Context<'_>, args: DownloadArgs) -> Result<(), Failure> {
    let id = VideoId::new(&args.video_id)
        .map_err(|e| Failure::validation(Some("video_id"), e.to_string()))?;
    let keyed = |error: &Error| failure(error).with_id("video_id", id.as_str());
    // With --wait the core's wait runs first (with its spinner); the download reads the video
    // once more for its link. A wait that reaches its deadline prints the last state seen on
    // stdout, as `video create --wait` does.
    if args.wait {
        let policy = wait::policy(args.timeout, ctx.poll_interval);
        let outcome = wait::wait_for(
            ctx.backend,
            GetVideo::new(id.clone()),
            id.as_str(),
            policy,
            "rendering video",
        );
        waited(ctx.out, "video_id", id.as_str(), outcome)?;
    }
    // No --output: the current directory, where the SDK names the file from the id.
    let output = args.output;
    let target = output.clone().unwrap_or_else(|| PathBuf::from("."));
    // On SIGINT or SIGTERM the temporary file goes too (the SDK cannot clean up a killed
    // process).
    clean_up_on_signal(&id, &target);
    let (bar, progress) = progress::upload_bar("downloading", 0);
    let options = DownloadOptions::new().captioned(args.captioned);
    let result = to_path(ctx.backend, &id, &target, options, progress);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let done = result.map_err(|e| keyed(&e))?;
    let path = match (&output, &done.path) {
        (None, _) => PathBuf::from(&done.file_name),
        (Some(_), Some(path)) | (Some(path), None) => path.clone(),
    };
    ctx.out.data(&DownloadOutput {
        video_id: done.video_id.as_str().to_owned(),
        path: path.display().to_string(),
        bytes: done.bytes,
        content_type: done.content_type,
    })
}

/// Installs a SIGINT/SIGTERM hook (on a thread of its own, installed before this returns) that
/// removes the temporary files this run may have created for `target` (those the core's
/// [`plan_path`] names, created after now), prints `cli_interrupted` and exits 130. Without a
/// hook (it could not be installed), a signal kills the process as before.
fn clean_up_on_signal(video_id: &VideoId, target: &Path) {
    let is_dir = target.is_dir();
    let Ok(plan) = plan_path(video_id, target, is_dir, [0; 16]) else {
        return;
    };
    // `.<name>.00000000.part`: every run's temporary file starts with `.<name>.`.
    let Some(name) = plan
        .temp
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
    else {
        return;
    };
    let prefix = name.trim_end_matches("00000000.part").to_owned();
    let dir = match plan.temp.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let ours = move || {
        std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map({
                let prefix = prefix.clone();
                move |entry| {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let part = Path::new(&name).extension().is_some_and(|e| e == "part");
                    (name.starts_with(&prefix) && part).then(|| entry.path())
                }
            })
            .collect::<Vec<_>>()
    };
    let before = ours();
    let video_id = video_id.as_str().to_owned();
    let (ready, installed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            let _ = ready.send(());
            return;
        };
        runtime.block_on(async move {
            let signal = crate::listen::interruption();
            let _ = ready.send(());
            let Ok(signal) = signal else { return };
            signal.await;
            for path in ours() {
                if !before.contains(&path) {
                    let _ = std::fs::remove_file(path);
                }
            }
            let failure = Failure::new(
                EXIT_INTERRUPTED,
                "cli_interrupted",
                "interrupted; the partial download was removed".to_owned(),
            )
            .with_id("video_id", &video_id);
            let _ = writeln!(std::io::stderr(), "{}", failure.to_json_line());
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        });
    });
    let _ = installed.recv();
}

/// The exit status of a download stopped by SIGINT or SIGTERM (128 + SIGINT, as a shell
/// reports an interrupted command).
const EXIT_INTERRUPTED: u8 = 130;

/// Downloads `video_id` to `path` through the chosen client (a temporary file beside it,
/// renamed when complete), reporting bytes to `progress`.
///
/// # Errors
/// The SDK's error.
pub(crate) fn to_path(
    backend: &Backend,
    video_id: &VideoId,
    path: &Path,
    mut options: DownloadOptions,
    progress: Option<Progress>,
) -> Result<Downloaded, Error> {
    if let Some(progress) = progress {
        options = options.progress(move |done, total| progress(done, total));
    }
    match backend {
        Backend::Blocking(client) => client.download_video_to_path(video_id, path, options),
        Backend::Async(runtime, client) => {
            runtime.block_on(client.download_video_to_path(video_id, path, options))
        }
    }
}

/// The failure for an SDK error, with a `cli_*` code for a download that could not be done
/// (exit 1; a body that timed out is `cli_timeout`, exit 4).
pub(crate) fn failure(error: &Error) -> Failure {
    let mut failure = Failure::from(error);
    if let Error::DownloadFailed(failed) = error {
        let code = match failed.reason {
            DownloadFailure::NotCompleted { .. } => "cli_video_not_completed",
            // A body that stalled past the timeout is a timeout, as for any request.
            _ if error.is_timeout() => {
                failure.exit = EXIT_TIMEOUT;
                "cli_timeout"
            }
            _ => "cli_download_failed",
        };
        code.clone_into(&mut failure.code);
    }
    failure
}

#[cfg(test)]
mod tests {
    use heygen_core::download::{Download, DownloadOptions};
    use heygen_core::workflow::{Scripted, script};
    use heygen_core::{Config, TransportErrorKind};
    use heygen_model::VideoId;

    use super::failure;
    use crate::failure::EXIT_TIMEOUT;

    /// The download's error when the video read answers `video` and the file request `file`.
    fn download_error(video_url: &str, file: Scripted) -> heygen_core::Error {
        let config = Config::builder().api_key("hg_test").build().unwrap();
        let body = format!(
            r#"{{"data":{{"id":"vid_1","status":"completed","video_url":"{video_url}"}}}}"#
        );
        let mut answers = vec![Scripted::json(200, &body), file].into_iter();
        let id = VideoId::new("vid_1").unwrap();
        let (result, _) = script(
            Download::new(&id, DownloadOptions::new()),
            &config,
            |_, _| {
                answers
                    .next()
                    .unwrap_or_else(|| Scripted::failed(TransportErrorKind::Other))
            },
        );
        result.unwrap_err()
    }

    #[test]
    fn a_link_that_is_not_https_is_a_download_failure_not_a_validation_error() {
        let error = download_error(
            "http://files.example.com/v.mp4?sig=x",
            Scripted::failed(TransportErrorKind::Other),
        );
        let failure = failure(&error);
        assert_eq!(failure.code, "cli_download_failed");
        assert_eq!(failure.exit, 1, "a request was sent: not exit 2");
    }

    #[test]
    fn a_stalled_body_is_cli_timeout_with_the_bytes_received() {
        let stalled = Scripted::cut(
            200,
            &[("content-length", "5000")],
            &[0; 1000],
            TransportErrorKind::Timeout,
        );
        let error = download_error("https://files.example.com/v.mp4?sig=x", stalled);
        let failure = failure(&error);
        assert_eq!(failure.code, "cli_timeout");
        assert_eq!(failure.exit, EXIT_TIMEOUT);
        assert!(
            failure.message.contains("after 1000 bytes"),
            "{}",
            failure.message
        );
    }
}

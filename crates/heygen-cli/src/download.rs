//! `heygen video download`: the core's download workflow through the chosen client, into a
//! file that appears only when complete.

use std::path::{Path, PathBuf};

use clap::Args;
use heygen_core::download::{DownloadOptions, Downloaded, default_file_name};
use heygen_core::ops::GetVideo;
use heygen_core::{DownloadFailure, Error};
use heygen_model::VideoId;
use serde::Serialize;

use crate::backend::{Backend, Progress};
use crate::cli::parse_seconds;
use crate::commands::{Context, call};
use crate::failure::{EXIT_TIMEOUT, Failure};
use crate::progress;
use crate::wait;

/// Arguments of `video download`.
#[derive(Debug, Args)]
pub(crate) struct DownloadArgs {
    /// Video id.
    pub(crate) video_id: String,
    /// Where to write the file (default `<video_id>.mp4`, `.webm` for a WebM render). It
    /// appears only once the whole file arrived.
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
    // With --wait the core's wait runs first (with its spinner); the video it ends with also
    // names the default file.
    let video = if args.wait {
        let policy = wait::policy(args.timeout, ctx.poll_interval);
        let (result, _) = wait::wait_for(
            ctx.backend,
            GetVideo::new(id.clone()),
            id.as_str(),
            policy,
            "rendering video",
        );
        Some(result.map_err(|e| keyed(&e))?)
    } else {
        None
    };
    let path = match (args.output, video) {
        (Some(path), _) => path,
        (None, Some(video)) => PathBuf::from(default_file_name(&video, args.captioned)),
        (None, None) => {
            let video = call(ctx, GetVideo::new(id.clone())).map_err(|e| keyed(&e))?;
            PathBuf::from(default_file_name(&video, args.captioned))
        }
    };
    let (bar, progress) = progress::upload_bar("downloading", 0);
    let options = DownloadOptions::new().captioned(args.captioned);
    let result = to_path(ctx.backend, &id, &path, options, progress);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let done = result.map_err(|e| keyed(&e))?;
    ctx.out.data(&DownloadOutput {
        video_id: done.video_id.as_str().to_owned(),
        path: path.display().to_string(),
        bytes: done.bytes,
        content_type: done.content_type,
    })
}

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

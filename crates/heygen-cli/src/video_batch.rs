//! `heygen video batch …` (create a batch from a JSON file, optionally waiting for every video;
//! read a batch's page of items), `heygen video statuses`, and reading a `video create` request
//! of any kind from a JSON file.
//!
//! Doc comments on the clap types are the `--help` text, so they are written for the terminal.
#![allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text shown in a terminal"
)]

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use std::sync::{Arc, Mutex, PoisonError};

use heygen_core::Error;
use heygen_core::batch::{BatchOutcome, BatchRead, WaitBatch};
use heygen_core::ops::{CreateVideoBatch, GetVideoBatch, GetVideoStatuses};
use heygen_model::{
    Batch, BatchId, BatchPageQuery, CreateVideoBatchRequest, CreateVideoRequest, VideoId,
    VideoStatusesQuery,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize as _, Serialize};

use crate::cli::parse_seconds;
use crate::commands::{Context, call};
use crate::failure::Failure;
use crate::output::ListOutput;
use crate::wait;

/// `heygen video batch …`.
#[derive(Debug, Subcommand)]
pub(crate) enum BatchCommand {
    /// Submit up to 100 videos at once (`POST /v3/videos/batches`); prints the batch id, or
    /// with --wait every video's outcome in the order given.
    ///
    /// The file holds {"videos": [...], "title": "..."} (each video shaped like a
    /// `video create --file` request), or just the list of videos.
    Create(CreateBatchArgs),
    /// Show a batch and one page of its items (`GET /v3/videos/batches/{batch_id}`).
    Get {
        /// Batch id.
        batch_id: String,
        /// Items per page (1 to 100).
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        /// Page token from a previous `data.next_token`.
        #[arg(long, value_name = "T")]
        token: Option<String>,
    },
    /// Wait until every video of a batch is final; prints each video's outcome in order.
    Wait {
        /// Batch id.
        batch_id: String,
        /// Give up after this many seconds (default 1800).
        #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
        timeout: Option<f64>,
    },
}

/// Arguments of `video batch create`.
#[derive(Debug, Args)]
pub(crate) struct CreateBatchArgs {
    /// The batch as JSON (`-` reads standard input).
    #[arg(long, value_name = "PATH")]
    pub(crate) file: PathBuf,
    /// Wait until every video is final and print each one's outcome (exit 1 when any failed).
    #[arg(long)]
    pub(crate) wait: bool,
    /// With --wait: give up after this many seconds (default 1800).
    #[arg(long, value_name = "SECS", requires = "wait", value_parser = parse_seconds)]
    pub(crate) timeout: Option<f64>,
}

/// Arguments of `video statuses`.
#[derive(Debug, Args)]
pub(crate) struct StatusesArgs {
    /// Videos to look up (comma-separated or repeated).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub(crate) video_ids: Vec<String>,
    /// Batches whose videos to look up (comma-separated or repeated).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub(crate) batch_ids: Vec<String>,
}

/// The field a decode error blames when the file holds a field the request does not have
/// (requests refuse unknown fields, so a misspelt or misplaced one is not silently dropped).
fn unknown_field(error: &serde_json::Error) -> Option<String> {
    let text = error.to_string();
    let rest = text.strip_prefix("unknown field `")?;
    rest.split('`').next().map(str::to_owned)
}

/// A file that does not read as `what`: blames the unknown field (under `within.`, when
/// given) if that is the reason, or `param` otherwise.
fn not_valid(
    param: &str,
    within: Option<&str>,
    path: &Path,
    what: &str,
    error: &serde_json::Error,
) -> Failure {
    let blamed = match (unknown_field(error), within) {
        (Some(field), Some(prefix)) => format!("{prefix}.{field}"),
        (Some(field), None) => field,
        (None, _) => param.to_owned(),
    };
    Failure::validation(
        Some(&blamed),
        format!("{} is not a valid {what}: {error}", path.display()),
    )
}

/// Reads a request file's text: a path, or `-` for standard input. A missing, empty or special
/// file is the same `cli_file_error` as for every other command; a leading byte order mark (some
/// editors write one) is dropped.
fn read_text(param: &str, path: &Path) -> Result<String, Failure> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
            Failure::validation(Some(param), format!("cannot read standard input: {e}"))
        })?;
        text
    } else {
        crate::source::file_size(param, path)?;
        std::fs::read_to_string(path).map_err(|e| {
            Failure::validation(Some(param), format!("cannot read {}: {e}", path.display()))
        })?
    };
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// Reads a JSON file (or `-`) as `T`, blaming `param` for what is wrong with it.
fn read_json<T: DeserializeOwned>(param: &str, path: &Path) -> Result<T, Failure> {
    let text = read_text(param, path)?;
    serde_json::from_str(&text).map_err(|e| not_valid(param, None, path, "request", &e))
}

/// A `video create --file` request of any kind (`avatar`, `image`, `cinematic_avatar`,
/// `studio`), checked.
///
/// # Errors
/// An unreadable or malformed file, or a request that breaks a rule (exit 2, nothing sent).
pub(crate) fn video_from_file(path: &Path) -> Result<CreateVideoRequest, Failure> {
    let request: CreateVideoRequest = read_json("file", path)?;
    request.validate()?;
    Ok(request)
}

/// A batch file: an object with `videos`, or a bare list of videos. It is read straight into
/// the request types, so a repeated member (`"videos"` twice) is refused like an unknown one,
/// not resolved silently; a failure is then blamed on the first video that does not read.
fn batch_from_file(path: &Path) -> Result<CreateVideoBatchRequest, Failure> {
    let text = read_text("file", path)?;
    let bare_list = text.trim_start().starts_with('[');
    let direct = if bare_list {
        serde_json::from_str::<Vec<CreateVideoRequest>>(&text).map(CreateVideoBatchRequest::new)
    } else {
        serde_json::from_str::<CreateVideoBatchRequest>(&text)
    };
    let request = direct.map_err(|whole| {
        let value: Option<serde_json::Value> = serde_json::from_str(&text).ok();
        let videos = value.as_ref().and_then(|value| match value {
            serde_json::Value::Array(videos) => Some(videos),
            other => other.get("videos").and_then(serde_json::Value::as_array),
        });
        let item = videos
            .into_iter()
            .flatten()
            .enumerate()
            .find_map(|(i, video)| {
                CreateVideoRequest::deserialize(video)
                    .err()
                    .map(|e| (format!("videos[{i}]"), e))
            });
        match item {
            Some((at, e)) => not_valid(&at, Some(&at), path, "batch", &e),
            None => not_valid("file", None, path, "batch", &whole),
        }
    })?;
    request.validate()?;
    Ok(request)
}

fn batch_id(text: &str) -> Result<BatchId, Failure> {
    BatchId::new(text).map_err(|e| Failure::validation(Some("batch_id"), e.to_string()))
}

/// Runs `heygen video batch …`.
///
/// # Errors
/// The failure to report.
pub(crate) fn run(ctx: &Context<'_>, command: BatchCommand) -> Result<(), Failure> {
    match command {
        BatchCommand::Create(args) => {
            let request = batch_from_file(&args.file)?;
            let created = call(ctx, CreateVideoBatch::new(request))?;
            if !args.wait {
                return ctx.out.data(&created);
            }
            // Created: from here on every failure names the batch, so a script can resume with
            // `video batch wait`.
            let policy = wait::policy(args.timeout, ctx.poll_interval);
            let wait = WaitBatch::video(&created.batch_id).policy(policy);
            let outcome = wait_batch(ctx, wait, &created.batch_id)?;
            report(ctx, &outcome)
        }
        BatchCommand::Get {
            batch_id: id,
            limit,
            token,
        } => {
            let mut query = BatchPageQuery::new();
            if let Some(limit) = limit {
                query = query.limit(limit);
            }
            if let Some(token) = token {
                query = query.token(token);
            }
            query.validate()?;
            ctx.out
                .data(&call(ctx, GetVideoBatch::new(batch_id(&id)?).page(query))?)
        }
        BatchCommand::Wait {
            batch_id: id,
            timeout,
        } => {
            let id = batch_id(&id)?;
            let policy = wait::policy(timeout, ctx.poll_interval);
            let outcome = wait_batch(ctx, WaitBatch::video(&id).policy(policy), &id)?;
            report(ctx, &outcome)
        }
    }
}

/// Runs a batch wait; every failure names the batch, and a wait that reaches its deadline first
/// prints the last page it read on stdout (the batch's last state seen).
///
/// # Errors
/// The wait's failure, with `batch_id`.
pub(crate) fn wait_batch<G>(
    ctx: &Context<'_>,
    wait: WaitBatch<G>,
    id: &BatchId,
) -> Result<BatchOutcome<G::Id>, Failure>
where
    G: BatchRead + Send,
    G::Id: Clone + Serialize + Send + 'static,
{
    let last: Arc<Mutex<Option<Batch<G::Id>>>> = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&last);
    let wait = wait.observe(move |page: &Batch<G::Id>| {
        *seen.lock().unwrap_or_else(PoisonError::into_inner) = Some(page.clone());
    });
    ctx.backend.run(wait).or_else(|error| {
        if matches!(error, Error::WaitTimedOut(_))
            && let Some(page) = last.lock().unwrap_or_else(PoisonError::into_inner).take()
        {
            ctx.out.data(&page)?;
        }
        Err(Failure::from(&error).with_id("batch_id", id.as_str()))
    })
}

/// Prints every outcome; exit 1 (`batch_items_failed`, as for `asset upload` of many files) when
/// any video failed.
fn report(ctx: &Context<'_>, outcome: &BatchOutcome<VideoId>) -> Result<(), Failure> {
    ctx.out.data(outcome)?;
    match outcome.failed() {
        0 => Ok(()),
        failed => Err(Failure::new(
            1,
            "batch_items_failed",
            format!("{failed} of {} videos failed", outcome.items.len()),
        )
        .with_id("batch_id", outcome.batch_id.as_str())),
    }
}

/// Runs `heygen video statuses`.
///
/// # Errors
/// The failure to report.
pub(crate) fn statuses(ctx: &Context<'_>, args: &StatusesArgs) -> Result<(), Failure> {
    let mut query = VideoStatusesQuery::new();
    for id in &args.video_ids {
        query = query.video(
            VideoId::new(id).map_err(|e| Failure::validation(Some("video_ids"), e.to_string()))?,
        );
    }
    for id in &args.batch_ids {
        query = query.batch(
            BatchId::new(id).map_err(|e| Failure::validation(Some("batch_ids"), e.to_string()))?,
        );
    }
    query.validate()?;
    let page = call(ctx, GetVideoStatuses::new(query))?;
    let next_token = page.next_token().map(str::to_owned);
    ctx.out.list(&ListOutput {
        has_more: page.has_more(),
        next_token,
        data: page.data,
    })
}

//! `heygen asset …`: upload one file (multipart or direct upload) or many (one upload batch),
//! list a member's assets, show, delete, and bulk statuses.
//!
//! Doc comments on the clap types are the `--help` text, so they are written for the terminal.
#![allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text shown in a terminal"
)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use clap::Subcommand;
use heygen_core::batch::WaitBatch;
use heygen_core::ops::{
    CompleteUploadBatch, DeleteAsset, GetAsset, GetAssetBatch, GetAssetStatuses, ListAssets,
};
use heygen_core::upload::{BatchFileOutcome, UploadMany, Uploaded, UploadedBatch};
use heygen_model::{
    AssetId, AssetStatusesQuery, BatchId, CompleteUploadBatchRequest, FolderId, ListAssetsQuery,
    ResourceError,
};
use serde::Serialize;

use crate::cli::PageArgs;
use crate::commands::{Context, call, list};
use crate::failure::Failure;
use crate::{progress, source, wait};

/// `heygen asset …`.
#[derive(Debug, Subcommand)]
pub(crate) enum AssetCommand {
    /// Upload local files. One file: `POST /v3/assets` up to 32 MB, direct upload above. Two
    /// or more (up to 100): one upload batch (`POST /v3/assets/direct-uploads/batches`, a PUT
    /// per file, `POST /v3/assets/complete/batches`, then waits until HeyGen has checked every
    /// file); prints every asset in the order given, and exits 1 when a file failed.
    Upload {
        /// The files.
        #[arg(required = true, num_args = 1..)]
        paths: Vec<PathBuf>,
        /// With two or more files: the batch's name in the HeyGen app (refused with one file).
        #[arg(long)]
        title: Option<String>,
    },
    /// List a workspace member's assets, newest first (`GET /v3/assets`).
    List {
        /// Whose assets (required while the endpoint is in beta): the `owner` of the assets,
        /// e.g. the `username` of `heygen user me`.
        #[arg(long, value_name = "U")]
        username: String,
        /// Only assets in this folder.
        #[arg(long, value_name = "F", conflicts_with = "root")]
        folder_id: Option<String>,
        /// Only assets in no folder (the root of the space).
        #[arg(long)]
        root: bool,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show an asset (`GET /v3/assets/{asset_id}`).
    Get {
        /// Asset id.
        asset_id: String,
    },
    /// Delete an asset for good (`DELETE /v3/assets/{asset_id}`).
    Delete {
        /// Asset id.
        asset_id: String,
    },
    /// Processing status of up to 100 assets, by id or by upload batch
    /// (`GET /v3/assets/statuses`).
    Statuses {
        /// Asset ids, comma-separated.
        #[arg(long, value_name = "IDS", value_delimiter = ',')]
        asset_ids: Vec<String>,
        /// Upload batch ids, comma-separated (each expands to its files).
        #[arg(long, value_name = "IDS", value_delimiter = ',')]
        batch_ids: Vec<String>,
    },
    /// Upload batches made by `asset upload` with two or more files.
    #[command(subcommand)]
    Batch(BatchCommand),
}

/// `heygen asset batch …`.
#[derive(Debug, Subcommand)]
pub(crate) enum BatchCommand {
    /// Show an upload batch and its files (`GET /v3/assets/batches/{batch_id}`).
    Get {
        /// Batch id.
        batch_id: String,
    },
    /// Finish every uploaded file of a batch again (`POST /v3/assets/complete/batches`;
    /// idempotent), e.g. after an interrupted `asset upload`.
    Complete {
        /// Batch id.
        batch_id: String,
    },
    /// Wait until every file of a batch is completed or failed and print each one's outcome in
    /// order (exit 1 when any failed).
    Wait {
        /// Batch id.
        batch_id: String,
        /// Give up after this many seconds (default 1800).
        #[arg(long, value_name = "SECS", value_parser = crate::cli::parse_seconds)]
        timeout: Option<f64>,
    },
}

fn asset_id(param: &'static str, text: &str) -> Result<AssetId, Failure> {
    AssetId::new(text).map_err(|e| Failure::validation(Some(param), e.to_string()))
}

fn batch_id(param: &'static str, text: &str) -> Result<BatchId, Failure> {
    BatchId::new(text).map_err(|e| Failure::validation(Some(param), e.to_string()))
}

/// Runs one `asset` command.
///
/// # Errors
/// The failure to report.
pub(crate) fn run(ctx: &Context<'_>, command: AssetCommand) -> Result<(), Failure> {
    match command {
        AssetCommand::Upload { paths, title } => match paths.as_slice() {
            [path] => {
                // A single upload has nowhere to put a title: refuse rather than drop it.
                if title.is_some() {
                    return Err(Failure::usage(
                        "--title names an upload batch and needs two or more files",
                    ));
                }
                let size = source::file_size("path", path)?;
                match source::upload(ctx.backend, path, size)? {
                    Uploaded::Multipart(asset) => ctx.out.data(&asset),
                    Uploaded::Direct(done) => ctx.out.data(&done),
                    other => ctx
                        .out
                        .data(&serde_json::json!({ "asset_id": other.asset_id() })),
                }
            }
            _ => upload_many(ctx, &paths, title),
        },
        AssetCommand::List {
            username,
            folder_id,
            root,
            page,
        } => {
            let mut query = ListAssetsQuery::new(username);
            if let Some(folder) = folder_id {
                let folder = FolderId::new(folder)
                    .map_err(|e| Failure::validation(Some("folder_id"), e.to_string()))?;
                query = query.folder_id(folder);
            } else if root {
                query = query.root_folder();
            }
            query = page.apply(query, ListAssetsQuery::limit, ListAssetsQuery::token);
            query.validate()?;
            list(ctx, &page, ListAssets::new(query))
        }
        AssetCommand::Get { asset_id: id } => ctx
            .out
            .data(&call(ctx, GetAsset::new(asset_id("asset_id", &id)?))?),
        AssetCommand::Delete { asset_id: id } => ctx
            .out
            .data(&call(ctx, DeleteAsset::new(asset_id("asset_id", &id)?))?),
        AssetCommand::Statuses {
            asset_ids,
            batch_ids,
        } => {
            let mut query = AssetStatusesQuery::new();
            for id in &asset_ids {
                query = query.asset_id(asset_id("asset_ids", id)?);
            }
            for id in &batch_ids {
                query = query.batch_id(batch_id("batch_ids", id)?);
            }
            query.validate()?;
            let page = call(ctx, GetAssetStatuses::new(query))?;
            ctx.out.list(&crate::output::ListOutput {
                has_more: page.has_more(),
                next_token: page.next_token().map(str::to_owned),
                data: page.data,
            })
        }
        AssetCommand::Batch(cmd) => batch(ctx, cmd),
    }
}

fn batch(ctx: &Context<'_>, command: BatchCommand) -> Result<(), Failure> {
    match command {
        BatchCommand::Get { batch_id: id } => ctx
            .out
            .data(&call(ctx, GetAssetBatch::new(batch_id("batch_id", &id)?))?),
        BatchCommand::Complete { batch_id: id } => {
            let request = CompleteUploadBatchRequest::new(batch_id("batch_id", &id)?);
            ctx.out.data(&call(ctx, CompleteUploadBatch::new(request))?)
        }
        BatchCommand::Wait {
            batch_id: id,
            timeout,
        } => {
            let id = batch_id("batch_id", &id)?;
            let policy = wait::policy(timeout, ctx.poll_interval);
            let wait = WaitBatch::asset(&id).policy(policy);
            let outcome = crate::video_batch::wait_batch(ctx, wait, &id)?;
            ctx.out.data(&outcome)?;
            match outcome.failed() {
                0 => Ok(()),
                failed => Err(Failure::new(
                    1,
                    "batch_items_failed",
                    format!("{failed} of {} files failed", outcome.items.len()),
                )
                .with_id("batch_id", id.as_str())),
            }
        }
    }
}

/// One file of a batch upload as printed.
#[derive(Debug, Serialize)]
struct FileOutput {
    path: String,
    asset_id: AssetId,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ResourceError>,
}

/// A batch upload as printed: the batch and every file in the order given.
#[derive(Debug, Serialize)]
struct BatchOutput {
    batch_id: BatchId,
    assets: Vec<FileOutput>,
}

/// Uploads two or more files through one upload batch; prints every asset in order and fails
/// (exit 1) when any file did not become an asset.
fn upload_many(ctx: &Context<'_>, paths: &[PathBuf], title: Option<String>) -> Result<(), Failure> {
    // Every file gets the same check as a single upload, before anything is sent.
    let sizes = paths
        .iter()
        .map(|path| source::file_size("path", path))
        .collect::<Result<Vec<_>, _>>()?;
    let first = sizes.first().copied().unwrap_or_default();
    let (bar, callback) = progress::upload_bar("uploading", first);
    // Once the batch exists, every failure names it so a script can resume with
    // `asset batch wait`.
    let created: Arc<Mutex<Option<BatchId>>> = Arc::default();
    let record = Arc::clone(&created);
    let mut workflow = UploadMany::paths(paths)
        .policy(wait::policy(None, ctx.poll_interval))
        .on_batch_created(move |id| {
            *record.lock().unwrap_or_else(PoisonError::into_inner) = Some(id.clone());
        });
    if let Some(title) = title {
        workflow = workflow.title(title);
    }
    let result = ctx.backend.with_progress(callback).run(workflow);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let done = result.map_err(|error| {
        let failure = Failure::from(&error);
        match created
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            Some(id) => failure.with_id("batch_id", id.as_str()),
            None => failure,
        }
    })?;
    let failed = done
        .files
        .iter()
        .filter(|f| !f.outcome.is_completed())
        .count();
    let total = done.files.len();
    let id = done.batch_id.clone();
    ctx.out.data(&output(done))?;
    match failed {
        0 => Ok(()),
        failed => Err(Failure::new(
            1,
            "batch_items_failed",
            format!("{failed} of {total} files did not become assets"),
        )
        .with_id("batch_id", id.as_str())),
    }
}

fn output(done: UploadedBatch) -> BatchOutput {
    let assets = done
        .files
        .into_iter()
        .map(|file| {
            let (status, error) = match file.outcome {
                BatchFileOutcome::Completed => ("completed", None),
                BatchFileOutcome::Failed(error) => ("failed", error),
                BatchFileOutcome::NotUploaded(error) => (
                    "not_uploaded",
                    Some(ResourceError::new(
                        error.api_code().unwrap_or("upload_failed"),
                        error.to_string(),
                    )),
                ),
                _ => ("failed", None),
            };
            FileOutput {
                path: file.path.display().to_string(),
                asset_id: file.asset_id,
                status,
                sha256: file.sha256,
                error,
            }
        })
        .collect();
    BatchOutput {
        batch_id: done.batch_id,
        assets,
    }
}

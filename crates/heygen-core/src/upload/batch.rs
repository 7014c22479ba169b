//! Uploading many local files through one upload batch: inspect every file, one
//! `POST /v3/assets/direct-uploads/batches`, a presigned `PUT` per file, one
//! `POST /v3/assets/complete/batches`, then `GET /v3/assets/batches/{batch_id}` until every item
//! is final. [`UploadMany`] is the workflow; the client only inspects files, streams them and
//! sleeps.

use core::convert::Infallible;
use core::fmt;
use core::mem;
use std::path::{Path, PathBuf};

use heygen_model::{
    AssetId, BatchId, CompleteUploadBatchRequest, CreateDirectUploadRequest,
    CreateUploadBatchRequest, DirectUpload, ResourceError, UploadBatch,
};

use super::plan::{FileFacts, check_direct_upload_size, unreadable_file};
use crate::batch::{ItemOutcome, WaitBatch};
use crate::body::Source;
use crate::call::Call;
use crate::config::PollPolicy;
use crate::error::Error;
use crate::ops::{CompleteUploadBatch, CreateUploadBatch, DirectUploadPut, GetAssetBatch};
use crate::workflow::{Cx, Event, Next, Workflow, delegate, over};

/// How one file of an [`UploadMany`] ended.
#[derive(Debug)]
#[non_exhaustive]
pub enum BatchFileOutcome {
    /// HeyGen checked and stored the file: the asset is ready to use.
    Completed,
    /// HeyGen refused the file after the upload (its bytes are not the declared type, for
    /// example), with HeyGen's error when it gave one.
    Failed(Option<ResourceError>),
    /// The file's `PUT` failed (after its retries), so HeyGen never got its bytes; the error is
    /// [`Error::UploadFailed`] naming the asset.
    NotUploaded(Error),
}

impl BatchFileOutcome {
    /// Whether the asset is ready to use.
    pub fn is_completed(&self) -> bool {
        matches!(self, Self::Completed)
    }
}

/// One file of an [`UploadMany`], in the order the files were given.
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchFile {
    /// The local file.
    pub path: PathBuf,
    /// Its asset.
    pub asset_id: AssetId,
    /// The SHA-256 (hex) of the bytes sent, when the `PUT` succeeded.
    pub sha256: Option<String>,
    /// How it ended.
    pub outcome: BatchFileOutcome,
}

/// What an [`UploadMany`] ends with: the batch and every file, in the order given.
#[derive(Debug)]
#[non_exhaustive]
pub struct UploadedBatch {
    /// The upload batch.
    pub batch_id: BatchId,
    /// Every file, in the order given.
    pub files: Vec<BatchFile>,
}

impl UploadedBatch {
    /// Whether every file became a usable asset.
    pub fn all_completed(&self) -> bool {
        self.files.iter().all(|f| f.outcome.is_completed())
    }
}

/// A file with its slot, and how its `PUT` went.
#[derive(Debug)]
struct Slot {
    path: PathBuf,
    asset_id: AssetId,
    sha256: Option<String>,
    put_error: Option<Error>,
}

enum Stage {
    Inspect {
        asked: bool,
    },
    Create(Call<CreateUploadBatch>),
    Put {
        batch: UploadBatch,
        slots: Vec<Slot>,
        call: Option<Call<DirectUploadPut>>,
    },
    Complete(BatchId, Vec<Slot>, Call<CompleteUploadBatch>),
    Wait(BatchId, Vec<Slot>, Box<WaitBatch<GetAssetBatch>>),
    Over,
}

/// Uploads many local files (1 to 100) through one upload batch, each file streamed once per
/// attempt and never held in memory:
///
/// 1. inspects every file (size, and media type from its first bytes, then its extension);
/// 2. `POST /v3/assets/direct-uploads/batches` with every file's name, type and exact size, under
///    one idempotency key (a retry returns the same batch);
/// 3. the `PUT` of each file to its slot's presigned URL, in order, with only the slot's headers
///    and no credentials, hashing the bytes (SHA-256) as they stream; a `PUT` that still fails
///    after its retries marks that file [`BatchFileOutcome::NotUploaded`] and the others go on;
/// 4. `POST /v3/assets/complete/batches` (skipped when no `PUT` succeeded);
/// 5. the shared batch wait ([`WaitBatch`] over `GET /v3/assets/batches/{batch_id}`, every page
///    each poll) with the configured poll policy, or [`UploadMany::policy`], until every item is
///    `completed` or `failed`.
///
/// It ends with every file in the order given ([`UploadedBatch`]). An unreadable file or one whose
/// media type is unknown ends it before anything is sent; a failed create, complete, or a
/// status check that is not transient ends it with that error; the deadline with
/// [`Error::WaitTimedOut`] naming the batch. A caller that must name the batch in any error
/// after it exists (to resume with a batch wait) learns its id from
/// [`on_batch_created`](UploadMany::on_batch_created).
pub struct UploadMany {
    paths: Vec<PathBuf>,
    facts: Vec<FileFacts>,
    title: Option<String>,
    policy: Option<PollPolicy>,
    created: Option<CreatedHook>,
    stage: Stage,
    failed: Option<Error>,
}

/// Called once with the id of a batch just created.
type CreatedHook = Box<dyn FnMut(&BatchId) + Send + 'static>;

impl fmt::Debug for UploadMany {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadMany")
            .field("paths", &self.paths)
            .field("title", &self.title)
            .finish_non_exhaustive()
    }
}

impl UploadMany {
    /// Uploads the files at `paths`, in this order.
    pub fn paths<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Self {
        Self {
            paths: paths.into_iter().map(|p| p.as_ref().to_owned()).collect(),
            facts: Vec::new(),
            title: None,
            policy: None,
            created: None,
            stage: Stage::Inspect { asked: false },
            failed: None,
        }
    }

    /// Names the batch (shown in the HeyGen app).
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Waits for the files with this poll policy (intervals and deadline) instead of the
    /// configuration's.
    #[must_use]
    pub fn policy(mut self, policy: PollPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Calls `hook` with the batch id as soon as the batch is created, before any file is
    /// sent: from then on the batch exists, whatever happens next.
    #[must_use]
    pub fn on_batch_created(mut self, hook: impl FnMut(&BatchId) + Send + 'static) -> Self {
        self.created = Some(Box::new(hook));
        self
    }

    fn fail(&mut self, error: Error) -> Next<UploadedBatch> {
        self.stage = Stage::Over;
        Next::Done(Err(error))
    }

    /// The create call, once every file is known.
    fn create(&self, cx: &Cx<'_>) -> Result<Call<CreateUploadBatch>, Error> {
        let files = self
            .facts
            .iter()
            .map(|f| CreateDirectUploadRequest::new(&f.name, &f.media_type, f.size))
            .collect();
        let mut request = CreateUploadBatchRequest::new(files);
        if let Some(title) = &self.title {
            request = request.title(title);
        }
        Call::new(CreateUploadBatch::new(request), cx.config, cx.entropy)
    }
}

/// The `PUT` of a file (`facts` of the file at `path`) to its slot.
fn put_call(
    slot: &DirectUpload,
    path: &Path,
    facts: &FileFacts,
    cx: &Cx<'_>,
) -> Result<Call<DirectUploadPut>, Error> {
    check_direct_upload_size(slot, facts.size)?;
    let op = DirectUploadPut::from_direct_upload(slot, Source::File(path.to_owned()), facts.size);
    Call::new(op, cx.config, cx.entropy)
        .map_err(|e| Error::upload_failed(slot.asset_id.as_str(), e))
}

impl Workflow for UploadMany {
    type Output = UploadedBatch;
    type Item = Infallible;

    #[allow(
        clippy::too_many_lines,
        reason = "one match over the stages reads best"
    )]
    fn next(&mut self, cx: &Cx<'_>) -> Next<UploadedBatch> {
        loop {
            if let Some(error) = self.failed.take() {
                return self.fail(error);
            }
            match &mut self.stage {
                Stage::Inspect { asked } => {
                    if let Some(path) = self.paths.get(self.facts.len()) {
                        if mem::replace(asked, true) {
                            return self.fail(over());
                        }
                        return Next::Inspect(path.clone());
                    }
                    match self.create(cx) {
                        Ok(call) => self.stage = Stage::Create(call),
                        Err(error) => return self.fail(error),
                    }
                }
                Stage::Create(call) => match delegate(call, cx) {
                    Ok(next) => return next,
                    Err(Ok(batch)) => {
                        if let Some(hook) = &mut self.created {
                            hook(&batch.batch_id);
                        }
                        if batch.items.len() != self.paths.len() {
                            let error = Error::upload_failed(
                                batch.batch_id.as_str(),
                                Error::invalid_request(
                                    Some("items"),
                                    format!(
                                        "the batch has {} upload slots for {} files",
                                        batch.items.len(),
                                        self.paths.len()
                                    ),
                                ),
                            );
                            return self.fail(error);
                        }
                        self.stage = Stage::Put {
                            batch,
                            slots: Vec::with_capacity(self.paths.len()),
                            call: None,
                        };
                    }
                    Err(Err(error)) => return self.fail(error),
                },
                Stage::Put { batch, slots, call } => {
                    let index = slots.len();
                    let (Some(slot), Some(path), Some(facts)) = (
                        batch.items.get(index),
                        self.paths.get(index),
                        self.facts.get(index),
                    ) else {
                        // Every file was tried: complete the batch unless nothing arrived.
                        let batch_id = batch.batch_id.clone();
                        let slots = mem::take(slots);
                        if slots.iter().all(|s| s.put_error.is_some()) {
                            self.stage = Stage::Over;
                            return Next::Done(Ok(finish(batch_id, slots, &[])));
                        }
                        let op = CompleteUploadBatch::new(CompleteUploadBatchRequest::new(
                            batch_id.clone(),
                        ));
                        match Call::new(op, cx.config, cx.entropy) {
                            Ok(complete) => {
                                self.stage = Stage::Complete(batch_id, slots, complete);
                            }
                            Err(error) => return self.fail(error),
                        }
                        continue;
                    };
                    let mut done = Slot {
                        path: path.clone(),
                        asset_id: slot.asset_id.clone(),
                        sha256: None,
                        put_error: None,
                    };
                    let put = match call {
                        Some(put) => put,
                        None => match put_call(slot, path, facts, cx) {
                            Ok(put) => call.insert(put),
                            Err(error) => {
                                done.put_error = Some(error);
                                slots.push(done);
                                continue;
                            }
                        },
                    };
                    match delegate(put, cx) {
                        Ok(next) => return next,
                        Err(Ok(())) => {
                            done.sha256 = put.sent().and_then(|s| s.sha256.clone());
                        }
                        Err(Err(error)) => {
                            done.put_error =
                                Some(Error::upload_failed(done.asset_id.as_str(), error));
                        }
                    }
                    *call = None;
                    slots.push(done);
                }
                Stage::Complete(batch_id, slots, call) => match delegate(call, cx) {
                    Ok(next) => return next,
                    Err(Ok(_)) => {
                        let mut wait = WaitBatch::asset(batch_id);
                        if let Some(policy) = self.policy {
                            wait = wait.policy(policy);
                        }
                        let wait = Box::new(wait);
                        let (batch_id, slots) = (batch_id.clone(), mem::take(slots));
                        self.stage = Stage::Wait(batch_id, slots, wait);
                    }
                    Err(Err(error)) => return self.fail(error),
                },
                Stage::Wait(batch_id, slots, wait) => match delegate(wait, cx) {
                    Ok(next) => return next,
                    Err(Ok(outcome)) => {
                        let done = finish(batch_id.clone(), mem::take(slots), &outcome.items);
                        self.stage = Stage::Over;
                        return Next::Done(Ok(done));
                    }
                    Err(Err(error)) => return self.fail(error),
                },
                Stage::Over => return Next::Done(Err(over())),
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        match &mut self.stage {
            Stage::Inspect { asked } => {
                let Event::Inspected(result) = event else {
                    return;
                };
                *asked = false;
                let Some(path) = self.paths.get(self.facts.len()) else {
                    return;
                };
                match result
                    .map_err(|e| unreadable_file(path, &e))
                    .and_then(|head| FileFacts::new(path, head.size, &head.head))
                {
                    Ok(facts) => self.facts.push(facts),
                    Err(error) => self.failed = Some(error),
                }
            }
            Stage::Create(call) => call.handle(event, cx),
            Stage::Put { call, .. } => {
                if let Some(call) = call {
                    call.handle(event, cx);
                }
            }
            Stage::Complete(_, _, call) => call.handle(event, cx),
            Stage::Wait(_, _, wait) => wait.handle(event, cx),
            Stage::Over => {}
        }
    }
}

/// Every file's outcome: its `PUT` error, else its batch item's outcome.
fn finish(batch_id: BatchId, slots: Vec<Slot>, items: &[ItemOutcome<AssetId>]) -> UploadedBatch {
    let files = slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| {
            let item = items
                .iter()
                .find(|item| usize::try_from(item.index()).ok() == Some(index));
            let outcome = match (slot.put_error, item) {
                (Some(error), _) => BatchFileOutcome::NotUploaded(error),
                (None, Some(ItemOutcome::Completed { .. })) => BatchFileOutcome::Completed,
                (None, Some(ItemOutcome::Failed { error, .. })) => {
                    BatchFileOutcome::Failed(error.clone())
                }
                (None, _) => BatchFileOutcome::Failed(None),
            };
            BatchFile {
                path: slot.path,
                asset_id: slot.asset_id,
                sha256: slot.sha256,
                outcome,
            }
        })
        .collect();
    UploadedBatch { batch_id, files }
}

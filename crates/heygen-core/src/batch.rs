//! Batches: [`WaitBatch`] polls a batch (video or asset) until every item is final and ends
//! with each item's [`ItemOutcome`] in submission order; [`RunVideoBatch`] creates a video batch
//! (`POST /v3/videos/batches`) and then waits for it.
//!
//! A poll is a round: the batch's item pages are read one after another, following the cursor
//! inside `data` (`data.next_token`), with no sleep between pages. When the round has seen every
//! item and all are final, the wait is over; otherwise the [`Poller`] decides how long to sleep
//! before the next round, and ends the wait at the poll policy's deadline.
//!
//! ```
//! use heygen_core::batch::WaitBatch;
//! use heygen_core::ops::GetVideoBatch;
//! use heygen_model::BatchId;
//!
//! let wait = WaitBatch::new(GetVideoBatch::new(BatchId::new("batch_1")?));
//! // client.run(wait) -> Result<BatchOutcome<VideoId>, Error>
//! # let _ = wait;
//! # Ok::<(), heygen_core::Error>(())
//! ```

use core::convert::Infallible;
use core::fmt;
use std::collections::BTreeMap;

use serde::Serialize;

use heygen_model::{
    Batch, BatchId, BatchItem, BatchItemStatus, BatchPageQuery, BatchStatus,
    CreateVideoBatchRequest, IdempotencyKey, ResourceError, VideoId,
};

use crate::call::Call;
use crate::config::PollPolicy;
use crate::error::Error;
use crate::ops::{CreateVideoBatch, GetVideoBatch};
use crate::paginate::{PageCursor, Paginate, Paginator};
use crate::poll::{Observation, Observer, Pollable, Poller};
use crate::workflow::{Cx, Event, Next, Workflow, delegate, over};

/// The cursor of a batch page lives inside `data`, beside its items.
impl<I> PageCursor for Batch<I> {
    fn has_more(&self) -> bool {
        Batch::has_more(self)
    }

    fn next_token(&self) -> Option<&str> {
        Batch::next_token(self)
    }

    fn item_count(&self) -> usize {
        self.items.len()
    }
}

/// An operation that reads one page of a batch, such as `GET /v3/videos/batches/{batch_id}`;
/// [`WaitBatch`] is generic over it. An asset batch read (`GET /v3/assets/batches/{batch_id}`)
/// takes part by implementing [`Paginate`] (the same read at another cursor, keeping the page
/// size) and this trait with `Id = AssetId`.
pub trait BatchRead: Paginate<Output = Batch<Self::Id>> + Clone {
    /// What each item produces (a [`VideoId`], an asset id).
    type Id: Clone;
    /// The kind of batch, for errors (`video batch`).
    const RESOURCE: &'static str;

    /// The batch read.
    fn batch_id(&self) -> &BatchId;
}

impl BatchRead for GetVideoBatch {
    type Id = VideoId;
    const RESOURCE: &'static str = "video batch";

    fn batch_id(&self) -> &BatchId {
        GetVideoBatch::batch_id(self)
    }
}

/// How one item of a batch ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemOutcome<I> {
    /// The item completed and produced `id`.
    Completed {
        /// Zero-based position of the item in the submitted list.
        index: u64,
        /// What it produced (a video id, an asset id).
        id: I,
    },
    /// The item failed.
    Failed {
        /// Zero-based position of the item in the submitted list.
        index: u64,
        /// What it produced before failing, if anything.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<I>,
        /// HeyGen's reason, when given.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<ResourceError>,
    },
}

impl<I> ItemOutcome<I> {
    /// Zero-based position of the item in the submitted list.
    pub fn index(&self) -> u64 {
        match self {
            Self::Completed { index, .. } | Self::Failed { index, .. } => *index,
        }
    }

    /// What the item produced, if anything.
    pub fn id(&self) -> Option<&I> {
        match self {
            Self::Completed { id, .. } => Some(id),
            Self::Failed { id, .. } => id.as_ref(),
        }
    }

    /// Whether the item completed.
    pub fn is_completed(&self) -> bool {
        matches!(self, Self::Completed { .. })
    }
}

/// What a finished batch wait ends with: every item's outcome, in submission order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BatchOutcome<I> {
    /// The batch.
    pub batch_id: BatchId,
    /// The aggregate status of the last read, when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<BatchStatus>,
    /// One outcome per item, ordered by `item_index`.
    pub items: Vec<ItemOutcome<I>>,
}

impl<I> BatchOutcome<I> {
    /// How many items completed.
    pub fn completed(&self) -> usize {
        self.items.iter().filter(|i| i.is_completed()).count()
    }

    /// How many items failed.
    pub fn failed(&self) -> usize {
        self.items.len() - self.completed()
    }
}

/// One item's outcome, or `None` while it is not final. A `completed` item without its id is
/// not final yet: the id is what the caller waits for.
fn outcome<I: Clone>(item: &BatchItem<I>) -> Option<ItemOutcome<I>> {
    match (&item.status, &item.id) {
        (Some(BatchItemStatus::Completed), Some(id)) => Some(ItemOutcome::Completed {
            index: item.item_index,
            id: id.clone(),
        }),
        (Some(BatchItemStatus::Failed), id) => Some(ItemOutcome::Failed {
            index: item.item_index,
            id: id.clone(),
            error: item.error.clone(),
        }),
        _ => None,
    }
}

/// Every item page of one poll.
struct Round<G: BatchRead> {
    pages: Paginator<G>,
    items: BTreeMap<u64, BatchItem<G::Id>>,
    status: Option<BatchStatus>,
    total: Option<u64>,
}

impl<G: BatchRead> Round<G> {
    fn new(op: &G) -> Self {
        Self {
            pages: Paginator::new(op.clone()),
            items: BTreeMap::new(),
            status: None,
            total: None,
        }
    }

    fn absorb(&mut self, page: Batch<G::Id>) {
        if self.status.is_none() {
            self.status = page.status;
        }
        if self.total.is_none() {
            self.total = page.total_items;
        }
        for item in page.items {
            self.items.insert(item.item_index, item);
        }
    }

    /// What this round says: final when every item is seen (as many as `total_items`, when
    /// sent) and final.
    fn summary(self) -> Summary<G::Id> {
        let outcomes: Vec<_> = self.items.values().map(outcome).collect();
        let done = outcomes.iter().filter(|o| o.is_some()).count();
        let total = self
            .total
            .and_then(|t| usize::try_from(t).ok())
            .unwrap_or(self.items.len());
        let complete = done == self.items.len() && self.items.len() >= total;
        let status = self.status.as_ref().map_or("unknown", BatchStatus::as_str);
        Summary {
            raw: format!("{status} ({done} of {total} items final)"),
            status: self.status,
            outcomes: complete.then(|| outcomes.into_iter().flatten().collect()),
        }
    }
}

/// A round as the [`Poller`] sees it: completed when every item is final.
struct Summary<I> {
    raw: String,
    status: Option<BatchStatus>,
    outcomes: Option<Vec<ItemOutcome<I>>>,
}

impl<I> Pollable for Summary<I> {
    const RESOURCE: &'static str = "batch";

    fn observe(&self) -> Observation {
        if self.outcomes.is_some() {
            Observation::Completed
        } else {
            Observation::InProgress
        }
    }

    fn raw_status(&self) -> Option<&str> {
        Some(&self.raw)
    }
}

/// Waits until every item of a batch is final: polls the batch with `G` (walking its item pages
/// each time), sleeping between polls as the poll policy says, and ends with each item's
/// outcome in submission order. A failed item is an outcome, not an error.
///
/// Each read is a [`Call`] (with its retries) cut at the wait's deadline. A transient failure
/// (5xx, 429, transport) keeps polling within the deadline and restarts the round; any other
/// error (a 404) ends the wait. At the deadline the wait ends with
/// [`Error::WaitTimedOut`] naming the batch, and as its last status the aggregate status with
/// how many items were final, such as `processing (2 of 3 items final)`.
pub struct WaitBatch<G: BatchRead> {
    op: G,
    policy: Option<PollPolicy>,
    poller: Option<Poller>,
    round: Option<Round<G>>,
    check: Option<Call<G>>,
    observer: Option<Observer<Batch<G::Id>>>,
    over: bool,
}

impl<G: BatchRead> fmt::Debug for WaitBatch<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitBatch")
            .field("resource", &G::RESOURCE)
            .field("batch_id", self.op.batch_id())
            .field("poller", &self.poller)
            .finish_non_exhaustive()
    }
}

impl<G: BatchRead> WaitBatch<G> {
    /// Waits for the batch `op` reads, with `op`'s page size on every page, and the
    /// configuration's poll policy.
    pub fn new(op: G) -> Self {
        Self {
            op,
            policy: None,
            poller: None,
            round: None,
            check: None,
            observer: None,
            over: false,
        }
    }

    /// Uses this poll policy (intervals and deadline) instead of the configuration's.
    #[must_use]
    pub fn policy(mut self, policy: PollPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Calls `observer` with every page read (to show progress).
    #[must_use]
    pub fn observe(mut self, observer: impl FnMut(&Batch<G::Id>) + Send + 'static) -> Self {
        self.observer = Some(Box::new(observer));
        self
    }

    fn finish(
        &mut self,
        result: Result<BatchOutcome<G::Id>, Error>,
        cx: &Cx<'_>,
    ) -> Next<BatchOutcome<G::Id>> {
        self.over = true;
        self.check = None;
        self.round = None;
        Next::Done(result.map_err(|error| cx.config.scrub(error)))
    }
}

impl WaitBatch<GetVideoBatch> {
    /// Waits for the video batch `batch_id`.
    pub fn video(batch_id: &BatchId) -> Self {
        Self::new(GetVideoBatch::new(batch_id.clone()))
    }
}

impl<G: BatchRead> Workflow for WaitBatch<G> {
    type Output = BatchOutcome<G::Id>;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Self::Output> {
        if self.over {
            return Next::Done(Err(over()));
        }
        let policy = self.policy.unwrap_or(*cx.config.poll_policy());
        let op = &self.op;
        let poller = self.poller.get_or_insert_with(|| {
            Poller::new(G::RESOURCE, op.batch_id().as_str(), &policy, cx.now)
        });
        loop {
            let round = self.round.get_or_insert_with(|| Round::new(&self.op));
            let check = match &mut self.check {
                Some(check) => check,
                slot @ None => {
                    let Some(op) = round.pages.next_operation() else {
                        return Next::Done(Err(over()));
                    };
                    match Call::new(op, cx.config, cx.entropy) {
                        Ok(call) => slot.insert(call.deadline(poller.deadline_at())),
                        Err(error) => return self.finish(Err(error), cx),
                    }
                }
            };
            let next = match delegate(check, cx) {
                Ok(next) => return next,
                Err(Ok(page)) => {
                    self.check = None;
                    if let Some(observer) = &mut self.observer {
                        observer(&page);
                    }
                    if let Err(error) = round.pages.on_page(&page) {
                        return self.finish(Err(error), cx);
                    }
                    round.absorb(page);
                    if !round.pages.is_done() {
                        continue;
                    }
                    let Some(round) = self.round.take() else {
                        return Next::Done(Err(over()));
                    };
                    poller.on_status(round.summary(), cx.now)
                }
                Err(Err(error)) => {
                    // A failed read restarts the round after the poller's sleep.
                    let sent = check.attempts() > 0;
                    self.check = None;
                    self.round = None;
                    poller.on_check_error(error, cx.now, sent)
                }
            };
            let batch_id = self.op.batch_id().clone();
            return match next {
                Next::Done(Ok(waited)) => {
                    let summary = waited.into_inner();
                    let items = summary.outcomes.unwrap_or_default();
                    let outcome = BatchOutcome {
                        batch_id,
                        status: summary.status,
                        items,
                    };
                    self.finish(Ok(outcome), cx)
                }
                Next::Done(Err(error)) => self.finish(Err(error), cx),
                Next::Sleep(delay) => Next::Sleep(delay),
                _ => self.finish(Err(over()), cx),
            };
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let Some(check) = &mut self.check {
            check.handle(event, cx);
        }
    }
}

/// Creates a video batch (`POST /v3/videos/batches`, one idempotency key for all its retries)
/// and waits for it ([`WaitBatch`] over `GET /v3/videos/batches/{batch_id}`); ends with each
/// video's outcome in the order submitted. Only a deadline's [`Error::WaitTimedOut`] names the
/// batch; a caller that must name it in any later error (to resume with a wait) learns its id
/// from [`on_batch_created`](RunVideoBatch::on_batch_created).
pub struct RunVideoBatch {
    create: Option<CreateVideoBatch>,
    call: Option<Call<CreateVideoBatch>>,
    wait: Option<WaitBatch<GetVideoBatch>>,
    policy: Option<PollPolicy>,
    page_limit: Option<u32>,
    created: Option<CreatedHook>,
    over: bool,
}

/// Called once with the id of a batch just created.
type CreatedHook = Box<dyn FnMut(&BatchId) + Send + 'static>;

impl fmt::Debug for RunVideoBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunVideoBatch")
            .field("created", &self.wait.is_some())
            .field("wait", &self.wait)
            .finish_non_exhaustive()
    }
}

impl RunVideoBatch {
    /// Creates the batch `request`, then waits for it with the configuration's poll policy.
    pub fn new(request: CreateVideoBatchRequest) -> Self {
        Self {
            create: Some(CreateVideoBatch::new(request)),
            call: None,
            wait: None,
            policy: None,
            page_limit: None,
            created: None,
            over: false,
        }
    }

    /// Calls `hook` with the batch id as soon as the batch is created, before the first poll.
    #[must_use]
    pub fn on_batch_created(mut self, hook: impl FnMut(&BatchId) + Send + 'static) -> Self {
        self.created = Some(Box::new(hook));
        self
    }

    /// Uses this idempotency key for the create call instead of a generated one.
    #[must_use]
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.create = self.create.map(|op| op.idempotency_key(key));
        self
    }

    /// Uses this poll policy (intervals and deadline) for the wait.
    #[must_use]
    pub fn policy(mut self, policy: PollPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Reads the batch `limit` items per page (1 to 100; the server's default otherwise).
    #[must_use]
    pub fn page_limit(mut self, limit: u32) -> Self {
        self.page_limit = Some(limit);
        self
    }
}

impl Workflow for RunVideoBatch {
    type Output = BatchOutcome<VideoId>;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Self::Output> {
        if self.over {
            return Next::Done(Err(over()));
        }
        if let Some(wait) = &mut self.wait {
            let next = wait.next(cx);
            if matches!(next, Next::Done(_)) {
                self.over = true;
            }
            return next;
        }
        let call = match &mut self.call {
            Some(call) => call,
            slot @ None => {
                let Some(op) = self.create.take() else {
                    self.over = true;
                    return Next::Done(Err(over()));
                };
                match Call::new(op, cx.config, cx.entropy) {
                    Ok(call) => slot.insert(call),
                    Err(error) => {
                        self.over = true;
                        return Next::Done(Err(error));
                    }
                }
            }
        };
        match delegate(call, cx) {
            Ok(next) => next,
            Err(Ok(created)) => {
                self.call = None;
                if let Some(hook) = &mut self.created {
                    hook(&created.batch_id);
                }
                let mut query = BatchPageQuery::new();
                if let Some(limit) = self.page_limit {
                    query = query.limit(limit);
                }
                let mut wait = WaitBatch::new(GetVideoBatch::new(created.batch_id).page(query));
                if let Some(policy) = self.policy {
                    wait = wait.policy(policy);
                }
                self.wait = Some(wait);
                self.next(cx)
            }
            Err(Err(error)) => {
                self.over = true;
                self.call = None;
                Next::Done(Err(error))
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let Some(wait) = &mut self.wait {
            wait.handle(event, cx);
        } else if let Some(call) = &mut self.call {
            call.handle(event, cx);
        }
    }
}

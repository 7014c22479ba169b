//! Pagination streams and waits, driven by the core's [`Paginator`] and [`Poller`].

use core::pin::Pin;
use std::collections::VecDeque;

use futures_core::Stream;
use heygen_core::poll::{Poll, WaitGoal};
use heygen_core::{
    Error, Operation, PageCursor, Paginate, Paginator, PollPolicy, Pollable, Poller,
    TransportErrorKind,
};
use heygen_model::ListPage;
use tokio::time::Instant;

use crate::client::Client;

/// A stream of every item of a list endpoint, page after page. It ends after the last page,
/// or after yielding one error (a failed page request or a stalled cursor).
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'static>>;

/// What a wait for training ended with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Waited<T> {
    /// Training completed; the last value read.
    Completed(T),
    /// Training waits for the consent of the person in the footage (digital twins); ask for
    /// it with `POST /v3/avatars/{group_id}/consent`, then wait again.
    PendingConsent(T),
}

impl<T> Waited<T> {
    /// The value, whatever the state.
    pub fn into_inner(self) -> T {
        match self {
            Self::Completed(v) | Self::PendingConsent(v) => v,
        }
    }

    /// Whether training completed.
    pub fn is_completed(&self) -> bool {
        matches!(self, Self::Completed(_))
    }
}

struct PageState<O: Paginate, T>
where
    O::Output: PageCursor,
{
    client: Client,
    pages: Paginator<O>,
    buffer: VecDeque<T>,
    pending_error: Option<Error>,
    over: bool,
}

/// Streams every item of `op`'s pages.
pub(crate) fn items<O, T>(client: Client, op: O) -> ItemStream<T>
where
    O: Paginate<Output = ListPage<T>> + Send + Sync + 'static,
    T: Send + 'static,
    ListPage<T>: PageCursor,
{
    let state = PageState {
        client,
        pages: Paginator::new(op),
        buffer: VecDeque::new(),
        pending_error: None,
        over: false,
    };
    Box::pin(futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.buffer.pop_front() {
                return Some((Ok(item), st));
            }
            if let Some(error) = st.pending_error.take() {
                st.over = true;
                return Some((Err(error), st));
            }
            if st.over {
                return None;
            }
            let op = st.pages.next_operation()?;
            match st.client.execute(op).await {
                Ok(page) => {
                    if let Err(error) = st.pages.on_page(&page) {
                        st.pending_error = Some(error);
                    }
                    st.buffer.extend(page.data);
                }
                Err(error) => {
                    st.over = true;
                    return Some((Err(error), st));
                }
            }
        }
    }))
}

/// Polls with `op` until the poller's goal is reached. Each check is one logical call with its
/// own retries; a check still running at the deadline is abandoned.
pub(crate) async fn wait<O, T>(
    client: &Client,
    id: &str,
    op: O,
    policy: PollPolicy,
    goal: WaitGoal,
) -> Result<Waited<T>, Error>
where
    O: Operation<Output = T> + Clone,
    T: Pollable,
{
    let started = Instant::now();
    let mut poller = Poller::new(T::RESOURCE, id, &policy, started.elapsed()).goal(goal);
    loop {
        let remaining = policy.deadline.saturating_sub(started.elapsed());
        let checked = tokio::time::timeout(remaining, client.execute(op.clone())).await;
        let now = started.elapsed();
        let poll = match checked {
            Ok(Ok(value)) => poller.on_status(value, now),
            Ok(Err(error)) => poller.on_error(error, now),
            Err(_elapsed) => {
                poller.on_error(Error::transport(TransportErrorKind::Timeout, None), now)
            }
        };
        match poll {
            Poll::Done(value) => return Ok(Waited::Completed(value)),
            Poll::PendingConsent(value) => return Ok(Waited::PendingConsent(value)),
            Poll::Failed(error) => return Err(error),
            Poll::Wait(delay) => Client::sleep(delay).await,
        }
    }
}

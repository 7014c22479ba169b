//! Pagination streams and waits, driven by the core's [`Items`] walk and [`Poller`].

use core::ops::ControlFlow;
use core::pin::Pin;

use futures_core::Stream;
use heygen_core::paginate::{ItemStep, Items};
use heygen_core::poll::WaitGoal;
pub use heygen_core::poll::Waited;
use heygen_core::{
    Error, Operation, PageCursor, Paginate, PollPolicy, Pollable, Poller, TransportErrorKind,
};
use heygen_model::ListPage;
use tokio::time::Instant;

use crate::client::Client;

/// A stream of every item of a list endpoint, page after page. It ends after the last page,
/// or after yielding one error (a failed page request or a stalled cursor).
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'static>>;

/// Streams every item of `op`'s pages.
pub(crate) fn items<O, T>(client: Client, op: O) -> ItemStream<T>
where
    O: Paginate<Output = ListPage<T>> + Send + Sync + 'static,
    T: Send + 'static,
    ListPage<T>: PageCursor,
{
    let state = (client, Items::new(op));
    Box::pin(futures_util::stream::unfold(
        state,
        |(client, mut items)| async move {
            loop {
                match items.next_step() {
                    ItemStep::Item(item) => return Some((Ok(item), (client, items))),
                    ItemStep::Fetch(op) => {
                        let page = client.execute(op).await;
                        items.on_page(page);
                    }
                    ItemStep::Error(error) => return Some((Err(error), (client, items))),
                    ItemStep::Done => return None,
                }
            }
        },
    ))
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
        match poll.into_flow() {
            ControlFlow::Continue(delay) => Client::sleep(delay).await,
            ControlFlow::Break(outcome) => return outcome,
        }
    }
}

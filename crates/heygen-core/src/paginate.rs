//! [`Paginator`]: walks a list endpoint page by page without ever looping; [`Walk`]: the
//! item-by-item walk over it, as a [`Workflow`] any client runs.

use core::fmt;
use std::collections::{HashSet, VecDeque};

use heygen_model::ListPage;

use crate::call::Call;
use crate::error::{Error, PaginationStalled, StallReason};
use crate::operation::Operation;
use crate::workflow::{Cx, Event, Next, Workflow, delegate, over};

/// The default hard cap on pages per walk.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// How many pages in a row may come back empty while still claiming `has_more` before the walk
/// is a [`StallReason::EmptyPages`] stall.
pub const MAX_EMPTY_PAGES: u32 = 3;

/// The cursor fields of a list page.
pub trait PageCursor {
    /// The `has_more` flag (absent counts as false).
    fn has_more(&self) -> bool;
    /// The `next_token`, if any.
    fn next_token(&self) -> Option<&str>;
    /// How many items the page holds.
    fn item_count(&self) -> usize;
}

/// A list operation that can be repeated with another page token, keeping every filter and the
/// `limit`.
pub trait Paginate: Operation + Sized
where
    Self::Output: PageCursor,
{
    /// The same operation asking for the page at `token` (`None`: the first page).
    #[must_use]
    fn with_token(&self, token: Option<&str>) -> Self;

    /// The page token this operation asks for, if any (to resume a walk).
    fn page_token(&self) -> Option<&str> {
        None
    }
}

/// Walks a list endpoint.
///
/// ```text
/// let mut pages = Paginator::new(ListLooks::new(query));
/// while let Some(op) = pages.next_operation() {
///     let page = send(op)?;            // through a Call, with retries
///     pages.on_page(&page)?;           // may fail with PaginationStalled
///     yield page.data...;
/// }
/// ```
///
/// It stops when `has_more` is false or the next token is null, absent or empty. A token that
/// was already used is an [`Error::PaginationStalled`], and so are [`MAX_EMPTY_PAGES`] empty
/// pages in a row that still report more, and reaching the page cap while the server still
/// reports more pages. It therefore asks for at most `pages + 1` operations.
#[derive(Debug, Clone)]
pub struct Paginator<O> {
    base: O,
    token: Option<String>,
    seen: HashSet<String>,
    pages: u32,
    empty_in_a_row: u32,
    max_pages: u32,
    done: bool,
}

impl<O> Paginator<O>
where
    O: Paginate,
    O::Output: PageCursor,
{
    /// Starts at the page the operation asks for: the first, or the page at its token.
    pub fn new(op: O) -> Self {
        let token = op.page_token().filter(|t| !t.is_empty()).map(str::to_owned);
        Self {
            base: op,
            token,
            seen: HashSet::new(),
            pages: 0,
            empty_in_a_row: 0,
            max_pages: DEFAULT_MAX_PAGES,
            done: false,
        }
    }

    /// Sets the hard page cap (at least 1).
    #[must_use]
    pub fn max_pages(mut self, max: u32) -> Self {
        self.max_pages = max.max(1);
        self
    }

    /// The operation for the next page, or `None` when the walk is over.
    pub fn next_operation(&self) -> Option<O> {
        if self.done {
            return None;
        }
        Some(self.base.with_token(self.token.as_deref()))
    }

    /// Pages received so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// Whether the walk is over.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Records a received page.
    ///
    /// # Errors
    /// [`Error::PaginationStalled`] when the page repeats a token already used, when
    /// [`MAX_EMPTY_PAGES`] pages in a row hold no items yet still report more, or when the page
    /// cap is reached while more pages remain. The walk is over after an error.
    pub fn on_page(&mut self, page: &O::Output) -> Result<(), Error> {
        self.on_cursor(page.has_more(), page.next_token(), page.item_count())
    }

    /// Records a received page by its cursor fields and how many items it held.
    ///
    /// # Errors
    /// As [`Paginator::on_page`].
    pub fn on_cursor(
        &mut self,
        has_more: bool,
        next_token: Option<&str>,
        items: usize,
    ) -> Result<(), Error> {
        if self.done {
            return Ok(());
        }
        self.pages = self.pages.saturating_add(1);
        self.empty_in_a_row = if items == 0 {
            self.empty_in_a_row.saturating_add(1)
        } else {
            0
        };
        if let Some(used) = self.token.take() {
            self.seen.insert(used);
        }
        let next = next_token.filter(|t| !t.is_empty());
        let Some(next) = next.filter(|_| has_more) else {
            self.done = true;
            return Ok(());
        };
        if self.seen.contains(next) {
            self.done = true;
            return Err(self.stalled(StallReason::RepeatedToken));
        }
        if self.empty_in_a_row >= MAX_EMPTY_PAGES {
            self.done = true;
            return Err(self.stalled(StallReason::EmptyPages));
        }
        if self.pages >= self.max_pages {
            self.done = true;
            return Err(self.stalled(StallReason::PageCap));
        }
        self.token = Some(next.to_owned());
        Ok(())
    }

    fn stalled(&self, reason: StallReason) -> Error {
        Error::PaginationStalled(Box::new(PaginationStalled {
            path: self.base.path_template(),
            reason,
            pages: self.pages,
        }))
    }
}

/// Walks every item of a list endpoint: one [`Call`] per page (with its retries), the items
/// handed out one at a time ([`Next::Yield`]); it ends after the last page ([`Next::Done`] with
/// `Ok(())`) or with one error (a failed page, or a stalled cursor once the page's items are
/// out).
///
/// ```
/// use heygen_core::{Walk, ops::ListLooks};
/// use heygen_model::ListLooksQuery;
///
/// let walk = Walk::new(ListLooks::new(ListLooksQuery::new().limit(50)));
/// // client.items(walk): an iterator (blocking) or a stream (async) of looks
/// # let _ = walk;
/// ```
pub struct Walk<O, T>
where
    O: Operation<Output = ListPage<T>>,
{
    pages: Paginator<O>,
    buffer: VecDeque<T>,
    pending: Option<Error>,
    page: Option<Call<O>>,
    over: bool,
    ended: bool,
}

impl<O, T> fmt::Debug for Walk<O, T>
where
    O: Paginate<Output = ListPage<T>>,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Walk")
            .field("pages", &self.pages.pages())
            .field("buffered", &self.buffer.len())
            .field("over", &self.over)
            .finish_non_exhaustive()
    }
}

impl<O, T> Walk<O, T>
where
    O: Paginate<Output = ListPage<T>>,
{
    /// Starts a walk at the page `op` asks for, repeating its filters and `limit` on every page.
    pub fn new(op: O) -> Self {
        Self {
            pages: Paginator::new(op),
            buffer: VecDeque::new(),
            pending: None,
            page: None,
            over: false,
            ended: false,
        }
    }

    /// Sets the hard page cap (at least 1).
    #[must_use]
    pub fn max_pages(mut self, max: u32) -> Self {
        self.pages = self.pages.max_pages(max);
        self
    }

    /// Items received but not yet handed out.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// Whether the walk is over.
    pub fn is_over(&self) -> bool {
        self.over
    }
}

impl<O, T> Workflow for Walk<O, T>
where
    O: Paginate<Output = ListPage<T>>,
{
    type Output = ();
    type Item = T;

    fn next(&mut self, cx: &Cx<'_>) -> Next<(), T> {
        if self.ended {
            return Next::Done(Err(over()));
        }
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Next::Yield(item);
            }
            if let Some(error) = self.pending.take() {
                self.over = true;
                self.ended = true;
                return Next::Done(Err(error));
            }
            if self.over {
                self.ended = true;
                return Next::Done(Ok(()));
            }
            let page = match &mut self.page {
                Some(page) => page,
                slot @ None => {
                    let Some(op) = self.pages.next_operation() else {
                        self.over = true;
                        continue;
                    };
                    match Call::new(op, cx.config, cx.entropy) {
                        Ok(call) => slot.insert(call),
                        Err(error) => {
                            self.pending = Some(error);
                            continue;
                        }
                    }
                }
            };
            match delegate(page, cx) {
                Ok(next) => return next,
                Err(result) => {
                    self.page = None;
                    match result {
                        Ok(page) => {
                            if let Err(error) = self.pages.on_page(&page) {
                                self.pending = Some(error);
                            }
                            self.buffer.extend(page.data);
                        }
                        Err(error) => self.pending = Some(error),
                    }
                }
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let Some(page) = &mut self.page {
            page.handle(event, cx);
        }
    }
}

#[cfg(test)]
mod tests {
    use core::time::Duration;

    use super::*;
    use crate::config::Config;
    use crate::ops::ListLooks;

    fn page(ids: usize, next: Option<&str>) -> String {
        let looks: Vec<_> = (0..ids)
            .map(
                |i| serde_json::json!({ "id": format!("look_{i}"), "avatar_type": "photo_avatar" }),
            )
            .collect();
        serde_json::json!({ "data": looks, "has_more": next.is_some(), "next_token": next })
            .to_string()
    }

    /// Runs a walk over scripted pages; returns the steps ("fetch", "item", "error", "done").
    fn walk(pages: &[String]) -> Vec<&'static str> {
        let config = Config::builder().api_key("k").build().unwrap();
        let mut walk = Walk::new(ListLooks::default());
        let mut pages = pages.iter();
        let mut steps = Vec::new();
        for _ in 0..100 {
            let cx = Cx::new(&config, Duration::ZERO, [0; 16]);
            match walk.next(&cx) {
                Next::Send(_) => {
                    steps.push("fetch");
                    let body = pages.next().unwrap();
                    let response = http::Response::new(body.as_bytes());
                    walk.handle(
                        Event::Response {
                            response,
                            sent: None,
                        },
                        &cx,
                    );
                }
                Next::Yield(_) => steps.push("item"),
                Next::Done(Ok(())) => {
                    steps.push("done");
                    break;
                }
                Next::Done(Err(_)) => {
                    steps.push("error");
                    break;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        steps
    }

    #[test]
    fn items_walk_pages_then_stop() {
        let steps = walk(&[page(2, Some("t1")), page(1, None)]);
        assert_eq!(steps, ["fetch", "item", "item", "fetch", "item", "done"]);
    }

    #[test]
    fn empty_pages_that_claim_more_stall() {
        let steps = walk(&[
            page(0, Some("t1")),
            page(0, Some("t2")),
            page(0, Some("t3")),
        ]);
        assert_eq!(steps, ["fetch", "fetch", "fetch", "error"]);
    }

    #[test]
    fn a_stall_is_reported_after_the_page_and_a_failed_page_at_once() {
        let steps = walk(&[page(1, Some("t1")), page(1, Some("t1"))]);
        assert_eq!(steps, ["fetch", "item", "fetch", "item", "error"]);
        let failed = walk(&["{\"error\":{\"code\":\"bad\",\"message\":\"no\"}}".to_owned()]);
        assert_eq!(failed, ["fetch", "error"]);
    }
}

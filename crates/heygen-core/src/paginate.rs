//! [`Paginator`]: walks a list endpoint page by page without ever looping; [`Items`]: the
//! item-by-item walk over it that both transports run.

use std::collections::{HashSet, VecDeque};

use heygen_model::ListPage;

use crate::error::{Error, PaginationStalled, StallReason};
use crate::operation::Operation;

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

/// What a transport does next while walking every item of a list endpoint.
#[derive(Debug)]
pub enum ItemStep<O, T> {
    /// Yield this item.
    Item(T),
    /// Send this operation (one logical call, with its retries), then pass the result to
    /// [`Items::on_page`].
    Fetch(O),
    /// Yield this error; the walk is over after it.
    Error(Error),
    /// The walk is over.
    Done,
}

/// The item-by-item walk both transports run over a [`Paginator`]: buffers each page's items,
/// hands out the next page's operation when the buffer is empty, and ends after the last page
/// or after one error (a failed page, or a stalled cursor once the page's items are out).
///
/// ```text
/// let mut items = Items::new(op);
/// loop {
///     match items.next_step() {
///         ItemStep::Item(item) => yield Ok(item),
///         ItemStep::Fetch(op) => items.on_page(send(op)),
///         ItemStep::Error(error) => { yield Err(error); }
///         ItemStep::Done => break,
///     }
/// }
/// ```
#[derive(Debug)]
pub struct Items<O, T> {
    pages: Paginator<O>,
    buffer: VecDeque<T>,
    pending: Option<Error>,
    over: bool,
}

impl<O, T> Items<O, T>
where
    O: Paginate<Output = ListPage<T>>,
    ListPage<T>: PageCursor,
{
    /// Starts a walk at the page `op` asks for.
    pub fn new(op: O) -> Self {
        Self {
            pages: Paginator::new(op),
            buffer: VecDeque::new(),
            pending: None,
            over: false,
        }
    }

    /// Items received but not yet handed out.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// Whether the walk is over (every buffered item still comes out first).
    pub fn is_over(&self) -> bool {
        self.over
    }

    /// What to do next.
    pub fn next_step(&mut self) -> ItemStep<O, T> {
        if let Some(item) = self.buffer.pop_front() {
            return ItemStep::Item(item);
        }
        if let Some(error) = self.pending.take() {
            self.over = true;
            return ItemStep::Error(error);
        }
        if self.over {
            return ItemStep::Done;
        }
        if let Some(op) = self.pages.next_operation() {
            ItemStep::Fetch(op)
        } else {
            self.over = true;
            ItemStep::Done
        }
    }

    /// Records the result of the last [`ItemStep::Fetch`]: a page's items are buffered (a
    /// stalled cursor is reported after them); a failed page is reported next.
    pub fn on_page(&mut self, result: Result<ListPage<T>, Error>) {
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

#[cfg(test)]
mod tests {
    use heygen_model::Look;

    use super::*;
    use crate::ops::ListLooks;

    fn page(ids: usize, next: Option<&str>) -> ListPage<Look> {
        let looks = (0..ids)
            .map(|i| {
                serde_json::from_value(
                    serde_json::json!({ "id": format!("look_{i}"), "avatar_type": "photo_avatar" }),
                )
            })
            .collect::<Result<Vec<Look>, _>>()
            .unwrap();
        ListPage::new(looks, next.is_some(), next.map(str::to_owned))
    }

    #[test]
    fn empty_pages_that_claim_more_stall() {
        let mut items = Items::new(ListLooks::default());
        for token in ["t1", "t2"] {
            assert!(matches!(items.next_step(), ItemStep::Fetch(_)));
            items.on_page(Ok(page(0, Some(token))));
        }
        assert!(matches!(items.next_step(), ItemStep::Fetch(_)));
        items.on_page(Ok(page(0, Some("t3"))));
        let ItemStep::Error(Error::PaginationStalled(s)) = items.next_step() else {
            panic!("expected a stall")
        };
        assert_eq!(s.reason, StallReason::EmptyPages);
        assert_eq!(s.pages, MAX_EMPTY_PAGES);
        assert!(matches!(items.next_step(), ItemStep::Done));
    }

    #[test]
    fn items_walk_pages_then_stop() {
        let mut items = Items::new(ListLooks::default());
        assert!(matches!(items.next_step(), ItemStep::Fetch(_)));
        items.on_page(Ok(page(2, Some("t1"))));
        assert!(matches!(items.next_step(), ItemStep::Item(_)));
        assert!(matches!(items.next_step(), ItemStep::Item(_)));
        assert!(matches!(items.next_step(), ItemStep::Fetch(_)));
        items.on_page(Ok(page(1, None)));
        assert!(matches!(items.next_step(), ItemStep::Item(_)));
        assert!(matches!(items.next_step(), ItemStep::Done));
        assert!(items.is_over());
        assert!(matches!(items.next_step(), ItemStep::Done));
    }

    #[test]
    fn items_report_a_stall_after_the_page_and_a_failed_page_at_once() {
        let mut items = Items::new(ListLooks::default());
        let _ = items.next_step();
        items.on_page(Ok(page(1, Some("t1"))));
        let _ = items.next_step();
        let _ = items.next_step();
        items.on_page(Ok(page(1, Some("t1"))));
        assert!(matches!(items.next_step(), ItemStep::Item(_)));
        assert!(matches!(
            items.next_step(),
            ItemStep::Error(Error::PaginationStalled(_))
        ));
        assert!(matches!(items.next_step(), ItemStep::Done));

        let mut failed = Items::<ListLooks, Look>::new(ListLooks::default());
        let _ = failed.next_step();
        failed.on_page(Err(Error::invalid_request(None, "boom")));
        assert!(matches!(failed.next_step(), ItemStep::Error(_)));
        assert!(matches!(failed.next_step(), ItemStep::Done));
    }
}

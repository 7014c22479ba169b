//! [`Paginator`]: walks a list endpoint page by page without ever looping.

use std::collections::HashSet;

use crate::error::{Error, PaginationStalled, StallReason};
use crate::operation::Operation;

/// The default hard cap on pages per walk.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// The cursor fields of a list page.
pub trait PageCursor {
    /// The `has_more` flag (absent counts as false).
    fn has_more(&self) -> bool;
    /// The `next_token`, if any.
    fn next_token(&self) -> Option<&str>;
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
/// was already used is an [`Error::PaginationStalled`], and so is reaching the page cap while the
/// server still reports more pages. It therefore asks for at most `pages + 1` operations.
#[derive(Debug, Clone)]
pub struct Paginator<O> {
    base: O,
    token: Option<String>,
    seen: HashSet<String>,
    pages: u32,
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
    /// [`Error::PaginationStalled`] when the page repeats a token already used, or when the page
    /// cap is reached while more pages remain. The walk is over after an error.
    pub fn on_page(&mut self, page: &O::Output) -> Result<(), Error> {
        self.on_cursor(page.has_more(), page.next_token())
    }

    /// Records a received page by its cursor fields.
    ///
    /// # Errors
    /// As [`Paginator::on_page`].
    pub fn on_cursor(&mut self, has_more: bool, next_token: Option<&str>) -> Result<(), Error> {
        if self.done {
            return Ok(());
        }
        self.pages = self.pages.saturating_add(1);
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

//! Shared pieces of the operations.

use http::{Method, Response};
use serde::de::DeserializeOwned;

use heygen_model::{DeletedResource, IdempotencyKey, ListPage};

use crate::error::Error;
use crate::paginate::PageCursor;
use crate::response::{Meta, ResponseLimits, Target, parse_response};

/// Decodes the `data` member of any response.
pub(crate) fn data<T: DeserializeOwned>(
    method: &Method,
    path: &'static str,
    response: &Response<&[u8]>,
    limits: &ResponseLimits,
) -> Result<T, Error> {
    parse_response(Meta { method, path }, Target::Data, response, limits)
}

/// Decodes a whole list page.
pub(crate) fn page<T: DeserializeOwned>(
    method: &Method,
    path: &'static str,
    response: &Response<&[u8]>,
    limits: &ResponseLimits,
) -> Result<ListPage<T>, Error> {
    parse_response(Meta { method, path }, Target::Whole, response, limits)
}

/// Decodes a delete response; a 2xx with an empty body (`204`) counts as deleted `id`.
pub(crate) fn deleted(
    method: &Method,
    path: &'static str,
    id: &str,
    response: &Response<&[u8]>,
    limits: &ResponseLimits,
) -> Result<DeletedResource, Error> {
    if response.status().is_success() && response.body().is_empty() {
        return serde_json::from_value(serde_json::json!({ "id": id })).map_err(|e| {
            Error::invalid_request(None, format!("could not build the delete result: {e}"))
        });
    }
    data(method, path, response, limits)
}

/// The key as header text.
pub(crate) fn key_str(key: Option<&IdempotencyKey>) -> Option<&str> {
    key.map(IdempotencyKey::as_str)
}

impl<T> PageCursor for ListPage<T> {
    fn has_more(&self) -> bool {
        ListPage::has_more(self)
    }

    fn next_token(&self) -> Option<&str> {
        ListPage::next_token(self)
    }

    fn item_count(&self) -> usize {
        self.data.len()
    }
}

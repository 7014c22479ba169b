//! The list envelope shared by paginated endpoints, and the delete response.

use serde::{Deserialize, Serialize};

use crate::avatar::null_as_default;

/// One page of a list endpoint: the whole JSON body, `data` included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
#[non_exhaustive]
pub struct ListPage<T> {
    /// Items on this page. The `data` member is required: a body without it (a proxy's `{}`,
    /// another API's `{"result": …}`) is a decode error, not an empty list. `"data": null` reads
    /// as an empty page.
    #[serde(deserialize_with = "null_as_default")]
    pub data: Vec<T>,
    /// Whether another page follows (absent means `false`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_more: bool,
    /// Cursor for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl<T> ListPage<T> {
    /// A page from its parts.
    pub fn new(data: Vec<T>, has_more: bool, next_token: Option<String>) -> Self {
        Self {
            data,
            has_more,
            next_token,
        }
    }

    /// The cursor to request next, or `None` when this is the last page. A page that says
    /// `has_more` but gives no (or an empty) token is treated as the last page.
    pub fn next_token(&self) -> Option<&str> {
        if self.has_more {
            self.next_token.as_deref().filter(|t| !t.is_empty())
        } else {
            None
        }
    }
}

/// Response of a delete (`DELETE /v3/avatars/{group_id}`, `…/looks/{look_id}`,
/// `/v3/videos/{video_id}`), inside `data`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct DeletedResource {
    /// Id of the deleted resource.
    pub id: String,
    /// Whether it was deleted (videos only; absent elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
}

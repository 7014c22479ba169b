//! The list envelope shared by paginated endpoints, and the delete response.

use serde::de;
use serde::{Deserialize, Deserializer, Serialize};

/// One page of a list endpoint: the whole JSON body, `data` included.
///
/// Decoding follows the reference, where `data`, `has_more` and `next_token` are all optional:
///
/// - `data` absent or `null` reads as an empty page, but only in a body that is recognizably a
///   page (it has a `has_more` or `next_token` member). A body with none of the three (a proxy's
///   `{}`, another API's `{"result": …}`) is a decode error naming `data`, not an empty list
///   that would silently end a walk.
/// - `has_more` absent or `null` is `None`: then a non-empty `next_token` alone says another
///   page follows (see [`ListPage::has_more`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct ListPage<T> {
    /// Items on this page.
    pub data: Vec<T>,
    /// Whether another page follows, as sent; `None` when the member is absent or `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// Cursor for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// A member of a JSON object: absent, or present (possibly `null`).
#[derive(Default)]
enum Member<T> {
    #[default]
    Absent,
    Present(Option<T>),
}

impl<T> Member<T> {
    fn is_present(&self) -> bool {
        matches!(self, Self::Present(_))
    }

    fn value(self) -> Option<T> {
        match self {
            Self::Absent => None,
            Self::Present(value) => value,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Member<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Self::Present)
    }
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct RawPage<T> {
    #[serde(default)]
    data: Member<Vec<T>>,
    #[serde(default)]
    has_more: Member<bool>,
    #[serde(default)]
    next_token: Member<String>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ListPage<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawPage::<T>::deserialize(deserializer)?;
        let is_page = raw.has_more.is_present() || raw.next_token.is_present();
        let data = match raw.data {
            Member::Present(data) => data.unwrap_or_default(),
            Member::Absent if is_page => Vec::new(),
            Member::Absent => return Err(de::Error::missing_field("data")),
        };
        Ok(Self {
            data,
            has_more: raw.has_more.value(),
            next_token: raw.next_token.value(),
        })
    }
}

impl<T> ListPage<T> {
    /// A page from its parts.
    pub fn new(data: Vec<T>, has_more: bool, next_token: Option<String>) -> Self {
        Self {
            data,
            has_more: Some(has_more),
            next_token,
        }
    }

    /// Whether another page follows: `has_more` when the server sent it; when it did not, whether
    /// there is a non-empty `next_token` (a cursor is only given for a page that exists). An
    /// explicit `has_more: false` wins over a token.
    pub fn has_more(&self) -> bool {
        self.has_more
            .unwrap_or_else(|| self.next_token.as_deref().is_some_and(|t| !t.is_empty()))
    }

    /// The cursor to request next, or `None` when this is the last page. A page that says
    /// `has_more` but gives no (or an empty) token is treated as the last page.
    pub fn next_token(&self) -> Option<&str> {
        if self.has_more() {
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

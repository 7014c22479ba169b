//! The batch read model both batch APIs share: `GET /v3/videos/batches/{batch_id}` and
//! `GET /v3/assets/batches/{batch_id}` answer the same [`Batch`] shape, one page of items at a
//! time, with the page cursor inside `data` (not beside it as in list endpoints).
//!
//! Each item carries the id of what it produced in a member named `video_id`, also for asset
//! batches, where it holds an asset id; [`Batch`] is generic over that id type
//! ([`VideoBatch`], [`AssetBatch`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::enums::{BatchItemStatus, BatchStatus};
use crate::error::ResourceError;
use crate::ids::{AssetId, BatchId, VideoId};
use crate::macros::page_cursor_setters;
use crate::time::Timestamp;
use crate::validate::{self, ValidationError};

/// Largest `limit` for a page of batch items, and the server default.
pub const MAX_BATCH_PAGE_LIMIT: u32 = 100;

/// A batch with one page of its items (inside `data`).
///
/// Decoding tolerates what a list page tolerates: missing counts, `null` lists and unknown
/// statuses; only `batch_id` is required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(bound(serialize = "I: Serialize", deserialize = "I: Deserialize<'de>"))]
#[non_exhaustive]
pub struct Batch<I> {
    /// Batch id.
    pub batch_id: BatchId,
    /// Aggregate status; `None` when absent or `null` (then not finished).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BatchStatus>,
    /// Number of items submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_items: Option<u64>,
    /// Item counts keyed by item status (`queued`, `processing`, `completed`, `failed`, …). A
    /// count that is not a whole number is left out rather than rejecting the batch.
    #[serde(
        default,
        deserialize_with = "lenient_counts",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub counts_by_status: BTreeMap<String, u64>,
    /// When the batch was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// This page of items, ordered by `item_index`.
    #[serde(default, deserialize_with = "crate::avatar::null_as_default")]
    pub items: Vec<BatchItem<I>>,
    /// Whether more items follow this page, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// Cursor for the next page of items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One value of `counts_by_status`: a count, or anything else (skipped).
#[derive(Deserialize)]
#[serde(untagged)]
enum Count {
    Whole(u64),
    Other(serde::de::IgnoredAny),
}

/// `counts_by_status` as sent, `null` as empty, keeping only whole-number counts.
fn lenient_counts<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, u64>, D::Error> {
    let raw = Option::<BTreeMap<String, Count>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(raw
        .into_iter()
        .filter_map(|(status, count)| match count {
            Count::Whole(n) => Some((status, n)),
            Count::Other(_) => None,
        })
        .collect())
}

/// A video batch (`GET /v3/videos/batches/{batch_id}`).
pub type VideoBatch = Batch<VideoId>;

/// An asset batch (`GET /v3/assets/batches/{batch_id}`); each item's id is an asset id.
pub type AssetBatch = Batch<AssetId>;

impl<I> Batch<I> {
    /// Whether another page of items follows: `has_more` when sent, otherwise whether there is
    /// a non-empty `next_token`. An explicit `has_more: false` wins over a token.
    pub fn has_more(&self) -> bool {
        self.has_more
            .unwrap_or_else(|| self.next_token.as_deref().is_some_and(|t| !t.is_empty()))
    }

    /// The cursor for the next page of items, or `None` on the last page (also when the page
    /// says `has_more` but gives no or an empty token).
    pub fn next_token(&self) -> Option<&str> {
        if self.has_more() {
            self.next_token.as_deref().filter(|t| !t.is_empty())
        } else {
            None
        }
    }
}

/// One item of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(bound(serialize = "I: Serialize", deserialize = "I: Deserialize<'de>"))]
#[non_exhaustive]
pub struct BatchItem<I> {
    /// Zero-based position of the item in the submitted list.
    pub item_index: u64,
    /// Status; `None` when absent or `null` (then not finished).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BatchItemStatus>,
    /// What the item produced (a video id, or an asset id in an asset batch), once created.
    /// The wire name is `video_id` in both batch APIs.
    #[serde(rename = "video_id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<I>,
    /// Why the item failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResourceError>,
}

impl<I> BatchItem<I> {
    /// An item from its parts (for tests and emulators).
    pub fn new(item_index: u64, status: BatchItemStatus, id: Option<I>) -> Self {
        Self {
            item_index,
            status: Some(status),
            id,
            error: None,
        }
    }

    /// The same item carrying `error`.
    #[must_use]
    pub fn with_error(mut self, error: ResourceError) -> Self {
        self.error = Some(error);
        self
    }

    /// Whether the item has finished, successfully or not. A missing or unknown status is not.
    pub fn is_terminal(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(BatchItemStatus::is_terminal)
    }
}

/// Query of a page of batch items (`GET /v3/{videos,assets}/batches/{batch_id}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct BatchPageQuery {
    /// Items per page, 1 to [`MAX_BATCH_PAGE_LIMIT`] (the server default is the maximum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Cursor from the previous page's `data.next_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl BatchPageQuery {
    /// The first page with the server's page size.
    pub fn new() -> Self {
        Self::default()
    }

    page_cursor_setters!(with_token);

    /// Query pairs in a fixed order (`limit`, `token`), not yet percent-encoded.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(v) = self.limit {
            pairs.push(("limit", v.to_string()));
        }
        if let Some(v) = &self.token {
            pairs.push(("token", v.clone()));
        }
        pairs
    }

    /// Checks the limit.
    ///
    /// # Errors
    /// [`Rule::OutOfRange`](crate::validate::Rule::OutOfRange) on `limit`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_page_limit(self.limit, MAX_BATCH_PAGE_LIMIT)
    }
}

/// Query pairs of id lists sent comma-joined (`asset_ids=a,b`), in the order given, not yet
/// percent-encoded; an empty list is left out.
pub(crate) fn comma_joined_pairs<const N: usize>(
    lists: [(&'static str, Vec<&str>); N],
) -> Vec<(&'static str, String)> {
    lists
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(name, ids)| (name, ids.join(",")))
        .collect()
}

/// The ids as strings, for [`comma_joined_pairs`] and [`validate_comma_ids`].
pub(crate) fn id_strs<T: AsRef<str>>(ids: &[T]) -> Vec<&str> {
    ids.iter().map(AsRef::as_ref).collect()
}

/// How [`validate_comma_ids`] names a bad id in its error.
#[derive(Clone, Copy)]
pub(crate) enum IdErrorField {
    /// The list's name (`asset_ids`).
    List,
    /// The list's name and the id's index (`video_ids[2]`).
    Indexed,
}

/// Checks the ids of one comma-joined list: none empty or otherwise invalid (see
/// [`validate_id`](validate::validate_id)), none holding a comma (it would split into two).
pub(crate) fn validate_comma_ids<'a>(
    field: &'static str,
    ids: impl IntoIterator<Item = &'a str>,
    naming: IdErrorField,
) -> Result<(), ValidationError> {
    for (i, id) in ids.into_iter().enumerate() {
        let error = |rule| match naming {
            IdErrorField::List => ValidationError::new(field, rule),
            IdErrorField::Indexed => ValidationError::new(format!("{field}[{i}]"), rule),
        };
        validate::validate_id(field, id).map_err(|e| error(e.rule))?;
        if id.contains(',') {
            return Err(error(validate::Rule::ForbiddenCharacter(',')));
        }
    }
    Ok(())
}

/// Checks that `actual` ids stay within `max`, else [`Rule::TooMany`](validate::Rule::TooMany)
/// on `field`.
pub(crate) fn validate_id_count(
    field: &'static str,
    actual: usize,
    max: usize,
) -> Result<(), ValidationError> {
    if actual > max {
        return Err(ValidationError::new(
            field,
            validate::Rule::TooMany { max, actual },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Rule;

    #[test]
    fn comma_joined_pairs_joins_in_order_and_leaves_out_empty_lists() {
        let pairs = comma_joined_pairs([
            ("a_ids", vec!["x", "y"]),
            ("b_ids", vec![]),
            ("c_ids", vec!["z"]),
        ]);
        assert_eq!(
            pairs,
            vec![("a_ids", "x,y".to_owned()), ("c_ids", "z".to_owned())]
        );
    }

    #[test]
    fn validate_comma_ids_names_the_list_or_the_index() {
        let ids = ["v1", "a,b"];
        let listed = validate_comma_ids("video_ids", ids, IdErrorField::List).unwrap_err();
        assert_eq!(
            listed,
            ValidationError::new("video_ids", Rule::ForbiddenCharacter(','))
        );
        let indexed = validate_comma_ids("video_ids", ids, IdErrorField::Indexed).unwrap_err();
        assert_eq!(
            indexed,
            ValidationError::new("video_ids[1]", Rule::ForbiddenCharacter(','))
        );
        let empty = validate_comma_ids("batch_ids", ["b1", ""], IdErrorField::Indexed).unwrap_err();
        assert_eq!(empty, ValidationError::new("batch_ids[1]", Rule::Empty));
        assert!(validate_comma_ids("batch_ids", ["b1", "b2"], IdErrorField::List).is_ok());
    }

    #[test]
    fn validate_id_count_allows_the_max_and_no_more() {
        assert!(validate_id_count("asset_ids", 100, 100).is_ok());
        assert_eq!(
            validate_id_count("asset_ids", 101, 100).unwrap_err(),
            ValidationError::new(
                "asset_ids",
                Rule::TooMany {
                    max: 100,
                    actual: 101
                }
            )
        );
    }
}

//! Id newtypes, one per kind of resource, so ids of different kinds cannot be mixed up.
//!
//! Decoding accepts any string (it is server data); [`new`](LookId::new) checks the rules for
//! ids a caller supplies.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::macros::resource_id;
use crate::validate::{self, ValidationError};

resource_id!(
    /// The id of an avatar group (the identity that owns looks). Used for consent and for
    /// group get/delete; it is not a look id.
    AvatarGroupId,
    "avatar_group_id"
);
resource_id!(
    /// The id of a look (one appearance of an avatar). This is the `avatar_id` that
    /// `POST /v3/videos` takes.
    LookId,
    "look_id"
);
resource_id!(
    /// The id of an uploaded asset.
    AssetId,
    "asset_id"
);
resource_id!(
    /// The id of a video.
    VideoId,
    "video_id"
);
resource_id!(
    /// The id of a voice.
    VoiceId,
    "voice_id"
);
resource_id!(
    /// The id of a video folder.
    FolderId,
    "folder_id"
);
resource_id!(
    /// The id of a batch (`POST /v3/videos/batches`, `POST /v3/assets/batches`).
    BatchId,
    "batch_id"
);

/// A value for the `Idempotency-Key` header: 1 to 255 characters of `[A-Za-z0-9_:.-]`.
///
/// Reuse the same key on every retry of one logical call.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Checks and wraps a key.
    ///
    /// # Errors
    /// Returns a [`ValidationError`] for an empty key, one longer than
    /// [`MAX_IDEMPOTENCY_KEY_LEN`](validate::MAX_IDEMPOTENCY_KEY_LEN), or one with a
    /// character outside `[A-Za-z0-9_:.-]`.
    pub fn new(key: impl Into<String>) -> Result<Self, ValidationError> {
        let key = key.into();
        validate::validate_idempotency_key(&key)?;
        Ok(Self(key))
    }

    /// The key as sent in the header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<IdempotencyKey> for String {
    fn from(value: IdempotencyKey) -> Self {
        value.0
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdempotencyKey").field(&self.0).finish()
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(feature = "proptest")]
impl proptest::arbitrary::Arbitrary for IdempotencyKey {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        use proptest::strategy::Strategy as _;
        "[A-Za-z0-9_:.-]{1,64}".prop_map(IdempotencyKey).boxed()
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for IdempotencyKey {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        const ALPHABET: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:.-";
        let len = u.int_in_range(1..=64usize)?;
        let mut key = String::with_capacity(len);
        for _ in 0..len {
            key.push(char::from(*u.choose(ALPHABET)?));
        }
        Ok(Self(key))
    }
}

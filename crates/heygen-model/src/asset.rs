//! Asset inputs (`url`, `asset_id`, `base64`), `POST /v3/assets`, direct uploads
//! (`POST /v3/assets/direct-uploads`, `POST /v3/assets/{asset_id}/complete`), upload batches
//! (`POST /v3/assets/direct-uploads/batches`, `POST /v3/assets/complete/batches`), and the
//! workspace's assets (`GET /v3/assets`, `GET /v3/assets/{asset_id}`, `GET /v3/assets/statuses`).

use core::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::batch;
use crate::enums::UploadStatus;
use crate::error::ResourceError;
use crate::ids::{AssetId, BatchId, FolderId};
use crate::macros::{open_enum, option_setters, page_cursor_setters};
use crate::secret::{Base64Data, PresignedUrl};
use crate::time::Timestamp;
use crate::validate::{self, Rule, ValidationError};

/// Largest page of `GET /v3/assets`.
pub const MAX_ASSET_PAGE_LIMIT: u32 = 100;
/// Most files in one `POST /v3/assets/direct-uploads/batches`.
pub const MAX_UPLOAD_BATCH_FILES: usize = 100;
/// Most ids (assets and batches together) in one `GET /v3/assets/statuses`.
pub const MAX_ASSET_STATUS_IDS: usize = 100;

/// A file given to HeyGen inline: a public HTTPS URL, an uploaded asset, or base64 bytes.
///
/// Encodes as `{"type":"url","url":…}`, `{"type":"asset_id","asset_id":…}` or
/// `{"type":"base64","media_type":…,"data":…}`. `Debug` shows only the length of base64 data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum AssetInput {
    /// A public `https` URL HeyGen downloads.
    Url {
        /// The URL.
        url: String,
    },
    /// An asset uploaded earlier.
    AssetId {
        /// The asset id.
        asset_id: AssetId,
    },
    /// Inline bytes as standard base64.
    Base64 {
        /// MIME type of the bytes, such as `image/png`.
        media_type: String,
        /// The base64 payload, without a `data:` prefix.
        data: Base64Data,
    },
}

impl AssetInput {
    /// An input HeyGen downloads from `url` (checked by [`validate`](Self::validate)).
    pub fn url(url: impl Into<String>) -> Self {
        Self::Url { url: url.into() }
    }

    /// An input that refers to an uploaded asset.
    pub fn asset_id(asset_id: AssetId) -> Self {
        Self::AssetId { asset_id }
    }

    /// Encodes `bytes` as base64 after checking that `media_type` is a MIME type and matches the
    /// file's magic bytes (PNG, JPEG, MP4, WebM, MP3, WAV).
    ///
    /// # Errors
    /// [`Rule::InvalidMediaType`], [`Rule::MediaTypeMismatch`] or [`Rule::Empty`].
    pub fn base64_from_bytes(
        media_type: impl Into<String>,
        bytes: &[u8],
    ) -> Result<Self, ValidationError> {
        let media_type = media_type.into();
        if bytes.is_empty() {
            return Err(ValidationError::new("data", Rule::Empty));
        }
        validate::validate_media_type_matches(&media_type, bytes)?;
        Ok(Self::Base64 {
            media_type,
            data: Base64Data::encode(bytes),
        })
    }

    /// Splits a `data:<media type>;base64,<data>` URI into `media_type` and `data`, checking
    /// both. A URI without `;base64` is rejected, since HeyGen takes only base64.
    ///
    /// # Errors
    /// [`Rule::DataUriPrefix`] when the text is not a base64 data URI, then the rules of
    /// [`validate_media_type`](validate::validate_media_type) and
    /// [`validate_base64`](validate::validate_base64).
    pub fn from_data_uri(uri: &str) -> Result<Self, ValidationError> {
        let rest = uri
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("data:"))
            .map(|_| &uri[5..])
            .ok_or_else(|| ValidationError::new("data", Rule::DataUriPrefix))?;
        let (meta, data) = rest
            .split_once(',')
            .ok_or_else(|| ValidationError::new("data", Rule::DataUriPrefix))?;
        let media_type = meta
            .strip_suffix(";base64")
            .ok_or_else(|| ValidationError::new("data", Rule::InvalidBase64))?;
        validate::validate_media_type("media_type", media_type)?;
        validate::validate_base64("data", data)?;
        Ok(Self::Base64 {
            media_type: media_type.to_owned(),
            data: Base64Data::from_base64(data)?,
        })
    }

    /// The wire `type` of this input.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Url { .. } => "url",
            Self::AssetId { .. } => "asset_id",
            Self::Base64 { .. } => "base64",
        }
    }

    /// Checks the input: https URL, valid asset id, or valid media type plus base64 data.
    ///
    /// # Errors
    /// A [`ValidationError`] whose field is relative to the input (`url`, `asset_id`,
    /// `media_type`, `data`); callers prefix it with [`ValidationError::within`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Url { url } => validate::validate_https_url("url", url),
            Self::AssetId { asset_id } => validate::validate_id("asset_id", asset_id.as_str()),
            Self::Base64 { media_type, data } => {
                validate::validate_media_type("media_type", media_type)?;
                validate::validate_base64("data", data.as_str())
            }
        }
    }
}

/// `POST /v3/assets` response: the uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Asset {
    /// Id to pass as an [`AssetInput::AssetId`].
    pub asset_id: AssetId,
    /// Where the file can be fetched; `Debug` hides its query, which may be a signature.
    pub url: PresignedUrl,
    /// MIME type HeyGen detected.
    pub mime_type: String,
    /// Size in bytes.
    #[serde(deserialize_with = "crate::num::number")]
    pub size_bytes: u64,
}

/// `POST /v3/assets/direct-uploads` request: announce a file to upload to storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CreateDirectUploadRequest {
    /// File name, such as `footage.mp4`.
    pub filename: String,
    /// MIME type of the file.
    pub content_type: String,
    /// Exact size of the file in bytes.
    pub size_bytes: u64,
    /// SHA-256 of the file as hex, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum_sha256: Option<String>,
}

impl CreateDirectUploadRequest {
    /// A request for a file of `size_bytes` bytes.
    pub fn new(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        size_bytes: u64,
    ) -> Self {
        Self {
            filename: filename.into(),
            content_type: content_type.into(),
            size_bytes,
            checksum_sha256: None,
        }
    }

    /// Sets the hex SHA-256 of the file.
    #[must_use]
    pub fn checksum_sha256(mut self, hex: impl Into<String>) -> Self {
        self.checksum_sha256 = Some(hex.into());
        self
    }

    /// Checks the request. The file name is metadata only and is not checked; the size is
    /// left to the server (the reference sets no lower bound, so an empty file is its call).
    ///
    /// # Errors
    /// Invalid `content_type`, or a checksum that is not 64 hex characters.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_media_type("content_type", &self.content_type)?;
        if let Some(hex) = &self.checksum_sha256 {
            validate::validate_sha256_hex("checksum_sha256", hex)?;
        }
        Ok(())
    }
}

/// `POST /v3/assets/{asset_id}/complete` request body. Empty options encode as `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CompleteUploadRequest {
    /// SHA-256 of the uploaded file as hex, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum_sha256: Option<String>,
}

impl CompleteUploadRequest {
    /// An empty request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the hex SHA-256 of the file.
    #[must_use]
    pub fn checksum_sha256(mut self, hex: impl Into<String>) -> Self {
        self.checksum_sha256 = Some(hex.into());
        self
    }

    /// Checks the request.
    ///
    /// # Errors
    /// A checksum that is not 64 hex characters.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(hex) = &self.checksum_sha256 {
            validate::validate_sha256_hex("checksum_sha256", hex)?;
        }
        Ok(())
    }
}

/// Headers to send with the presigned `PUT`, in the order HeyGen returned them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct UploadHeaders(Vec<(String, String)>);

impl UploadHeaders {
    /// Headers from name/value pairs.
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// The name/value pairs in order.
    pub fn as_slice(&self) -> &[(String, String)] {
        &self.0
    }

    /// Iterates over `(name, value)` pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// Number of headers.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for UploadHeaders {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for UploadHeaders {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadersVisitor;
        impl<'de> Visitor<'de> for HeadersVisitor {
            type Value = UploadHeaders;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of header names to string, number or boolean values, or null")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<UploadHeaders, E> {
                Ok(UploadHeaders::default())
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<UploadHeaders, E> {
                Ok(UploadHeaders::default())
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut access: A,
            ) -> Result<UploadHeaders, A::Error> {
                let mut pairs: Vec<(String, String)> = Vec::new();
                while let Some(k) = access.next_key::<String>()? {
                    let v = access
                        .next_value::<HeaderValueText>()
                        .map_err(|e| {
                            serde::de::Error::custom(format_args!("upload header `{k}`: {e}"))
                        })?
                        .0;
                    // A later duplicate replaces the earlier value, as a JSON map would.
                    if let Some(slot) = pairs.iter_mut().find(|(name, _)| *name == k) {
                        slot.1 = v;
                    } else {
                        pairs.push((k, v));
                    }
                }
                Ok(UploadHeaders(pairs))
            }
        }
        deserializer.deserialize_any(HeadersVisitor)
    }
}

/// One `upload_headers` value as header text. The reference types the map's values as nothing
/// more than "sent verbatim", so a JSON string is taken as is and a number or boolean as its
/// JSON text (`5242880`, `true`); `null`, an array or an object has no header form and is a
/// decode error naming the header, never a header silently dropped.
struct HeaderValueText(String);

impl<'de> Deserialize<'de> for HeaderValueText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl Visitor<'_> for ValueVisitor {
            type Value = HeaderValueText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean header value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<HeaderValueText, E> {
                Ok(HeaderValueText(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<HeaderValueText, E> {
                Ok(HeaderValueText(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<HeaderValueText, E> {
                Ok(HeaderValueText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<HeaderValueText, E> {
                Ok(HeaderValueText(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<HeaderValueText, E> {
                // serde_json's own text for the number (`1.5`, `100.0`), as HeyGen wrote it.
                serde_json::to_string(&v)
                    .map(HeaderValueText)
                    .map_err(E::custom)
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<HeaderValueText, E> {
                Ok(HeaderValueText(v.to_string()))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// `POST /v3/assets/direct-uploads` response: where and how to `PUT` the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct DirectUpload {
    /// Id of the asset once complete.
    pub asset_id: AssetId,
    /// Presigned URL for the `PUT`; send it byte-for-byte.
    pub upload_url: PresignedUrl,
    /// Exactly the headers to send with the `PUT`, and no others.
    #[serde(default, deserialize_with = "crate::avatar::null_as_default")]
    pub upload_headers: UploadHeaders,
    /// Most bytes the upload accepts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub max_bytes: Option<u64>,
    /// Seconds until `upload_url` expires.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub expires_in_seconds: Option<u64>,
    /// State of the upload, normally `pending_upload`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UploadStatus>,
}

/// `POST /v3/assets/{asset_id}/complete` response: the finished asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CompletedUpload {
    /// The asset id.
    pub asset_id: AssetId,
    /// Where the file can be fetched; `Debug` hides its query, which may be a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<PresignedUrl>,
    /// MIME type of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Size in bytes.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub size_bytes: Option<u64>,
    /// State of the asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UploadStatus>,
}

open_enum! {
    /// The kind of file an asset holds (`type` of `GET /v3/assets/{asset_id}`).
    pub enum AssetType {
        /// A still image.
        Image = "image",
        /// A video.
        Video = "video",
        /// Audio.
        Audio = "audio",
        /// A font.
        Font = "font",
        /// A PDF document.
        Pdf = "pdf",
    }
}

/// An asset in the workspace (`GET /v3/assets/{asset_id}`, items of `GET /v3/assets`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct AssetDetails {
    /// Asset id.
    pub id: AssetId,
    /// Display name.
    #[serde(default, deserialize_with = "crate::avatar::null_as_default")]
    pub name: String,
    /// Kind of file; `None` when absent or `null`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub asset_type: Option<AssetType>,
    /// User name of the workspace member who owns it (the `username` of `GET /v3/assets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Space the asset belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space_id: Option<String>,
    /// When it was uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploaded_at: Option<Timestamp>,
    /// Public link; `None` when HeyGen cannot make one (an unfinished upload). `Debug` hides
    /// its query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<PresignedUrl>,
    /// Folder holding it; `None` at the root of the space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<FolderId>,
}

/// The folder filter of [`ListAssetsQuery`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AssetFolder {
    /// Only assets filed in this folder.
    Folder(FolderId),
    /// Only assets at the root of the space, in no folder (sent as an empty `folder_id`).
    Root,
}

/// `GET /v3/assets` query: one page of a workspace member's assets, newest first.
///
/// `username` is required while the endpoint is in beta (it is the `owner` of the items).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListAssetsQuery {
    /// Whose assets: the `owner` of the items (for example the `username` of
    /// `GET /v3/users/me`).
    pub username: String,
    /// Page size, 1 to [`MAX_ASSET_PAGE_LIMIT`] (HeyGen's
    /// default is 20).
    pub limit: Option<u32>,
    /// Cursor from the previous page's `next_token`.
    pub token: Option<String>,
    /// Only one folder, or only the root; `None` lists every folder.
    pub folder: Option<AssetFolder>,
}

impl ListAssetsQuery {
    /// The first page of `username`'s assets, across all folders.
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            limit: None,
            token: None,
            folder: None,
        }
    }

    page_cursor_setters!();

    /// Only assets in `folder`.
    #[must_use]
    pub fn folder_id(mut self, folder: FolderId) -> Self {
        self.folder = Some(AssetFolder::Folder(folder));
        self
    }

    /// Only assets at the root of the space (in no folder).
    #[must_use]
    pub fn root_folder(mut self) -> Self {
        self.folder = Some(AssetFolder::Root);
        self
    }

    /// Query pairs in a fixed order, not yet percent-encoded; unset fields are left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("username", self.username.clone())];
        if let Some(v) = self.limit {
            pairs.push(("limit", v.to_string()));
        }
        if let Some(v) = &self.token {
            pairs.push(("token", v.clone()));
        }
        match &self.folder {
            Some(AssetFolder::Folder(id)) => pairs.push(("folder_id", id.as_str().to_owned())),
            Some(AssetFolder::Root) => pairs.push(("folder_id", String::new())),
            None => {}
        }
        pairs
    }

    /// Checks the query.
    ///
    /// # Errors
    /// [`Rule::Empty`] on a blank `username`, [`Rule::OutOfRange`] on `limit`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.username.trim().is_empty() {
            return Err(ValidationError::new("username", Rule::Empty));
        }
        validate::validate_page_limit(self.limit, MAX_ASSET_PAGE_LIMIT)
    }
}

/// `GET /v3/assets/statuses` query: the assets to look up by id, and batches whose members to
/// include, at most [`MAX_ASSET_STATUS_IDS`] ids in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssetStatusesQuery {
    /// Assets to look up (sent comma-separated as `asset_ids`).
    pub asset_ids: Vec<AssetId>,
    /// Upload batches whose assets to include (sent comma-separated as `batch_ids`).
    pub batch_ids: Vec<BatchId>,
}

impl AssetStatusesQuery {
    /// An empty query; add ids with [`asset_id`](Self::asset_id) or
    /// [`batch_id`](Self::batch_id).
    pub fn new() -> Self {
        Self::default()
    }

    /// The statuses of these assets.
    pub fn assets(asset_ids: impl IntoIterator<Item = AssetId>) -> Self {
        Self {
            asset_ids: asset_ids.into_iter().collect(),
            batch_ids: Vec::new(),
        }
    }

    /// Adds an asset.
    #[must_use]
    pub fn asset_id(mut self, id: AssetId) -> Self {
        self.asset_ids.push(id);
        self
    }

    /// Adds an upload batch.
    #[must_use]
    pub fn batch_id(mut self, id: BatchId) -> Self {
        self.batch_ids.push(id);
        self
    }

    /// Query pairs (`asset_ids`, `batch_ids`, each comma-joined), not yet percent-encoded; an
    /// empty list is left out.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        batch::comma_joined_pairs([
            ("asset_ids", batch::id_strs(&self.asset_ids)),
            ("batch_ids", batch::id_strs(&self.batch_ids)),
        ])
    }

    /// Checks the query: at least one id, at most
    /// [`MAX_ASSET_STATUS_IDS`] in all, and no id containing a
    /// comma (it would split into two).
    ///
    /// # Errors
    /// [`Rule::Empty`], [`Rule::TooMany`] or [`Rule::ForbiddenCharacter`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        let total = self.asset_ids.len() + self.batch_ids.len();
        if total == 0 {
            return Err(ValidationError::new("asset_ids", Rule::Empty));
        }
        batch::validate_id_count("asset_ids", total, MAX_ASSET_STATUS_IDS)?;
        let naming = batch::IdErrorField::List;
        batch::validate_comma_ids("asset_ids", batch::id_strs(&self.asset_ids), naming)?;
        batch::validate_comma_ids("batch_ids", batch::id_strs(&self.batch_ids), naming)
    }
}

open_enum! {
    /// State of an asset in `GET /v3/assets/statuses` and of an upload batch's items.
    pub enum AssetProcessingStatus {
        /// Waiting to be processed.
        Queued = "queued",
        /// Being checked and ingested.
        Processing = "processing",
        /// Ready to use.
        Completed = "completed",
        /// Processing failed; see the entry's `error`.
        Failed = "failed",
        /// The id is unknown or not the caller's (statuses only).
        NotFound = "not_found",
    }
}

impl AssetProcessingStatus {
    /// Whether the state is final: `completed`, `failed` or `not_found`. An unknown value is not.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::NotFound)
    }
}

/// One entry of `GET /v3/assets/statuses`.
///
/// HeyGen shares this shape with video batches, so the asset id arrives as `video_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct AssetStatusEntry {
    /// The asset (wire name `video_id`); `None` for a batch item with no asset yet.
    #[serde(rename = "video_id", default, skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<AssetId>,
    /// Its state.
    pub status: AssetProcessingStatus,
    /// Why it failed, when `status` is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResourceError>,
    /// The batch it was expanded from, when asked by `batch_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<BatchId>,
    /// Its position in that batch (zero-based).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub item_index: Option<u64>,
}

/// `POST /v3/assets/direct-uploads/batches` request: presigned upload slots for up to
/// [`MAX_UPLOAD_BATCH_FILES`] files at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CreateUploadBatchRequest {
    /// The files, each as for a single direct upload; the slots come back in this order.
    pub files: Vec<CreateDirectUploadRequest>,
    /// Display name of the batch in the HeyGen app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Accepted for parity with the other batch endpoints; asset batches send no webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

impl CreateUploadBatchRequest {
    /// A batch of these files.
    pub fn new(files: Vec<CreateDirectUploadRequest>) -> Self {
        Self {
            files,
            title: None,
            callback_url: None,
        }
    }

    option_setters! {
        /// Sets the display name.
        title(title: impl Into<String>) => into;
        /// Sets the callback URL (HeyGen sends nothing to it for asset batches).
        callback_url(url: impl Into<String>) => into;
    }

    /// Checks the request: 1 to [`MAX_UPLOAD_BATCH_FILES`]
    /// files, each valid (errors name `files[i].…`), and an http(s) callback URL.
    ///
    /// # Errors
    /// [`Rule::Empty`] or [`Rule::TooMany`] on `files`, or a file's own error.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.files.is_empty() {
            return Err(ValidationError::new("files", Rule::Empty));
        }
        if self.files.len() > MAX_UPLOAD_BATCH_FILES {
            return Err(ValidationError::new(
                "files",
                Rule::TooMany {
                    max: MAX_UPLOAD_BATCH_FILES,
                    actual: self.files.len(),
                },
            ));
        }
        for (i, file) in self.files.iter().enumerate() {
            file.validate()
                .map_err(|e| e.within(&format!("files[{i}]")))?;
        }
        if let Some(url) = &self.callback_url {
            validate::validate_http_url("callback_url", url)?;
        }
        Ok(())
    }
}

/// `POST /v3/assets/direct-uploads/batches` response: the batch and one upload slot per file, in
/// the order the files were given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct UploadBatch {
    /// Id to complete (`POST /v3/assets/complete/batches`) and read
    /// (`GET /v3/assets/batches/{batch_id}`).
    pub batch_id: BatchId,
    /// One slot per file: its asset id, presigned URL and headers, as a single direct upload.
    #[serde(default, deserialize_with = "crate::avatar::null_as_default")]
    pub items: Vec<DirectUpload>,
}

/// `POST /v3/assets/complete/batches` request: finish every uploaded file of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CompleteUploadBatchRequest {
    /// The batch of `POST /v3/assets/direct-uploads/batches`.
    pub batch_id: BatchId,
}

impl CompleteUploadBatchRequest {
    /// Completes `batch_id`.
    pub fn new(batch_id: BatchId) -> Self {
        Self { batch_id }
    }

    /// Checks the request.
    ///
    /// # Errors
    /// An invalid `batch_id`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::validate_id("batch_id", self.batch_id.as_str())
    }
}

/// `POST /v3/assets/complete/batches` response (HeyGen answers 202): the batch now being
/// processed. The reference gives no schema, so every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CompletedUploadBatch {
    /// The batch id, when the answer names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<BatchId>,
    /// The batch's state, when the answer gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

//! One interface over the two SDK clients, so every command runs the same code whichever
//! transport is chosen and prints byte-identical stdout for the same server responses.
//!
//! Each method is one SDK call and returns the SDK's own types and error. The blocking backend
//! calls `heygen-blocking` directly; the async backend runs `heygen-async` on a tokio runtime
//! it owns.

mod asynchronous;
mod blocking;

use std::path::Path;
use std::sync::Arc;

use heygen_core::{Config, Error};
use heygen_model::{
    Asset, AssetId, AvatarGroup, AvatarGroupId, CompletedUpload, ConsentResponse,
    CreateAvatarRequest, CreateAvatarResponse, CreateConsentRequest, CreateVideoRequest,
    CreateVideoResponse, DeletedResource, ListAvatarGroupsQuery, ListLooksQuery, ListPage,
    ListVideosQuery, Look, LookId, UpdateLookRequest, User, Video, VideoId,
};
use serde::Serialize;

use crate::cli::Transport;

/// Upload progress: called with (bytes sent, total bytes).
pub(crate) type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A finished upload: `POST /v3/assets` gives an [`Asset`], a direct upload a
/// [`CompletedUpload`]. Serializes as the SDK type it holds.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum Uploaded {
    /// Uploaded with `POST /v3/assets` (multipart).
    Multipart(Asset),
    /// Uploaded with a direct upload (create, `PUT`, complete).
    Direct(CompletedUpload),
}

impl Uploaded {
    /// The asset id to pass as `asset_id` input.
    pub(crate) fn asset_id(&self) -> &AssetId {
        match self {
            Self::Multipart(asset) => &asset.asset_id,
            Self::Direct(done) => &done.asset_id,
        }
    }
}

/// What to upload.
#[derive(Debug, Clone, Copy)]
pub(crate) enum UploadSource<'a> {
    /// A local file, streamed from disk.
    File(&'a Path),
    /// Bytes in memory (the demo's bundled samples), with a file name.
    Bytes {
        /// File name sent with the upload.
        filename: &'a str,
        /// The content.
        bytes: &'static [u8],
    },
}

/// Every SDK call the CLI makes.
pub(crate) trait Backend {
    /// `POST /v3/avatars`.
    fn create_avatar(&self, request: CreateAvatarRequest) -> Result<CreateAvatarResponse, Error>;
    /// `POST /v3/avatars/{group_id}/consent`.
    fn create_consent(
        &self,
        group: &AvatarGroupId,
        request: CreateConsentRequest,
    ) -> Result<ConsentResponse, Error>;
    /// `GET /v3/avatars/{group_id}`.
    fn avatar_group(&self, group: &AvatarGroupId) -> Result<AvatarGroup, Error>;
    /// `GET /v3/avatars`, one page.
    fn avatar_groups(&self, query: ListAvatarGroupsQuery) -> Result<ListPage<AvatarGroup>, Error>;
    /// `GET /v3/avatars`, every page.
    fn all_avatar_groups(&self, query: ListAvatarGroupsQuery) -> Result<Vec<AvatarGroup>, Error>;
    /// `DELETE /v3/avatars/{group_id}`.
    fn delete_avatar_group(&self, group: &AvatarGroupId) -> Result<DeletedResource, Error>;
    /// `GET /v3/avatars/looks`, one page.
    fn looks(&self, query: ListLooksQuery) -> Result<ListPage<Look>, Error>;
    /// `GET /v3/avatars/looks`, every page.
    fn all_looks(&self, query: ListLooksQuery) -> Result<Vec<Look>, Error>;
    /// `GET /v3/avatars/looks/{look_id}`.
    fn look(&self, look: &LookId) -> Result<Look, Error>;
    /// `PATCH /v3/avatars/looks/{look_id}`.
    fn update_look(&self, look: &LookId, request: UpdateLookRequest) -> Result<Look, Error>;
    /// `DELETE /v3/avatars/looks/{look_id}`.
    fn delete_look(&self, look: &LookId) -> Result<DeletedResource, Error>;
    /// `POST /v3/assets` up to the multipart limit, a direct upload above it.
    fn upload(
        &self,
        source: UploadSource<'_>,
        progress: Option<Progress>,
    ) -> Result<Uploaded, Error>;
    /// `POST /v3/videos`.
    fn create_video(&self, request: CreateVideoRequest) -> Result<CreateVideoResponse, Error>;
    /// `GET /v3/videos/{video_id}`.
    fn video(&self, video: &VideoId) -> Result<Video, Error>;
    /// `GET /v3/videos`, one page.
    fn videos(&self, query: ListVideosQuery) -> Result<ListPage<Video>, Error>;
    /// `GET /v3/videos`, every page.
    fn all_videos(&self, query: ListVideosQuery) -> Result<Vec<Video>, Error>;
    /// `DELETE /v3/videos/{video_id}`.
    fn delete_video(&self, video: &VideoId) -> Result<DeletedResource, Error>;
    /// `GET /v3/users/me`.
    fn me(&self) -> Result<User, Error>;
}

/// The size of a local file, in bytes.
///
/// # Errors
/// [`Error::InvalidRequest`] when the file cannot be read.
pub(crate) fn file_len(path: &Path) -> Result<u64, Error> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| Error::invalid_request(Some("file"), format!("{}: {e}", path.display())))
}

/// The media type of in-memory bytes, from their magic number.
pub(crate) fn media_type_of(bytes: &[u8]) -> &'static str {
    heygen_core::upload::sniff_media_type(bytes).unwrap_or("application/octet-stream")
}

/// Builds the backend for `transport` from a finished configuration.
///
/// # Errors
/// When the client cannot be built (the async runtime fails to start, for example).
pub(crate) fn connect(transport: Transport, config: Config) -> Result<Box<dyn Backend>, Error> {
    match transport {
        Transport::Blocking => Ok(Box::new(blocking::BlockingBackend::new(config)?)),
        Transport::Async => Ok(Box::new(asynchronous::AsyncBackend::new(config)?)),
    }
}

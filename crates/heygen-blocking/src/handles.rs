//! Resource handles: one method per operation.

use std::io::Read;
use std::path::Path;

use heygen_core::Error;
use heygen_core::ops::{
    CompleteUpload, CreateAvatar, CreateConsent, CreateDirectUpload, CreateVideo,
    DeleteAvatarGroup, DeleteLook, DeleteVideo, GetAvatarGroup, GetCurrentUser, GetLook, GetVideo,
    ListAvatarGroups, ListLooks, ListVideos, UpdateLook,
};
use heygen_model::{
    Asset, AssetId, AvatarGroup, AvatarGroupId, CompleteUploadRequest, CompletedUpload,
    ConsentResponse, CreateAvatarRequest, CreateAvatarResponse, CreateConsentRequest,
    CreateDirectUploadRequest, CreateVideoRequest, CreateVideoResponse, DeletedResource,
    DirectUpload, ListAvatarGroupsQuery, ListLooksQuery, ListPage, ListVideosQuery, Look, LookId,
    UpdateLookRequest, User, Video, VideoId,
};

use crate::client::{Body, Client, Pages};

/// Avatar groups (`client.avatars()`).
#[derive(Debug, Clone, Copy)]
pub struct Avatars<'a> {
    pub(crate) client: &'a Client,
}

impl Avatars<'_> {
    /// `POST /v3/avatars`: creates a photo avatar, digital twin or prompt avatar. Returns the
    /// first look (`avatar_item`, whose id is the `avatar_id` of a video) and the group.
    ///
    /// # Errors
    /// Validation errors (nothing sent), API and transport errors after retries.
    pub fn create(
        &self,
        request: impl Into<CreateAvatarRequest>,
    ) -> Result<CreateAvatarResponse, Error> {
        self.client.send(&CreateAvatar::new(request))
    }

    /// `GET /v3/avatars`: one page of avatar groups.
    ///
    /// # Errors
    /// Validation errors (a `limit` outside 1–50), API and transport errors.
    pub fn list(&self, query: ListAvatarGroupsQuery) -> Result<ListPage<AvatarGroup>, Error> {
        self.client.send(&ListAvatarGroups::new(query))
    }

    /// `GET /v3/avatars`, every page: an iterator over all groups matching `query`.
    pub fn list_all(&self, query: ListAvatarGroupsQuery) -> Pages<ListAvatarGroups, AvatarGroup> {
        self.client.paginate(ListAvatarGroups::new(query))
    }

    /// `GET /v3/avatars/{group_id}`.
    ///
    /// # Errors
    /// A not-found API error for an unknown group, and the usual API and transport errors.
    pub fn get(&self, group_id: &AvatarGroupId) -> Result<AvatarGroup, Error> {
        self.client.send(&GetAvatarGroup::new(group_id.clone()))
    }

    /// `DELETE /v3/avatars/{group_id}`: deletes the group and all its looks.
    ///
    /// # Errors
    /// API and transport errors.
    pub fn delete(&self, group_id: &AvatarGroupId) -> Result<DeletedResource, Error> {
        self.client.send(&DeleteAvatarGroup::new(group_id.clone()))
    }

    /// `POST /v3/avatars/{group_id}/consent`: asks for the consent of the person in a digital
    /// twin's footage; the response carries the URL they must visit (unless a consent video
    /// was given).
    ///
    /// # Errors
    /// Validation errors, API and transport errors.
    pub fn create_consent(
        &self,
        group_id: &AvatarGroupId,
        request: CreateConsentRequest,
    ) -> Result<ConsentResponse, Error> {
        self.client
            .send(&CreateConsent::new(group_id.clone(), request))
    }
}

/// Looks (`client.looks()`).
#[derive(Debug, Clone, Copy)]
pub struct Looks<'a> {
    pub(crate) client: &'a Client,
}

impl Looks<'_> {
    /// `GET /v3/avatars/looks`: one page of looks.
    ///
    /// # Errors
    /// Validation errors (a `limit` outside 1–50), API and transport errors.
    pub fn list(&self, query: ListLooksQuery) -> Result<ListPage<Look>, Error> {
        self.client.send(&ListLooks::new(query))
    }

    /// `GET /v3/avatars/looks`, every page, keeping every filter and the `limit`.
    pub fn list_all(&self, query: ListLooksQuery) -> Pages<ListLooks, Look> {
        self.client.paginate(ListLooks::new(query))
    }

    /// `GET /v3/avatars/looks/{look_id}`.
    ///
    /// # Errors
    /// API and transport errors.
    pub fn get(&self, look_id: &LookId) -> Result<Look, Error> {
        self.client.send(&GetLook::new(look_id.clone()))
    }

    /// `PATCH /v3/avatars/looks/{look_id}`.
    ///
    /// # Errors
    /// Validation errors, API and transport errors.
    pub fn update(&self, look_id: &LookId, request: UpdateLookRequest) -> Result<Look, Error> {
        self.client.send(&UpdateLook::new(look_id.clone(), request))
    }

    /// `DELETE /v3/avatars/looks/{look_id}` (deleting a group's last look deletes the group).
    ///
    /// # Errors
    /// API and transport errors.
    pub fn delete(&self, look_id: &LookId) -> Result<DeletedResource, Error> {
        self.client.send(&DeleteLook::new(look_id.clone()))
    }
}

/// Assets and uploads (`client.assets()`).
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    pub(crate) client: &'a Client,
}

impl Assets<'_> {
    /// `POST /v3/assets`: uploads `size_bytes` bytes from `reader` as multipart form data,
    /// streaming the framing and the bytes without buffering them. At most 32 MB.
    ///
    /// The reader is read once: a failure after bytes were sent is not retried (use
    /// [`Assets::upload_path`], which re-opens the file, for retries).
    ///
    /// # Errors
    /// A validation error for an empty or over-32-MB file or a bad content type (nothing sent),
    /// API and transport errors.
    pub fn upload(
        &self,
        reader: impl Read,
        file_name: &str,
        content_type: &str,
        size_bytes: u64,
    ) -> Result<Asset, Error> {
        let mut source = crate::upload::ReaderSource::new(reader);
        self.client
            .multipart(&mut source, file_name, content_type, size_bytes)
    }

    /// `POST /v3/assets` from a file path; the content type is detected from the file's first
    /// bytes. The file is re-opened for a retry.
    ///
    /// # Errors
    /// As [`Assets::upload`], plus I/O errors reading the file (as validation errors).
    pub fn upload_path(&self, path: impl AsRef<Path>) -> Result<Asset, Error> {
        self.client.upload_path_multipart(path.as_ref())
    }

    /// Uploads a file of any size: multipart up to 32 MB, direct upload above. Returns the
    /// asset id.
    ///
    /// # Errors
    /// As [`Assets::upload_path`] and [`Assets::direct_upload`].
    pub fn upload_file(&self, path: impl AsRef<Path>) -> Result<AssetId, Error> {
        self.client.upload_file(path.as_ref())
    }

    /// The whole direct-upload flow for a file of any size: `POST /v3/assets/direct-uploads`
    /// with the exact size, `PUT` of the bytes to the presigned URL (only the returned
    /// headers, no credentials; the SHA-256 is computed while the bytes stream), then
    /// `POST /v3/assets/{asset_id}/complete` with the checksum, retrying the brief
    /// "not found yet" conflict.
    ///
    /// The file is read once per `PUT` attempt (re-opened for a retry), never held in memory.
    ///
    /// # Errors
    /// Errors of the create call as they are; a failed `PUT` or complete as
    /// [`Error::UploadFailed`] naming the asset id, so it can be resumed or cleaned up.
    pub fn direct_upload(&self, path: impl AsRef<Path>) -> Result<CompletedUpload, Error> {
        self.client.direct_upload_path(path.as_ref())
    }

    /// `POST /v3/assets/direct-uploads` alone: reserves an asset and returns the presigned URL.
    ///
    /// # Errors
    /// Validation errors, API and transport errors.
    pub fn create_direct_upload(
        &self,
        request: CreateDirectUploadRequest,
    ) -> Result<DirectUpload, Error> {
        self.client.send(&CreateDirectUpload::new(request))
    }

    /// `PUT`s `size_bytes` bytes from `reader` to a direct upload's presigned URL (only its
    /// headers, no credentials) and returns their SHA-256 as hex. The reader is read once and
    /// not retried after bytes were sent.
    ///
    /// # Errors
    /// [`Error::UploadFailed`] naming the asset id.
    pub fn put_direct_upload(
        &self,
        upload: &DirectUpload,
        reader: impl Read,
        size_bytes: u64,
    ) -> Result<String, Error> {
        let mut source = crate::upload::HashingSource::reader(reader);
        self.client.put_direct(upload, &mut source, size_bytes)?;
        Ok(source.finish_hex())
    }

    /// `POST /v3/assets/{asset_id}/complete` alone (idempotent; the "not found yet" conflict
    /// is retried with backoff).
    ///
    /// # Errors
    /// API and transport errors.
    pub fn complete_upload(
        &self,
        asset_id: &AssetId,
        request: CompleteUploadRequest,
    ) -> Result<CompletedUpload, Error> {
        self.client
            .execute(CompleteUpload::new(asset_id.clone(), request), Body::Built)
    }
}

/// Videos (`client.videos()`).
#[derive(Debug, Clone, Copy)]
pub struct Videos<'a> {
    pub(crate) client: &'a Client,
}

impl Videos<'_> {
    /// `POST /v3/videos`: starts rendering a video; poll it with
    /// [`Client::wait_for_video`].
    ///
    /// # Errors
    /// Validation errors, API and transport errors.
    pub fn create(
        &self,
        request: impl Into<CreateVideoRequest>,
    ) -> Result<CreateVideoResponse, Error> {
        self.client.send(&CreateVideo::new(request))
    }

    /// `GET /v3/videos`: one page of videos.
    ///
    /// # Errors
    /// Validation errors, API and transport errors.
    pub fn list(&self, query: ListVideosQuery) -> Result<ListPage<Video>, Error> {
        self.client.send(&ListVideos::new(query))
    }

    /// `GET /v3/videos`, every page.
    pub fn list_all(&self, query: ListVideosQuery) -> Pages<ListVideos, Video> {
        self.client.paginate(ListVideos::new(query))
    }

    /// `GET /v3/videos/{video_id}`.
    ///
    /// # Errors
    /// API and transport errors.
    pub fn get(&self, video_id: &VideoId) -> Result<Video, Error> {
        self.client.send(&GetVideo::new(video_id.clone()))
    }

    /// `DELETE /v3/videos/{video_id}`.
    ///
    /// # Errors
    /// API and transport errors.
    pub fn delete(&self, video_id: &VideoId) -> Result<DeletedResource, Error> {
        self.client.send(&DeleteVideo::new(video_id.clone()))
    }
}

/// The current user (`client.users()`).
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    pub(crate) client: &'a Client,
}

impl Users<'_> {
    /// `GET /v3/users/me`.
    ///
    /// # Errors
    /// API and transport errors.
    pub fn me(&self) -> Result<User, Error> {
        self.client.send(&GetCurrentUser::new())
    }
}

//! Resource handles: one async method per operation.

use heygen_core::ops::{
    CreateAvatar, CreateConsent, CreateVideo, DeleteAvatarGroup, DeleteLook, DeleteVideo,
    GetAvatarGroup, GetCurrentUser, GetLook, GetVideo, ListAvatarGroups, ListLooks, ListVideos,
    UpdateLook,
};
use heygen_core::poll::WaitGoal;
use heygen_core::{Error, PollPolicy};
use heygen_model::{
    AvatarGroup, AvatarGroupId, ConsentResponse, CreateAvatarRequest, CreateAvatarResponse,
    CreateConsentRequest, CreateVideoRequest, CreateVideoResponse, DeletedResource,
    ListAvatarGroupsQuery, ListLooksQuery, ListPage, ListVideosQuery, Look, LookId,
    UpdateLookRequest, User, Video, VideoId,
};

use crate::client::Client;
use crate::paging::{ItemStream, WaitOutcome, items, wait};

impl Client {
    /// Avatar groups: create, consent, get, list, delete, waits.
    pub fn avatars(&self) -> Avatars<'_> {
        Avatars { client: self }
    }

    /// Looks: get, list, update, delete, wait.
    pub fn looks(&self) -> Looks<'_> {
        Looks { client: self }
    }

    /// Videos: create, get, list, delete, wait.
    pub fn videos(&self) -> Videos<'_> {
        Videos { client: self }
    }

    /// The account.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

/// Avatar groups (`/v3/avatars`). Get one with [`Client::avatars`].
#[derive(Debug, Clone, Copy)]
pub struct Avatars<'a> {
    pub(crate) client: &'a Client,
}

impl Avatars<'_> {
    /// `POST /v3/avatars`: creates a photo avatar, digital twin or prompt avatar. The response
    /// holds the new look (`avatar_item`, whose id goes to `POST /v3/videos`) and its group.
    ///
    /// # Errors
    /// Validation errors (nothing sent), transport and API errors.
    pub async fn create(
        &self,
        request: impl Into<CreateAvatarRequest>,
    ) -> Result<CreateAvatarResponse, Error> {
        self.client.execute(CreateAvatar::new(request)).await
    }

    /// `POST /v3/avatars/{group_id}/consent`: asks for the consent a digital twin needs. The
    /// response's `url` is the page the person in the footage must visit.
    ///
    /// # Errors
    /// Validation errors (nothing sent), transport and API errors.
    pub async fn create_consent(
        &self,
        group_id: &AvatarGroupId,
        request: CreateConsentRequest,
    ) -> Result<ConsentResponse, Error> {
        self.client
            .execute(CreateConsent::new(group_id.clone(), request))
            .await
    }

    /// `GET /v3/avatars/{group_id}`: one avatar group.
    ///
    /// # Errors
    /// Transport and API errors (a missing group is [`heygen_core::ErrorClass::NotFound`]).
    pub async fn get(&self, group_id: &AvatarGroupId) -> Result<AvatarGroup, Error> {
        self.client
            .execute(GetAvatarGroup::new(group_id.clone()))
            .await
    }

    /// `GET /v3/avatars`: one page of avatar groups (`limit` 1 to 50).
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn list(&self, query: ListAvatarGroupsQuery) -> Result<ListPage<AvatarGroup>, Error> {
        self.client.execute(ListAvatarGroups::new(query)).await
    }

    /// `GET /v3/avatars`, every page: a stream of all avatar groups matching `query`; each
    /// page request repeats the filters and `limit`.
    pub fn list_all(&self, query: ListAvatarGroupsQuery) -> ItemStream<AvatarGroup> {
        items(self.client.clone(), ListAvatarGroups::new(query))
    }

    /// `DELETE /v3/avatars/{group_id}`: deletes a group and all its looks.
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn delete(&self, group_id: &AvatarGroupId) -> Result<DeletedResource, Error> {
        self.client
            .execute(DeleteAvatarGroup::new(group_id.clone()))
            .await
    }

    /// Polls `GET /v3/avatars/{group_id}` until training completes or fails, following
    /// `policy` (intervals and deadline). Stopping at `pending_consent` is reported as
    /// [`WaitOutcome::PendingConsent`].
    ///
    /// # Errors
    /// [`Error::JobFailed`] when training failed, [`Error::WaitTimedOut`] at the deadline, or
    /// the check's error when it is not transient (a 404 ends the wait at once).
    pub async fn wait_for_avatar(
        &self,
        group_id: &AvatarGroupId,
        policy: PollPolicy,
    ) -> Result<WaitOutcome<AvatarGroup>, Error> {
        wait(
            self.client,
            group_id.as_str(),
            GetAvatarGroup::new(group_id.clone()),
            policy,
            WaitGoal::Completion,
        )
        .await
    }

    /// Polls `GET /v3/avatars/{group_id}` until consent is given (or training completes or
    /// fails), following `policy`.
    ///
    /// # Errors
    /// As [`Avatars::wait_for_avatar`].
    pub async fn wait_for_consent(
        &self,
        group_id: &AvatarGroupId,
        policy: PollPolicy,
    ) -> Result<AvatarGroup, Error> {
        wait(
            self.client,
            group_id.as_str(),
            GetAvatarGroup::new(group_id.clone()),
            policy,
            WaitGoal::Consent,
        )
        .await
        .map(WaitOutcome::into_inner)
    }
}

/// Looks (`/v3/avatars/looks`). Get one with [`Client::looks`].
#[derive(Debug, Clone, Copy)]
pub struct Looks<'a> {
    client: &'a Client,
}

impl Looks<'_> {
    /// `GET /v3/avatars/looks/{look_id}`: one look.
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn get(&self, look_id: &LookId) -> Result<Look, Error> {
        self.client.execute(GetLook::new(look_id.clone())).await
    }

    /// `GET /v3/avatars/looks`: one page of looks (`limit` 1 to 50).
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn list(&self, query: ListLooksQuery) -> Result<ListPage<Look>, Error> {
        self.client.execute(ListLooks::new(query)).await
    }

    /// `GET /v3/avatars/looks`, every page: a stream of all looks matching `query`.
    pub fn list_all(&self, query: ListLooksQuery) -> ItemStream<Look> {
        items(self.client.clone(), ListLooks::new(query))
    }

    /// `PATCH /v3/avatars/looks/{look_id}`: renames a look.
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn update(&self, look_id: &LookId, request: UpdateLookRequest) -> Result<Look, Error> {
        self.client
            .execute(UpdateLook::new(look_id.clone(), request))
            .await
    }

    /// `DELETE /v3/avatars/looks/{look_id}`: deletes a look (and its group with its last
    /// look).
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn delete(&self, look_id: &LookId) -> Result<DeletedResource, Error> {
        self.client.execute(DeleteLook::new(look_id.clone())).await
    }

    /// Polls `GET /v3/avatars/looks/{look_id}` until the look completes or fails, following
    /// `policy`; `pending_consent` is reported as [`WaitOutcome::PendingConsent`].
    ///
    /// # Errors
    /// As [`Avatars::wait_for_avatar`].
    pub async fn wait_for_look(
        &self,
        look_id: &LookId,
        policy: PollPolicy,
    ) -> Result<WaitOutcome<Look>, Error> {
        wait(
            self.client,
            look_id.as_str(),
            GetLook::new(look_id.clone()),
            policy,
            WaitGoal::Completion,
        )
        .await
    }
}

/// Videos (`/v3/videos`). Get one with [`Client::videos`].
#[derive(Debug, Clone, Copy)]
pub struct Videos<'a> {
    client: &'a Client,
}

impl Videos<'_> {
    /// `POST /v3/videos`: starts rendering a video; poll it with [`Videos::wait_for_video`].
    ///
    /// # Errors
    /// Validation errors (nothing sent), transport and API errors.
    pub async fn create(
        &self,
        request: impl Into<CreateVideoRequest>,
    ) -> Result<CreateVideoResponse, Error> {
        self.client.execute(CreateVideo::new(request)).await
    }

    /// `GET /v3/videos/{video_id}`: one video.
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn get(&self, video_id: &VideoId) -> Result<Video, Error> {
        self.client.execute(GetVideo::new(video_id.clone())).await
    }

    /// `GET /v3/videos`: one page of videos (`limit` 1 to 100).
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn list(&self, query: ListVideosQuery) -> Result<ListPage<Video>, Error> {
        self.client.execute(ListVideos::new(query)).await
    }

    /// `GET /v3/videos`, every page: a stream of all videos matching `query`.
    pub fn list_all(&self, query: ListVideosQuery) -> ItemStream<Video> {
        items(self.client.clone(), ListVideos::new(query))
    }

    /// `DELETE /v3/videos/{video_id}`.
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn delete(&self, video_id: &VideoId) -> Result<DeletedResource, Error> {
        self.client.execute(DeleteVideo::new(video_id.clone())).await
    }

    /// Polls `GET /v3/videos/{video_id}` until rendering completes or fails, following
    /// `policy`. 5xx answers and transport failures keep the wait going; a 404 or an error
    /// inside a `200` ends it at once.
    ///
    /// # Errors
    /// [`Error::JobFailed`], [`Error::WaitTimedOut`], or the check's non-transient error.
    pub async fn wait_for_video(
        &self,
        video_id: &VideoId,
        policy: PollPolicy,
    ) -> Result<Video, Error> {
        wait(
            self.client,
            video_id.as_str(),
            GetVideo::new(video_id.clone()),
            policy,
            WaitGoal::Completion,
        )
        .await
        .map(WaitOutcome::into_inner)
    }
}

/// The account (`/v3/users`). Get one with [`Client::users`].
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    client: &'a Client,
}

impl Users<'_> {
    /// `GET /v3/users/me`: the account the credentials belong to.
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn me(&self) -> Result<User, Error> {
        self.client.execute(GetCurrentUser::new()).await
    }
}

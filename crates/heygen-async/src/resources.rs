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
use crate::paging::{ItemStream, Waited, items, wait};

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

    /// Polls `GET /v3/avatars/{group_id}` until training completes or fails, with the
    /// configured poll policy (see [`Client::wait_for_avatar_with`]). Stopping at
    /// `pending_consent` is reported as [`Waited::PendingConsent`].
    ///
    /// # Errors
    /// [`Error::JobFailed`] when training failed, [`Error::WaitTimedOut`] at the deadline,
    /// or the error of a status check that is not transient (a 404, for example).
    pub async fn wait_for_avatar(
        &self,
        group_id: &AvatarGroupId,
    ) -> Result<Waited<AvatarGroup>, Error> {
        self.wait_for_avatar_with(group_id, self.config().poll_policy())
            .await
    }

    /// [`Client::wait_for_avatar`] with a poll policy (intervals and deadline).
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub async fn wait_for_avatar_with(
        &self,
        group_id: &AvatarGroupId,
        policy: &PollPolicy,
    ) -> Result<Waited<AvatarGroup>, Error> {
        let op = GetAvatarGroup::new(group_id.clone());
        wait(self, group_id.as_str(), op, *policy, WaitGoal::Completion).await
    }

    /// Polls `GET /v3/avatars/{group_id}` until consent is given (or training ends).
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub async fn wait_for_consent(&self, group_id: &AvatarGroupId) -> Result<AvatarGroup, Error> {
        self.wait_for_consent_with(group_id, self.config().poll_policy())
            .await
    }

    /// [`Client::wait_for_consent`] with a poll policy.
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub async fn wait_for_consent_with(
        &self,
        group_id: &AvatarGroupId,
        policy: &PollPolicy,
    ) -> Result<AvatarGroup, Error> {
        let op = GetAvatarGroup::new(group_id.clone());
        wait(self, group_id.as_str(), op, *policy, WaitGoal::Consent)
            .await
            .map(Waited::into_inner)
    }

    /// Polls `GET /v3/avatars/looks/{look_id}` until the look completes or fails.
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub async fn wait_for_look(&self, look_id: &LookId) -> Result<Waited<Look>, Error> {
        self.wait_for_look_with(look_id, self.config().poll_policy())
            .await
    }

    /// [`Client::wait_for_look`] with a poll policy.
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub async fn wait_for_look_with(
        &self,
        look_id: &LookId,
        policy: &PollPolicy,
    ) -> Result<Waited<Look>, Error> {
        let op = GetLook::new(look_id.clone());
        wait(self, look_id.as_str(), op, *policy, WaitGoal::Completion).await
    }

    /// Polls `GET /v3/videos/{video_id}` until the video completes or fails. 5xx answers and
    /// transport failures keep the wait going; a 404 or an error inside a `200` ends it at
    /// once.
    ///
    /// # Errors
    /// [`Error::JobFailed`] when rendering failed, [`Error::WaitTimedOut`] at the deadline, or
    /// the error of a status check that is not transient (a 404 for a deleted video).
    pub async fn wait_for_video(&self, video_id: &VideoId) -> Result<Video, Error> {
        self.wait_for_video_with(video_id, self.config().poll_policy())
            .await
    }

    /// [`Client::wait_for_video`] with a poll policy.
    ///
    /// # Errors
    /// As [`Client::wait_for_video`].
    pub async fn wait_for_video_with(
        &self,
        video_id: &VideoId,
        policy: &PollPolicy,
    ) -> Result<Video, Error> {
        let op = GetVideo::new(video_id.clone());
        wait(self, video_id.as_str(), op, *policy, WaitGoal::Completion)
            .await
            .map(Waited::into_inner)
    }
}

/// Avatar groups (`/v3/avatars`). Get one with [`Client::avatars`].
#[derive(Debug, Clone, Copy)]
pub struct Avatars<'a> {
    client: &'a Client,
}

impl Avatars<'_> {
    /// `POST /v3/avatars`: creates a photo avatar, digital twin or prompt avatar. The response
    /// holds the new look (`avatar_item`, whose id goes to `POST /v3/videos`) and its group.
    ///
    /// # Errors
    /// Validation errors (nothing sent), transport and API errors.
    pub async fn create(
        self,
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
        self,
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
    pub async fn get(self, group_id: &AvatarGroupId) -> Result<AvatarGroup, Error> {
        self.client
            .execute(GetAvatarGroup::new(group_id.clone()))
            .await
    }

    /// `GET /v3/avatars`: one page of avatar groups (`limit` 1 to 50).
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn list(self, query: ListAvatarGroupsQuery) -> Result<ListPage<AvatarGroup>, Error> {
        self.client.execute(ListAvatarGroups::new(query)).await
    }

    /// `GET /v3/avatars`, every page: a stream of all avatar groups matching `query`; each
    /// page request repeats the filters and `limit`.
    pub fn list_all(self, query: ListAvatarGroupsQuery) -> ItemStream<AvatarGroup> {
        items(self.client.clone(), ListAvatarGroups::new(query))
    }

    /// `DELETE /v3/avatars/{group_id}`: deletes a group and all its looks.
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn delete(self, group_id: &AvatarGroupId) -> Result<DeletedResource, Error> {
        self.client
            .execute(DeleteAvatarGroup::new(group_id.clone()))
            .await
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
    pub async fn get(self, look_id: &LookId) -> Result<Look, Error> {
        self.client.execute(GetLook::new(look_id.clone())).await
    }

    /// `GET /v3/avatars/looks`: one page of looks (`limit` 1 to 50).
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn list(self, query: ListLooksQuery) -> Result<ListPage<Look>, Error> {
        self.client.execute(ListLooks::new(query)).await
    }

    /// `GET /v3/avatars/looks`, every page: a stream of all looks matching `query`.
    pub fn list_all(self, query: ListLooksQuery) -> ItemStream<Look> {
        items(self.client.clone(), ListLooks::new(query))
    }

    /// `PATCH /v3/avatars/looks/{look_id}`: renames a look.
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn update(self, look_id: &LookId, request: UpdateLookRequest) -> Result<Look, Error> {
        self.client
            .execute(UpdateLook::new(look_id.clone(), request))
            .await
    }

    /// `DELETE /v3/avatars/looks/{look_id}`: deletes a look (and its group with its last
    /// look).
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn delete(self, look_id: &LookId) -> Result<DeletedResource, Error> {
        self.client.execute(DeleteLook::new(look_id.clone())).await
    }
}

/// Videos (`/v3/videos`). Get one with [`Client::videos`].
#[derive(Debug, Clone, Copy)]
pub struct Videos<'a> {
    client: &'a Client,
}

impl Videos<'_> {
    /// `POST /v3/videos`: starts rendering a video; poll it with [`Client::wait_for_video`].
    ///
    /// # Errors
    /// Validation errors (nothing sent), transport and API errors.
    pub async fn create(
        self,
        request: impl Into<CreateVideoRequest>,
    ) -> Result<CreateVideoResponse, Error> {
        self.client.execute(CreateVideo::new(request)).await
    }

    /// `GET /v3/videos/{video_id}`: one video.
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn get(self, video_id: &VideoId) -> Result<Video, Error> {
        self.client.execute(GetVideo::new(video_id.clone())).await
    }

    /// `GET /v3/videos`: one page of videos (`limit` 1 to 100).
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn list(self, query: ListVideosQuery) -> Result<ListPage<Video>, Error> {
        self.client.execute(ListVideos::new(query)).await
    }

    /// `GET /v3/videos`, every page: a stream of all videos matching `query`.
    pub fn list_all(self, query: ListVideosQuery) -> ItemStream<Video> {
        items(self.client.clone(), ListVideos::new(query))
    }

    /// `DELETE /v3/videos/{video_id}`.
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn delete(self, video_id: &VideoId) -> Result<DeletedResource, Error> {
        self.client
            .execute(DeleteVideo::new(video_id.clone()))
            .await
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
    pub async fn me(self) -> Result<User, Error> {
        self.client.execute(GetCurrentUser::new()).await
    }
}

//! The blocking backend: `heygen-blocking` (ureq).

use heygen_core::{Config, Error};
use heygen_model::{
    AvatarGroup, AvatarGroupId, ConsentResponse, CreateAvatarRequest, CreateAvatarResponse,
    CreateConsentRequest, CreateVideoRequest, CreateVideoResponse, DeletedResource,
    ListAvatarGroupsQuery, ListLooksQuery, ListPage, ListVideosQuery, Look, LookId,
    UpdateLookRequest, User, Video, VideoId,
};

use super::{Backend, Progress, UploadSource, Uploaded};

/// Placeholder until the client lands.
pub(crate) struct BlockingBackend;

impl BlockingBackend {
    pub(crate) fn new(_config: Config) -> Result<Self, Error> {
        Err(Error::invalid_config("this transport is not available yet"))
    }
}

fn todo_err<T>() -> Result<T, Error> {
    Err(Error::invalid_config("this transport is not available yet"))
}

impl Backend for BlockingBackend {
    fn create_avatar(&self, _r: CreateAvatarRequest) -> Result<CreateAvatarResponse, Error> {
        todo_err()
    }
    fn create_consent(
        &self,
        _g: &AvatarGroupId,
        _r: CreateConsentRequest,
    ) -> Result<ConsentResponse, Error> {
        todo_err()
    }
    fn avatar_group(&self, _g: &AvatarGroupId) -> Result<AvatarGroup, Error> {
        todo_err()
    }
    fn avatar_groups(&self, _q: ListAvatarGroupsQuery) -> Result<ListPage<AvatarGroup>, Error> {
        todo_err()
    }
    fn all_avatar_groups(&self, _q: ListAvatarGroupsQuery) -> Result<Vec<AvatarGroup>, Error> {
        todo_err()
    }
    fn delete_avatar_group(&self, _g: &AvatarGroupId) -> Result<DeletedResource, Error> {
        todo_err()
    }
    fn looks(&self, _q: ListLooksQuery) -> Result<ListPage<Look>, Error> {
        todo_err()
    }
    fn all_looks(&self, _q: ListLooksQuery) -> Result<Vec<Look>, Error> {
        todo_err()
    }
    fn look(&self, _l: &LookId) -> Result<Look, Error> {
        todo_err()
    }
    fn update_look(&self, _l: &LookId, _r: UpdateLookRequest) -> Result<Look, Error> {
        todo_err()
    }
    fn delete_look(&self, _l: &LookId) -> Result<DeletedResource, Error> {
        todo_err()
    }
    fn input_from_file(
        &self,
        _p: &std::path::Path,
        _g: Option<Progress>,
    ) -> Result<(heygen_model::AssetInput, Option<heygen_model::AssetId>), Error> {
        todo_err()
    }
    fn upload(&self, _s: UploadSource<'_>, _p: Option<Progress>) -> Result<Uploaded, Error> {
        todo_err()
    }
    fn create_video(&self, _r: CreateVideoRequest) -> Result<CreateVideoResponse, Error> {
        todo_err()
    }
    fn video(&self, _v: &VideoId) -> Result<Video, Error> {
        todo_err()
    }
    fn videos(&self, _q: ListVideosQuery) -> Result<ListPage<Video>, Error> {
        todo_err()
    }
    fn all_videos(&self, _q: ListVideosQuery) -> Result<Vec<Video>, Error> {
        todo_err()
    }
    fn delete_video(&self, _v: &VideoId) -> Result<DeletedResource, Error> {
        todo_err()
    }
    fn me(&self) -> Result<User, Error> {
        todo_err()
    }
}

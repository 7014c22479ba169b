//! The blocking backend: `heygen-blocking` (ureq).

use heygen_blocking::Client;
use heygen_core::upload::MAX_MULTIPART_FILE_BYTES;
use heygen_core::{Config, Error};
use heygen_model::{
    AvatarGroup, AvatarGroupId, ConsentResponse, CreateAvatarRequest, CreateAvatarResponse,
    CreateConsentRequest, CreateVideoRequest, CreateVideoResponse, DeletedResource,
    ListAvatarGroupsQuery, ListLooksQuery, ListPage, ListVideosQuery, Look, LookId,
    UpdateLookRequest, User, Video, VideoId,
};

use super::{Backend, Progress, UploadSource, Uploaded};

/// `heygen-blocking` behind the [`Backend`] interface.
pub(crate) struct BlockingBackend {
    client: Client,
}

impl BlockingBackend {
    /// Builds the client.
    pub(crate) fn new(config: Config) -> Result<Self, Error> {
        Ok(Self {
            client: Client::new(config)?,
        })
    }
}

impl Backend for BlockingBackend {
    fn create_avatar(&self, request: CreateAvatarRequest) -> Result<CreateAvatarResponse, Error> {
        self.client.avatars().create(request)
    }

    fn create_consent(
        &self,
        group: &AvatarGroupId,
        request: CreateConsentRequest,
    ) -> Result<ConsentResponse, Error> {
        self.client.avatars().create_consent(group, request)
    }

    fn avatar_group(&self, group: &AvatarGroupId) -> Result<AvatarGroup, Error> {
        self.client.avatars().get(group)
    }

    fn avatar_groups(&self, query: ListAvatarGroupsQuery) -> Result<ListPage<AvatarGroup>, Error> {
        self.client.avatars().list(query)
    }

    fn all_avatar_groups(&self, query: ListAvatarGroupsQuery) -> Result<Vec<AvatarGroup>, Error> {
        self.client.avatars().list_all(query).collect()
    }

    fn delete_avatar_group(&self, group: &AvatarGroupId) -> Result<DeletedResource, Error> {
        self.client.avatars().delete(group)
    }

    fn looks(&self, query: ListLooksQuery) -> Result<ListPage<Look>, Error> {
        self.client.looks().list(query)
    }

    fn all_looks(&self, query: ListLooksQuery) -> Result<Vec<Look>, Error> {
        self.client.looks().list_all(query).collect()
    }

    fn look(&self, look: &LookId) -> Result<Look, Error> {
        self.client.looks().get(look)
    }

    fn update_look(&self, look: &LookId, request: UpdateLookRequest) -> Result<Look, Error> {
        self.client.looks().update(look, request)
    }

    fn delete_look(&self, look: &LookId) -> Result<DeletedResource, Error> {
        self.client.looks().delete(look)
    }

    fn upload(
        &self,
        source: UploadSource<'_>,
        progress: Option<Progress>,
    ) -> Result<Uploaded, Error> {
        let client = match progress {
            Some(progress) => self
                .client
                .clone()
                .with_progress(move |sent, total| progress(sent, total)),
            None => self.client.clone(),
        };
        let assets = client.assets();
        match source {
            UploadSource::File(path) => {
                if super::file_len(path)? <= MAX_MULTIPART_FILE_BYTES {
                    assets.upload_path(path).map(Uploaded::Multipart)
                } else {
                    assets.direct_upload(path).map(Uploaded::Direct)
                }
            }
            UploadSource::Bytes { filename, bytes } => {
                let media_type = super::media_type_of(bytes);
                assets
                    .upload(bytes, filename, media_type, bytes.len() as u64)
                    .map(Uploaded::Multipart)
            }
        }
    }

    fn create_video(&self, request: CreateVideoRequest) -> Result<CreateVideoResponse, Error> {
        self.client.videos().create(request)
    }

    fn video(&self, video: &VideoId) -> Result<Video, Error> {
        self.client.videos().get(video)
    }

    fn videos(&self, query: ListVideosQuery) -> Result<ListPage<Video>, Error> {
        self.client.videos().list(query)
    }

    fn all_videos(&self, query: ListVideosQuery) -> Result<Vec<Video>, Error> {
        self.client.videos().list_all(query).collect()
    }

    fn delete_video(&self, video: &VideoId) -> Result<DeletedResource, Error> {
        self.client.videos().delete(video)
    }

    fn me(&self) -> Result<User, Error> {
        self.client.users().me()
    }
}

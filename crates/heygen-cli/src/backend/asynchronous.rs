//! The async backend: `heygen-async` (hyper) on a single-threaded tokio runtime owned by the
//! backend. Each call is one `block_on`, so commands stay sequential and print exactly what
//! the blocking backend prints.

use std::future::Future;

use futures_util::TryStreamExt as _;
use heygen_async::Client;
use heygen_core::upload::MAX_MULTIPART_FILE_BYTES;
use heygen_core::{Config, Error};
use heygen_model::{
    AvatarGroup, AvatarGroupId, ConsentResponse, CreateAvatarRequest, CreateAvatarResponse,
    CreateConsentRequest, CreateVideoRequest, CreateVideoResponse, DeletedResource,
    ListAvatarGroupsQuery, ListLooksQuery, ListPage, ListVideosQuery, Look, LookId,
    UpdateLookRequest, User, Video, VideoId,
};
use tokio::runtime::Runtime;

use super::{Backend, Progress, UploadSource, Uploaded};

/// `heygen-async` behind the [`Backend`] interface.
pub(crate) struct AsyncBackend {
    runtime: Runtime,
    client: Client,
}

impl AsyncBackend {
    /// Starts the runtime and builds the client.
    pub(crate) fn new(config: Config) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::invalid_config(format!("could not start the async runtime: {e}"))
            })?;
        let client = {
            let _guard = runtime.enter();
            Client::new(config)?
        };
        Ok(Self { runtime, client })
    }

    fn run<T>(&self, future: impl Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }
}

impl Backend for AsyncBackend {
    fn create_avatar(&self, request: CreateAvatarRequest) -> Result<CreateAvatarResponse, Error> {
        self.run(self.client.avatars().create(request))
    }

    fn create_consent(
        &self,
        group: &AvatarGroupId,
        request: CreateConsentRequest,
    ) -> Result<ConsentResponse, Error> {
        self.run(self.client.avatars().create_consent(group, request))
    }

    fn avatar_group(&self, group: &AvatarGroupId) -> Result<AvatarGroup, Error> {
        self.run(self.client.avatars().get(group))
    }

    fn avatar_groups(&self, query: ListAvatarGroupsQuery) -> Result<ListPage<AvatarGroup>, Error> {
        self.run(self.client.avatars().list(query))
    }

    fn all_avatar_groups(&self, query: ListAvatarGroupsQuery) -> Result<Vec<AvatarGroup>, Error> {
        self.run(self.client.avatars().list_all(query).try_collect())
    }

    fn delete_avatar_group(&self, group: &AvatarGroupId) -> Result<DeletedResource, Error> {
        self.run(self.client.avatars().delete(group))
    }

    fn looks(&self, query: ListLooksQuery) -> Result<ListPage<Look>, Error> {
        self.run(self.client.looks().list(query))
    }

    fn all_looks(&self, query: ListLooksQuery) -> Result<Vec<Look>, Error> {
        self.run(self.client.looks().list_all(query).try_collect())
    }

    fn look(&self, look: &LookId) -> Result<Look, Error> {
        self.run(self.client.looks().get(look))
    }

    fn update_look(&self, look: &LookId, request: UpdateLookRequest) -> Result<Look, Error> {
        self.run(self.client.looks().update(look, request))
    }

    fn delete_look(&self, look: &LookId) -> Result<DeletedResource, Error> {
        self.run(self.client.looks().delete(look))
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
                    self.run(assets.upload_path(path)).map(Uploaded::Multipart)
                } else {
                    self.run(assets.direct_upload(path)).map(Uploaded::Direct)
                }
            }
            UploadSource::Bytes { filename, bytes } => {
                let media_type = super::media_type_of(bytes);
                let size = bytes.len() as u64;
                self.run(assets.upload(bytes, filename, media_type, size))
                    .map(Uploaded::Multipart)
            }
        }
    }

    fn create_video(&self, request: CreateVideoRequest) -> Result<CreateVideoResponse, Error> {
        self.run(self.client.videos().create(request))
    }

    fn video(&self, video: &VideoId) -> Result<Video, Error> {
        self.run(self.client.videos().get(video))
    }

    fn videos(&self, query: ListVideosQuery) -> Result<ListPage<Video>, Error> {
        self.run(self.client.videos().list(query))
    }

    fn all_videos(&self, query: ListVideosQuery) -> Result<Vec<Video>, Error> {
        self.run(self.client.videos().list_all(query).try_collect())
    }

    fn delete_video(&self, video: &VideoId) -> Result<DeletedResource, Error> {
        self.run(self.client.videos().delete(video))
    }

    fn me(&self) -> Result<User, Error> {
        self.run(self.client.users().me())
    }
}

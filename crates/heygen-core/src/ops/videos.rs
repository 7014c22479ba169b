//! Videos: create, get, list, delete.

use bytes::Bytes;
use http::{Method, Request, Response};

use heygen_model::{
    CreateVideoRequest, CreateVideoResponse, IdempotencyKey, ListVideosQuery, Video, VideoId,
};

use super::macros::{delete_by_id, get_by_id, list_page};
use super::support::{data, key_str};
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Operation, api_request, json_body};

/// `POST /v3/videos`: starts rendering a video (from a look, an image, …).
#[derive(Debug, Clone)]
pub struct CreateVideo {
    request: CreateVideoRequest,
    idempotency_key: Option<IdempotencyKey>,
}

impl CreateVideo {
    /// Renders `request`.
    pub fn new(request: impl Into<CreateVideoRequest>) -> Self {
        Self {
            request: request.into(),
            idempotency_key: None,
        }
    }

    /// Uses this idempotency key instead of a generated one.
    #[must_use]
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// The request body.
    pub fn request(&self) -> &CreateVideoRequest {
        &self.request
    }
}

impl Operation for CreateVideo {
    type Output = CreateVideoResponse;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path_template(&self) -> &'static str {
        "/v3/videos"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        self.request.validate()?;
        api_request(
            config,
            Method::POST,
            "/v3/videos",
            self.idempotency_key(),
            json_body(&self.request)?,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::POST, self.path_template(), &response)
    }
}

get_by_id! {
    /// `GET /v3/videos/{video_id}`: one video with its status and, once completed, its URLs.
    pub struct GetVideo => Video {
        /// The video `video_id`.
        new;
        /// The video id.
        video_id: VideoId = "/v3/videos/{video_id}",
    }
}

list_page! {
    /// `GET /v3/videos`: one page of videos (`limit` 1 to 100).
    pub struct ListVideos => Video {
        query: ListVideosQuery = "/v3/videos",
    }
}

delete_by_id! {
    /// `DELETE /v3/videos/{video_id}`: deletes a video.
    pub struct DeleteVideo {
        /// Deletes `video_id`.
        new;
        video_id: VideoId = "/v3/videos/{video_id}",
    }
}

//! Videos: create, get, list, delete.

use bytes::Bytes;
use http::{Method, Request, Response};

use heygen_model::{
    CreateVideoRequest, CreateVideoResponse, DeletedResource, IdempotencyKey, ListPage,
    ListVideosQuery, Video, VideoId,
};

use super::support::{data, deleted, key_str, page};
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Body, Operation, api_request, encode_path_param, encode_query, json_body};
use crate::paginate::Paginate;

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

/// `GET /v3/videos/{video_id}`: one video with its status and, once completed, its URLs.
#[derive(Debug, Clone)]
pub struct GetVideo {
    video_id: VideoId,
}

impl GetVideo {
    /// The video `video_id`.
    pub fn new(video_id: VideoId) -> Self {
        Self { video_id }
    }

    /// The video id.
    pub fn video_id(&self) -> &VideoId {
        &self.video_id
    }
}

impl Operation for GetVideo {
    type Output = Video;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/videos/{video_id}"
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        let id = encode_path_param("video_id", self.video_id.as_str())?;
        api_request(
            config,
            Method::GET,
            &format!("/v3/videos/{id}"),
            None,
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::GET, self.path_template(), &response)
    }
}

/// `GET /v3/videos`: one page of videos (`limit` 1 to 100).
#[derive(Debug, Clone, Default)]
pub struct ListVideos {
    query: ListVideosQuery,
}

impl ListVideos {
    /// A page matching `query`.
    pub fn new(query: ListVideosQuery) -> Self {
        Self { query }
    }

    /// The query.
    pub fn query(&self) -> &ListVideosQuery {
        &self.query
    }
}

impl Operation for ListVideos {
    type Output = ListPage<Video>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/videos"
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        self.query.validate()?;
        let query = encode_query(&self.query.to_query_pairs());
        api_request(
            config,
            Method::GET,
            &format!("/v3/videos{query}"),
            None,
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        page(&Method::GET, self.path_template(), &response)
    }
}

impl Paginate for ListVideos {
    fn with_token(&self, token: Option<&str>) -> Self {
        let mut query = self.query.clone();
        query.token = token.map(str::to_owned);
        Self { query }
    }

    fn page_token(&self) -> Option<&str> {
        self.query.token.as_deref()
    }
}

/// `DELETE /v3/videos/{video_id}`: deletes a video.
#[derive(Debug, Clone)]
pub struct DeleteVideo {
    video_id: VideoId,
    idempotency_key: Option<IdempotencyKey>,
}

impl DeleteVideo {
    /// Deletes `video_id`.
    pub fn new(video_id: VideoId) -> Self {
        Self {
            video_id,
            idempotency_key: None,
        }
    }

    /// Uses this idempotency key instead of a generated one.
    #[must_use]
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }
}

impl Operation for DeleteVideo {
    type Output = DeletedResource;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path_template(&self) -> &'static str {
        "/v3/videos/{video_id}"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        let id = encode_path_param("video_id", self.video_id.as_str())?;
        api_request(
            config,
            Method::DELETE,
            &format!("/v3/videos/{id}"),
            self.idempotency_key(),
            Body::Empty,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        deleted(
            &Method::DELETE,
            self.path_template(),
            self.video_id.as_str(),
            &response,
        )
    }
}

//! Videos: create (every kind), get, list, delete, batches and bulk statuses.

use http::{Method, Request, Response};

use heygen_model::{
    BatchId, BatchPageQuery, CreateVideoBatchRequest, CreateVideoBatchResponse, CreateVideoRequest,
    CreateVideoResponse, ListVideosQuery, Video, VideoBatch, VideoId, VideoStatusEntry,
    VideoStatusesQuery,
};

use super::macros::{create_from_json, delete_by_id, get_by_id, list_page, query_page};
use super::support::data;
use crate::body::Body;
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Operation, Payload, api_request, encode_path_param, encode_query};
use crate::response::ResponseLimits;

create_from_json! {
    /// `POST /v3/videos`: starts rendering a video (from a look, an image, a prompt with looks,
    /// or scenes).
    pub struct CreateVideo => CreateVideoResponse {
        /// Renders `request`.
        new(request: impl Into<CreateVideoRequest>);
        path: "/v3/videos",
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
    /// `GET /v3/videos`: one page of videos (`limit` 1 to 100), optionally only those of a
    /// folder or whose title contains some text.
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

create_from_json! {
    /// `POST /v3/videos/batches`: submits up to 100 videos at once and answers with the batch
    /// id; the videos are created in the background (read them with [`GetVideoBatch`]). The
    /// idempotency key (generated when not given, the same on every retry) makes a retry return
    /// the same batch instead of a second one.
    pub struct CreateVideoBatch => CreateVideoBatchResponse {
        /// Submits the batch described by `request`.
        new(request: CreateVideoBatchRequest);
        path: "/v3/videos/batches",
    }
}

/// `GET /v3/videos/batches/{batch_id}`: the batch's aggregate status and one page of its items
/// (1 to 100 per page). The cursor of the next page is `data.next_token`.
#[derive(Debug, Clone)]
pub struct GetVideoBatch {
    batch_id: BatchId,
    query: BatchPageQuery,
}

impl GetVideoBatch {
    /// The first page of `batch_id`'s items, with the server's page size.
    pub fn new(batch_id: BatchId) -> Self {
        Self {
            batch_id,
            query: BatchPageQuery::new(),
        }
    }

    /// Asks for the page described by `query` (size and cursor).
    #[must_use]
    pub fn page(mut self, query: BatchPageQuery) -> Self {
        self.query = query;
        self
    }

    /// The batch id.
    pub fn batch_id(&self) -> &BatchId {
        &self.batch_id
    }

    /// The page query.
    pub fn query(&self) -> &BatchPageQuery {
        &self.query
    }
}

impl Operation for GetVideoBatch {
    type Output = VideoBatch;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path_template(&self) -> &'static str {
        "/v3/videos/batches/{batch_id}"
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        self.query.validate()?;
        let id = encode_path_param("batch_id", self.batch_id.as_str())?;
        let query = encode_query(&self.query.to_query_pairs());
        api_request(
            config,
            Method::GET,
            &format!("/v3/videos/batches/{id}{query}"),
            Payload::Empty,
        )
    }

    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        data(&Method::GET, self.path_template(), &response, limits)
    }
}

query_page! {
    /// `GET /v3/videos/statuses`: the statuses of up to 100 videos at once, named by id and/or by
    /// batch (a batch expands to its videos, including items whose video does not exist yet). An
    /// unknown id answers `not_found` rather than an error.
    pub struct GetVideoStatuses => VideoStatusEntry {
        /// The statuses of the videos and batches in `query`.
        new;
        query: VideoStatusesQuery = "/v3/videos/statuses",
    }
}

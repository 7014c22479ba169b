//! Videos: create (every kind), get, list, delete, batches and bulk statuses.

use heygen_model::{
    CreateVideoBatchRequest, CreateVideoBatchResponse, CreateVideoRequest, CreateVideoResponse,
    ListVideosQuery, Video, VideoBatch, VideoId, VideoStatusEntry, VideoStatusesQuery,
};

use super::macros::{batch_page, create_from_json, delete_by_id, get_by_id, list_page, query_page};

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

batch_page! {
    /// `GET /v3/videos/batches/{batch_id}`: the batch's aggregate status and one page of its items
    /// (1 to 100 per page). The cursor of the next page is `data.next_token`.
    pub struct GetVideoBatch => VideoBatch {
        /// The first page of `batch_id`'s items, with the server's page size.
        new;
        batch_id: BatchId = "/v3/videos/batches/{batch_id}",
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

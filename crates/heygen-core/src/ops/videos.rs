//! Videos: create, get, list, delete.

use heygen_model::{CreateVideoRequest, CreateVideoResponse, ListVideosQuery, Video, VideoId};

use super::macros::{create_from_json, delete_by_id, get_by_id, list_page};

create_from_json! {
    /// `POST /v3/videos`: starts rendering a video (from a look, an image, …).
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

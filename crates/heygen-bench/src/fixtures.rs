//! The canned HeyGen-shaped bodies the fixed-response server returns, and the request the
//! create workload sends. Every optional field is filled so decoding does its full work.

use serde_json::{Value, json};

/// Number of looks on the looks page.
pub(crate) const LOOKS_PER_PAGE: usize = 50;

/// The id the video workload asks for.
pub(crate) const VIDEO_ID: &str = "vid_5f0c2e9a1b7d4c3e8f6a0b1c2d3e4f50";

/// The group id the footprint probes ask for.
pub(crate) const GROUP_ID: &str = "grp_1b2c3d4e5f60718293a4b5c6d7e8f901";

/// The API key every client sends (the fixed server does not check it).
pub(crate) const API_KEY: &str = "hg_bench_key";

/// Name and prompt of the prompt avatar the create workload asks for.
pub(crate) const CREATE_NAME: &str = "Bench presenter";
/// See [`CREATE_NAME`].
pub(crate) const CREATE_PROMPT: &str =
    "A friendly presenter in a navy blazer, soft studio light, neutral grey background";

fn look(i: usize) -> Value {
    let statuses = ["completed", "processing", "pending_consent", "failed"];
    let types = ["digital_twin", "photo_avatar", "studio_avatar"];
    let orientations = ["portrait", "landscape", "square"];
    json!({
        "id": format!("look_{i:04}"),
        "name": format!("Anna {i:02}"),
        "avatar_type": types[i % types.len()],
        "group_id": "grp_1b2c3d4e5f60",
        "status": statuses[i % statuses.len()],
        "error": {"code": "no_face", "message": "No face found."},
        "default_voice_id": "voice_2d9f8e",
        "gender": "female",
        "image_width": 1080,
        "image_height": 1920,
        "preferred_orientation": orientations[i % orientations.len()],
        "preview_image_url": format!("https://cdn.heygen.ai/l/{i:04}.webp"),
        "preview_video_url": format!("https://cdn.heygen.ai/l/{i:04}.mp4"),
        "supported_api_engines": ["avatar_iv"],
        "tags": ["studio"],
    })
}

fn group() -> Value {
    json!({
        "id": GROUP_ID,
        "name": "Anna",
        "created_at": 1_764_400_000_u64,
        "looks_count": 12,
        "status": "completed",
        "consent_status": "approved",
        "default_voice_id": "voice_2d9f8e7c6b5a4f3e2d1c0b9a",
        "gender": "female",
        "preview_image_url": "https://files.heygen.ai/avatar/v3/grp/preview.webp",
        "preview_video_url": "https://files.heygen.ai/avatar/v3/grp/preview.mp4",
    })
}

/// `POST /v3/avatars` response (≈ 400 bytes): the new look and its group.
pub(crate) fn create_avatar() -> Vec<u8> {
    let body = json!({
        "data": {
            "avatar_item": {
                "id": "look_0001_7f3a9c2e4b1d4e8fa0c5d6e7f8a9b0c1",
                "name": CREATE_NAME,
                "avatar_type": "photo_avatar",
                "group_id": GROUP_ID,
                "status": "processing",
                "supported_api_engines": ["avatar_iv"],
                "tags": [],
            },
            "avatar_group": {
                "id": GROUP_ID,
                "name": CREATE_NAME,
                "created_at": 1_764_400_000_u64,
                "looks_count": 1,
                "status": "processing",
                "consent_status": null,
                "preview_image_url": "https://files.heygen.ai/avatar/v3/grp/preview.webp",
            }
        }
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// `GET /v3/avatars/looks?limit=50` response (≈ 23 KB): 50 looks, every field filled.
pub(crate) fn looks_page() -> Vec<u8> {
    let data: Vec<Value> = (0..LOOKS_PER_PAGE).map(look).collect();
    let body = json!({
        "data": data,
        "has_more": true,
        "next_token": "eyJvZmZzZXQiOjUwLCJsaW1pdCI6NTB9",
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// `GET /v3/videos/{id}` response: a completed video, every field filled.
pub(crate) fn video() -> Vec<u8> {
    let body = json!({
        "data": {
            "id": VIDEO_ID,
            "status": "completed",
            "title": "Quarterly update, March",
            "created_at": 1_764_400_000_u64,
            "completed_at": 1_764_400_321_u64,
            "duration": 42.5,
            "video_url": format!("https://files.heygen.ai/video/{VIDEO_ID}.mp4?Expires=1764486400&Signature=abcdef0123456789&Key-Pair-Id=K2ABCDEF"),
            "captioned_video_url": format!("https://files.heygen.ai/video/{VIDEO_ID}_caption.mp4?Expires=1764486400&Signature=abcdef0123456789&Key-Pair-Id=K2ABCDEF"),
            "gif_url": format!("https://files.heygen.ai/video/{VIDEO_ID}.gif"),
            "thumbnail_url": format!("https://files.heygen.ai/video/{VIDEO_ID}.jpg"),
            "subtitle_url": format!("https://files.heygen.ai/video/{VIDEO_ID}.srt"),
            "video_page_url": format!("https://app.heygen.com/videos/{VIDEO_ID}"),
            "folder_id": "fld_0a1b2c3d4e5f",
            "output_language": "en",
            "failure_code": "none",
            "failure_message": "none",
        }
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// `GET /v3/avatars/{group_id}` response: one avatar group.
pub(crate) fn avatar_group() -> Vec<u8> {
    serde_json::to_vec(&json!({ "data": group() })).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_spec() {
        let create = create_avatar().len();
        assert!(
            (300..=600).contains(&create),
            "create avatar body is {create} bytes"
        );
        let page = looks_page().len();
        assert!(
            (20_000..=26_000).contains(&page),
            "looks page is {page} bytes"
        );
        let page: Value = serde_json::from_slice(&looks_page()).unwrap();
        assert_eq!(page["data"].as_array().unwrap().len(), LOOKS_PER_PAGE);
        let video: Value = serde_json::from_slice(&video()).unwrap();
        assert_eq!(video["data"]["id"], VIDEO_ID);
        let group: Value = serde_json::from_slice(&avatar_group()).unwrap();
        assert_eq!(group["data"]["id"], GROUP_ID);
    }
}

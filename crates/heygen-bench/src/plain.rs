//! The "raw typed" baseline's types: simple owned structs decoded with plain `serde_json`,
//! what a user would write by hand instead of using the SDK.

#![allow(
    dead_code,
    reason = "fields are decoded, not read: the baseline pays for decoding only"
)]

use serde::{Deserialize, Serialize};

/// `{"data": T}`.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope<T> {
    pub(crate) data: T,
}

/// An error object on a resource.
#[derive(Debug, Deserialize)]
pub(crate) struct PlainError {
    pub(crate) code: String,
    pub(crate) message: String,
}

/// A look.
#[derive(Debug, Deserialize)]
pub(crate) struct PlainLook {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) avatar_type: String,
    pub(crate) group_id: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) error: Option<PlainError>,
    pub(crate) default_voice_id: Option<String>,
    pub(crate) gender: Option<String>,
    pub(crate) image_width: Option<u32>,
    pub(crate) image_height: Option<u32>,
    pub(crate) preferred_orientation: Option<String>,
    pub(crate) preview_image_url: Option<String>,
    pub(crate) preview_video_url: Option<String>,
    #[serde(default)]
    pub(crate) supported_api_engines: Vec<String>,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
}

/// An avatar group.
#[derive(Debug, Deserialize)]
pub(crate) struct PlainGroup {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) created_at: u64,
    pub(crate) looks_count: u32,
    pub(crate) status: Option<String>,
    pub(crate) consent_status: Option<String>,
    pub(crate) error: Option<PlainError>,
    pub(crate) default_voice_id: Option<String>,
    pub(crate) gender: Option<String>,
    pub(crate) preview_image_url: Option<String>,
    pub(crate) preview_video_url: Option<String>,
}

/// `POST /v3/avatars` response data.
#[derive(Debug, Deserialize)]
pub(crate) struct PlainCreated {
    pub(crate) avatar_item: Option<PlainLook>,
    pub(crate) avatar_group: Option<PlainGroup>,
}

/// `GET /v3/avatars/looks` page.
#[derive(Debug, Deserialize)]
pub(crate) struct PlainLooksPage {
    pub(crate) data: Vec<PlainLook>,
    #[serde(default)]
    pub(crate) has_more: bool,
    pub(crate) next_token: Option<String>,
}

/// A video.
#[derive(Debug, Deserialize)]
pub(crate) struct PlainVideo {
    pub(crate) id: String,
    pub(crate) status: String,
    pub(crate) title: Option<String>,
    pub(crate) created_at: Option<u64>,
    pub(crate) completed_at: Option<u64>,
    pub(crate) duration: Option<f64>,
    pub(crate) video_url: Option<String>,
    pub(crate) captioned_video_url: Option<String>,
    pub(crate) gif_url: Option<String>,
    pub(crate) thumbnail_url: Option<String>,
    pub(crate) subtitle_url: Option<String>,
    pub(crate) video_page_url: Option<String>,
    pub(crate) folder_id: Option<String>,
    pub(crate) output_language: Option<String>,
    pub(crate) failure_code: Option<String>,
    pub(crate) failure_message: Option<String>,
}

/// `POST /v3/avatars` request for a prompt avatar.
#[derive(Debug, Serialize)]
pub(crate) struct PlainCreatePrompt<'a> {
    #[serde(rename = "type")]
    pub(crate) kind: &'a str,
    pub(crate) name: &'a str,
    pub(crate) prompt: &'a str,
}

impl PlainCreatePrompt<'static> {
    /// The request every create workload sends.
    pub(crate) fn bench() -> Self {
        Self {
            kind: "prompt",
            name: crate::fixtures::CREATE_NAME,
            prompt: crate::fixtures::CREATE_PROMPT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn fixtures_decode() {
        let page: PlainLooksPage = serde_json::from_slice(&fixtures::looks_page()).unwrap();
        assert_eq!(page.data.len(), fixtures::LOOKS_PER_PAGE);
        assert!(
            page.data
                .iter()
                .all(|l| l.error.is_some() && l.tags.len() == 1)
        );
        let created: Envelope<PlainCreated> =
            serde_json::from_slice(&fixtures::create_avatar()).unwrap();
        assert_eq!(created.data.avatar_group.unwrap().id, fixtures::GROUP_ID);
        let video: Envelope<PlainVideo> = serde_json::from_slice(&fixtures::video()).unwrap();
        assert_eq!(video.data.id, fixtures::VIDEO_ID);
        let body = serde_json::to_string(&PlainCreatePrompt::bench()).unwrap();
        assert!(
            body.starts_with(r#"{"type":"prompt","name":"Bench presenter""#),
            "{body}"
        );
    }
}

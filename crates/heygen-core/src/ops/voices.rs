//! Voices: list, get, delete, design, clone, speech.

use heygen_model::{
    CloneVoiceRequest, DeletedVoice, DesignVoiceRequest, DesignedVoices, IdempotencyKey,
    ListVoicesQuery, Speech, SpeechRequest, Voice, VoiceClone, VoiceDetails, VoiceId,
};
use http::{Method, Request, Response};

use super::macros::{create_from_json, get_by_id, list_page};
use crate::body::Body;
use crate::config::Config;
use crate::error::Error;
use crate::operation::{Operation, Payload, api_request, encode_path_param};
use crate::response::ResponseLimits;

list_page! {
    /// `GET /v3/voices`: one page of voices (`limit` 1 to 100; a larger limit is rejected
    /// before sending). Filters: `type` (public by default), `engine` (`starfish` for voices
    /// that speech synthesis accepts), `language`, `gender`.
    pub struct ListVoices => Voice {
        query: ListVoicesQuery = "/v3/voices",
    }
}

get_by_id! {
    /// `GET /v3/voices/{voice_id}`: one voice; for a clone, its state (`processing`,
    /// `complete`, `failed`).
    pub struct GetVoice => VoiceDetails {
        /// The voice `voice_id`.
        new;
        /// The voice id.
        voice_id: VoiceId = "/v3/voices/{voice_id}",
    }
}

create_from_json! {
    /// `POST /v3/voices`: up to three voices matching a description; `seed` picks the batch.
    pub struct DesignVoice => DesignedVoices {
        /// Voices matching `request`.
        new(request: DesignVoiceRequest);
        path: "/v3/voices",
    }
}

create_from_json! {
    /// `POST /v3/voices/clone`: starts cloning a voice from a recording; poll the returned
    /// id with [`GetVoice`] (or `Wait::voice`) until its status is `complete`.
    pub struct CloneVoice => VoiceClone {
        /// Clones the voice `request` describes.
        new(request: CloneVoiceRequest);
        path: "/v3/voices/clone",
    }
}

create_from_json! {
    /// `POST /v3/voices/speech`: synthesizes `text` (1 to 5000 characters, plain or SSML,
    /// speed 0.5 to 2.0) with a voice that supports the `starfish` engine; answers the audio's
    /// URL and its duration in seconds.
    pub struct CreateSpeech => Speech {
        /// Speech for `request`.
        new(request: SpeechRequest);
        path: "/v3/voices/speech",
    }
}

/// `DELETE /v3/voices/{voice_id}`: deletes a cloned voice. A voice that is already gone
/// answers a 404 (`voice_not_found`), which a delete-then-list flow may take as success.
#[derive(Debug, Clone)]
pub struct DeleteVoice {
    voice_id: VoiceId,
    idempotency_key: Option<IdempotencyKey>,
}

impl DeleteVoice {
    /// Deletes `voice_id`.
    pub fn new(voice_id: VoiceId) -> Self {
        Self {
            voice_id,
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

impl Operation for DeleteVoice {
    type Output = DeletedVoice;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path_template(&self) -> &'static str {
        "/v3/voices/{voice_id}"
    }

    fn idempotency_key(&self) -> Option<&str> {
        super::support::key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        let id = encode_path_param("voice_id", self.voice_id.as_str())?;
        api_request(
            config,
            Method::DELETE,
            &format!("/v3/voices/{id}"),
            Payload::Empty,
        )
    }

    /// An empty 2xx (`204`) counts as deleted `voice_id`.
    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<DeletedVoice, Error> {
        if response.status().is_success() && response.body().is_empty() {
            return serde_json::from_value(serde_json::json!({ "voice_id": self.voice_id }))
                .map_err(|e| {
                    Error::invalid_request(None, format!("could not build the delete result: {e}"))
                });
        }
        super::support::data(&Method::DELETE, self.path_template(), &response, limits)
    }
}

//! The shared scenario table, run against the blocking client.

use heygen_blocking::{AvatarFileKind, Client, Waited};
use heygen_core::Error;
use heygen_core::ops::RawJson;
use heygen_model::{
    CompleteUploadRequest, CreateAvatarVideo, CreateConsentRequest, CreateDirectUploadRequest,
    UpdateLookRequest,
};
use heygen_scenarios::{
    Action, AvatarKind, Outcome, ScenarioClient, UploadMode, asset_id, group_id, look_id, video_id,
};

/// The blocking client behind the scenario table.
pub(crate) struct Blocking {
    pub(crate) client: Client,
}

fn waited<T: serde::Serialize>(result: Result<Waited<T>, Error>) -> Outcome {
    match result {
        Ok(Waited::Completed(v)) => Outcome::waited("completed", &v),
        Ok(Waited::PendingConsent(v)) => Outcome::waited("pending_consent", &v),
        Ok(_) => Outcome::error(&Error::invalid_request(None, "unknown wait state")),
        Err(e) => Outcome::error(&e),
    }
}

impl ScenarioClient for Blocking {
    fn run(&mut self, action: &Action) -> Outcome {
        let c = &self.client;
        match action {
            Action::GetCurrentUser => Outcome::value(c.users().me()),
            Action::CreateAvatar(spec) => {
                Outcome::value(spec.to_request().and_then(|r| c.avatars().create(r)))
            }
            Action::ListAvatarGroups(q) => Outcome::value(c.avatars().list(q.to_groups_query())),
            Action::ListAvatarGroupsAll(q) => {
                Outcome::items(c.avatars().list_all(q.to_groups_query()))
            }
            Action::GetAvatarGroup { group_id: g } => {
                Outcome::value(group_id(g).and_then(|id| c.avatars().get(&id)))
            }
            Action::DeleteAvatarGroup { group_id: g } => {
                Outcome::value(group_id(g).and_then(|id| c.avatars().delete(&id)))
            }
            Action::CreateConsent {
                group_id: g,
                consent_text,
            } => {
                let mut request = CreateConsentRequest::new();
                if let Some(text) = consent_text {
                    request = request.consent_text(text.clone());
                }
                Outcome::value(group_id(g).and_then(|id| c.avatars().create_consent(&id, request)))
            }
            Action::ListLooks(q) => {
                Outcome::value(q.to_looks_query().and_then(|q| c.looks().list(q)))
            }
            Action::ListLooksAll(q) => match q.to_looks_query() {
                Ok(q) => Outcome::items(c.looks().list_all(q)),
                Err(e) => Outcome::error(&e),
            },
            Action::GetLook { look_id: l } => {
                Outcome::value(look_id(l).and_then(|id| c.looks().get(&id)))
            }
            Action::UpdateLook { look_id: l, name } => Outcome::value(look_id(l).and_then(|id| {
                c.looks()
                    .update(&id, UpdateLookRequest::new().name(name.clone()))
            })),
            Action::DeleteLook { look_id: l } => {
                Outcome::value(look_id(l).and_then(|id| c.looks().delete(&id)))
            }
            Action::CreateDirectUpload {
                filename,
                content_type,
                size_bytes,
            } => Outcome::value(
                c.assets()
                    .create_direct_upload(CreateDirectUploadRequest::new(
                        filename.clone(),
                        content_type.clone(),
                        *size_bytes,
                    )),
            ),
            Action::CompleteUpload { asset_id: a } => Outcome::value(asset_id(a).and_then(|id| {
                c.assets()
                    .complete_upload(&id, CompleteUploadRequest::new())
            })),
            Action::UploadFile { path, mode } => match mode {
                UploadMode::Multipart => Outcome::value(
                    c.assets()
                        .upload_path(path)
                        .map(|a| a.asset_id.as_str().to_owned()),
                ),
                UploadMode::Direct => Outcome::value(
                    c.assets()
                        .direct_upload(path)
                        .map(|d| d.asset_id.as_str().to_owned()),
                ),
                _ => Outcome::error(&Error::invalid_request(None, "unknown upload mode")),
            },
            Action::CreateAvatarFromFile {
                kind,
                name,
                path,
                inline_threshold,
            } => {
                let kind = match kind {
                    AvatarKind::DigitalTwin => AvatarFileKind::DigitalTwin,
                    _ => AvatarFileKind::Photo,
                };
                let client = c.clone().with_inline_threshold(*inline_threshold);
                match client.create_avatar_from_file(kind, name, path) {
                    Ok(r) => Outcome::avatar_from_file(
                        &r.avatar,
                        r.asset_id.as_ref().map(heygen_model::AssetId::as_str),
                    ),
                    Err(e) => Outcome::error(&e),
                }
            }
            Action::CreateVideo {
                avatar_id,
                script,
                title,
            } => Outcome::value(look_id(avatar_id).and_then(|look| {
                let mut request = CreateAvatarVideo::new(look).script(script.clone());
                if let Some(t) = title {
                    request = request.title(t.clone());
                }
                c.videos().create(request)
            })),
            Action::ListVideos(q) => Outcome::value(c.videos().list(q.to_videos_query())),
            Action::ListVideosAll(q) => Outcome::items(c.videos().list_all(q.to_videos_query())),
            Action::GetVideo { video_id: v } => {
                Outcome::value(video_id(v).and_then(|id| c.videos().get(&id)))
            }
            Action::DeleteVideo { video_id: v } => {
                Outcome::value(video_id(v).and_then(|id| c.videos().delete(&id)))
            }
            Action::WaitForAvatar { group_id: g, poll } => match group_id(g) {
                Ok(id) => waited(c.wait_for_avatar_with(&id, &poll.to_policy())),
                Err(e) => Outcome::error(&e),
            },
            Action::WaitForConsent { group_id: g, poll } => {
                match group_id(g).and_then(|id| c.wait_for_consent_with(&id, &poll.to_policy())) {
                    Ok(v) => Outcome::waited("completed", &v),
                    Err(e) => Outcome::error(&e),
                }
            }
            Action::WaitForLook { look_id: l, poll } => match look_id(l) {
                Ok(id) => waited(c.wait_for_look_with(&id, &poll.to_policy())),
                Err(e) => Outcome::error(&e),
            },
            Action::WaitForVideo { video_id: v, poll } => {
                match video_id(v).and_then(|id| c.wait_for_video_with(&id, &poll.to_policy())) {
                    Ok(v) => Outcome::waited("completed", &v),
                    Err(e) => Outcome::error(&e),
                }
            }
            Action::Send { method, path, body } => {
                let method =
                    http::Method::from_bytes(method.as_bytes()).unwrap_or(http::Method::GET);
                let mut op = RawJson::new(method, path.clone());
                if let Some(b) = body {
                    op = op.body(b.clone());
                }
                Outcome::value(c.send(&op))
            }
            _ => Outcome::error(&Error::invalid_request(None, "action not supported")),
        }
    }
}

#[test]
fn scenario_table_passes_on_the_blocking_client() {
    let filter = std::env::var("HEYGEN_SCENARIO").ok();
    let report = heygen_scenarios::run_all(filter.as_deref(), |config| Blocking {
        client: Client::new(config).expect("client"),
    })
    .expect("emulator");
    println!("{report}");
    assert!(!report.results.is_empty());
    assert!(
        report.all_passed(),
        "failed scenarios: {:?}",
        report.failures()
    );
}

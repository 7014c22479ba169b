//! The shared scenario table against the async client.

use std::path::PathBuf;

use futures_util::StreamExt as _;
use heygen_async::core::ops::RawJson;
use heygen_async::model::{CreateConsentRequest, CreateDirectUploadRequest, UpdateLookRequest};
use heygen_async::{AvatarFileKind, Client, Config, Waited};
use heygen_model::{CompleteUploadRequest, CreateAvatarVideo};
use heygen_scenarios::{
    Action, AvatarKind, Outcome, ScenarioClient, UploadMode, asset_id, group_id, look_id, run_all,
    video_id,
};

/// The async client behind the blocking scenario interface.
pub struct AsyncScenarioClient {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl AsyncScenarioClient {
    pub fn new(config: Config) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let client = Client::new(config).unwrap();
        Self { runtime, client }
    }
}

async fn collect<T>(stream: heygen_async::ItemStream<T>) -> Vec<Result<T, heygen_async::Error>> {
    stream.collect().await
}

fn waited<T: serde::Serialize>(r: Result<Waited<T>, heygen_async::Error>) -> Outcome {
    match r {
        Ok(Waited::Completed(v)) => Outcome::waited("completed", &v),
        Ok(Waited::PendingConsent(v)) => Outcome::waited("pending_consent", &v),
        Ok(_) => unreachable!("no other outcome"),
        Err(e) => Outcome::error(&e),
    }
}

#[allow(clippy::too_many_lines, reason = "one arm per action")]
async fn run(client: &Client, action: &Action) -> Outcome {
    macro_rules! id {
        ($f:ident, $v:expr) => {
            match $f($v) {
                Ok(id) => id,
                Err(e) => return Outcome::error(&e),
            }
        };
    }
    match action {
        Action::GetCurrentUser => Outcome::value(client.users().me().await),
        Action::CreateAvatar(spec) => match spec.to_request() {
            Ok(req) => Outcome::value(client.avatars().create(req).await),
            Err(e) => Outcome::error(&e),
        },
        Action::ListAvatarGroups(spec) => {
            Outcome::value(client.avatars().list(spec.to_groups_query()).await)
        }
        Action::ListAvatarGroupsAll(spec) => {
            Outcome::items(collect(client.avatars().list_all(spec.to_groups_query())).await)
        }
        Action::GetAvatarGroup { group_id: g } => {
            Outcome::value(client.avatars().get(&id!(group_id, g)).await)
        }
        Action::DeleteAvatarGroup { group_id: g } => {
            Outcome::value(client.avatars().delete(&id!(group_id, g)).await)
        }
        Action::CreateConsent {
            group_id: g,
            consent_text,
        } => {
            let mut req = CreateConsentRequest::new();
            if let Some(text) = consent_text {
                req = req.consent_text(text.clone());
            }
            Outcome::value(
                client
                    .avatars()
                    .create_consent(&id!(group_id, g), req)
                    .await,
            )
        }
        Action::ListLooks(spec) => match spec.to_looks_query() {
            Ok(q) => Outcome::value(client.looks().list(q).await),
            Err(e) => Outcome::error(&e),
        },
        Action::ListLooksAll(spec) => match spec.to_looks_query() {
            Ok(q) => Outcome::items(collect(client.looks().list_all(q)).await),
            Err(e) => Outcome::error(&e),
        },
        Action::GetLook { look_id: l } => {
            Outcome::value(client.looks().get(&id!(look_id, l)).await)
        }
        Action::UpdateLook { look_id: l, name } => Outcome::value(
            client
                .looks()
                .update(
                    &id!(look_id, l),
                    UpdateLookRequest::new().name(name.clone()),
                )
                .await,
        ),
        Action::DeleteLook { look_id: l } => {
            Outcome::value(client.looks().delete(&id!(look_id, l)).await)
        }
        Action::CreateDirectUpload {
            filename,
            content_type,
            size_bytes,
        } => Outcome::value(
            client
                .assets()
                .create_direct_upload(CreateDirectUploadRequest::new(
                    filename.clone(),
                    content_type.clone(),
                    *size_bytes,
                ))
                .await,
        ),
        Action::CompleteUpload { asset_id: a } => Outcome::value(
            client
                .assets()
                .complete_upload(&id!(asset_id, a), CompleteUploadRequest::new())
                .await,
        ),
        Action::UploadFile { path, mode } => {
            let result = match mode {
                UploadMode::Multipart => {
                    client.assets().upload_path(path).await.map(|a| a.asset_id)
                }
                UploadMode::Direct => client
                    .assets()
                    .direct_upload(path)
                    .await
                    .map(|a| a.asset_id),
                _ => unreachable!("unknown upload mode"),
            };
            Outcome::value(result.map(|id| id.as_str().to_owned()))
        }
        Action::CreateAvatarFromFile {
            kind,
            name,
            path,
            inline_threshold,
        } => {
            let kind = match kind {
                AvatarKind::Photo => AvatarFileKind::Photo,
                AvatarKind::DigitalTwin => AvatarFileKind::DigitalTwin,
                _ => unreachable!("unknown kind"),
            };
            let client = client.clone().with_inline_threshold(*inline_threshold);
            match client
                .create_avatar_from_file(kind, name, PathBuf::from(path))
                .await
            {
                Ok(r) => {
                    Outcome::avatar_from_file(&r.avatar, r.asset_id.as_ref().map(|a| a.as_str()))
                }
                Err(e) => Outcome::error(&e),
            }
        }
        Action::CreateVideo {
            avatar_id,
            script,
            title,
        } => {
            let mut req = CreateAvatarVideo::new(id!(look_id, avatar_id)).script(script.clone());
            if let Some(t) = title {
                req = req.title(t.clone());
            }
            Outcome::value(client.videos().create(req).await)
        }
        Action::ListVideos(spec) => {
            Outcome::value(client.videos().list(spec.to_videos_query()).await)
        }
        Action::ListVideosAll(spec) => {
            Outcome::items(collect(client.videos().list_all(spec.to_videos_query())).await)
        }
        Action::GetVideo { video_id: v } => {
            Outcome::value(client.videos().get(&id!(video_id, v)).await)
        }
        Action::DeleteVideo { video_id: v } => {
            Outcome::value(client.videos().delete(&id!(video_id, v)).await)
        }
        Action::WaitForAvatar { group_id: g, poll } => waited(
            client
                .wait_for_avatar_with(&id!(group_id, g), &poll.to_policy())
                .await,
        ),
        Action::WaitForConsent { group_id: g, poll } => match client
            .wait_for_consent_with(&id!(group_id, g), &poll.to_policy())
            .await
        {
            Ok(v) => Outcome::waited("completed", &v),
            Err(e) => Outcome::error(&e),
        },
        Action::WaitForLook { look_id: l, poll } => waited(
            client
                .wait_for_look_with(&id!(look_id, l), &poll.to_policy())
                .await,
        ),
        Action::WaitForVideo { video_id: v, poll } => match client
            .wait_for_video_with(&id!(video_id, v), &poll.to_policy())
            .await
        {
            Ok(v) => Outcome::waited("completed", &v),
            Err(e) => Outcome::error(&e),
        },
        Action::Send { method, path, body } => {
            let Ok(method) = method.parse::<http::Method>() else {
                return Outcome::Err(heygen_scenarios::ErrorSummary::from_error(
                    &heygen_async::Error::invalid_request(Some("method"), "invalid method"),
                ));
            };
            let mut op = RawJson::new(method, path.clone());
            if let Some(b) = body {
                op = op.body(b.clone());
            }
            Outcome::value(client.send(&op).await)
        }
        _ => unreachable!("unknown action"),
    }
}

impl ScenarioClient for AsyncScenarioClient {
    fn run(&mut self, action: &Action) -> Outcome {
        self.runtime.block_on(run(&self.client, action))
    }
}

#[test]
fn scenario_table_passes_on_the_async_client() {
    let filter = std::env::var("SCENARIO_FILTER").ok();
    let report = run_all(filter.as_deref(), AsyncScenarioClient::new).unwrap();
    println!("{report}");
    assert!(report.all_passed(), "failed: {:?}", report.failures());
}

//! [`ScenarioClient`]: all a transport provides to the table (run a core workflow, walk a list),
//! and [`Action::run`]: every action turned into the core workflow both clients run, once.

use core::convert::Infallible;

use heygen_core::ops::{
    CompleteUpload, CreateAvatar, CreateConsent, CreateDirectUpload, CreateVideo,
    DeleteAvatarGroup, DeleteLook, DeleteVideo, GetAvatarGroup, GetCurrentUser, GetLook, GetVideo,
    ListAvatarGroups, ListLooks, ListVideos, RawJson, UpdateLook,
};
use heygen_core::ops::{
    CreateWebhookEndpoint, DeleteWebhookEndpoint, ListWebhookEndpoints, ListWebhookEventTypes,
    ListWebhookEvents, RotateWebhookSecret, UpdateWebhookEndpoint,
};
use heygen_core::upload::{AvatarFileKind, MultipartUpload, UploadDirect, WithFile};
use heygen_core::{Call, Error, Operation, Paginate, Pollable, Wait, Waited, Walk, Workflow};
use heygen_model::webhook::{
    CreateWebhookEndpointRequest, ListWebhookEventsQuery, UpdateWebhookEndpointRequest,
};
use heygen_model::{
    AssetId, CompleteUploadRequest, CreateAvatarVideo, CreateConsentRequest,
    CreateDirectUploadRequest, ListPage, UpdateLookRequest,
};
use serde::Serialize;

use crate::action::{
    Action, AvatarKind, UploadMode, asset_id, endpoint_id, group_id, look_id, video_id,
};
use crate::outcome::Outcome;

/// A client the table can drive: a generic dispatcher of core workflows. The blocking client
/// forwards to its `run` and `items`; the async client owns a runtime and `block_on`s them.
pub trait ScenarioClient {
    /// Runs a workflow (a call, a wait, an upload flow) to its end.
    ///
    /// # Errors
    /// The workflow's error.
    fn run<W>(&mut self, workflow: W) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send + 'static,
        W::Output: Send + 'static;

    /// Walks a list to its end: every item handed out, in order, then the error that ended the
    /// walk, if one did (the client's iterator or stream, collected).
    fn items<W>(&mut self, walk: W) -> Vec<Result<W::Item, Error>>
    where
        W: Workflow<Output = ()> + Send + 'static,
        W::Item: Send + 'static;
}

/// One operation with its retries: the serialized output, or the error (also a validation
/// error from building the operation, in which case nothing is sent).
fn call<O>(client: &mut impl ScenarioClient, op: Result<O, Error>) -> Outcome
where
    O: Operation + Send + 'static,
    O::Output: Serialize + Send + 'static,
{
    Outcome::value(op.and_then(|op| client.run(Call::lazy(op))))
}

/// Every page of a list: [`Outcome::items`] of what the walk handed out.
fn walk<O, T>(client: &mut impl ScenarioClient, op: Result<O, Error>) -> Outcome
where
    O: Paginate<Output = ListPage<T>> + Send + 'static,
    T: Serialize + Send + 'static,
{
    match op {
        Ok(op) => Outcome::items(client.items(Walk::new(op))),
        Err(e) => Outcome::error(&e),
    }
}

/// A wait: [`Outcome::waited`] with the state it ended in.
fn wait<O>(client: &mut impl ScenarioClient, wait: Result<Wait<O>, Error>) -> Outcome
where
    O: Operation + Clone + Send + 'static,
    O::Output: Pollable + Serialize + Send + 'static,
{
    match wait.and_then(|w| client.run(w)) {
        Ok(Waited::Completed(v)) => Outcome::waited("completed", &v),
        Ok(Waited::PendingConsent(v)) => Outcome::waited("pending_consent", &v),
        Err(e) => Outcome::error(&e),
    }
}

impl Action {
    /// Runs the action as its core workflow on `client` and normalizes the result (see
    /// [`Action`] for the shape of each).
    #[allow(clippy::too_many_lines, reason = "one short arm per action")]
    pub fn run(&self, client: &mut impl ScenarioClient) -> Outcome {
        match self {
            Self::GetCurrentUser => call(client, Ok(GetCurrentUser::new())),
            Self::CreateAvatar(spec) => call(client, spec.to_request().map(CreateAvatar::new)),
            Self::ListAvatarGroups(q) => {
                call(client, Ok(ListAvatarGroups::new(q.to_groups_query())))
            }
            Self::ListAvatarGroupsAll(q) => {
                walk(client, Ok(ListAvatarGroups::new(q.to_groups_query())))
            }
            Self::GetAvatarGroup { group_id: g } => {
                call(client, group_id(g).map(GetAvatarGroup::new))
            }
            Self::DeleteAvatarGroup { group_id: g } => {
                call(client, group_id(g).map(DeleteAvatarGroup::new))
            }
            Self::CreateConsent {
                group_id: g,
                consent_text,
            } => {
                let mut request = CreateConsentRequest::new();
                if let Some(text) = consent_text {
                    request = request.consent_text(text.clone());
                }
                call(
                    client,
                    group_id(g).map(|id| CreateConsent::new(id, request)),
                )
            }
            Self::ListLooks(q) => call(client, q.to_looks_query().map(ListLooks::new)),
            Self::ListLooksAll(q) => walk(client, q.to_looks_query().map(ListLooks::new)),
            Self::GetLook { look_id: l } => call(client, look_id(l).map(GetLook::new)),
            Self::UpdateLook { look_id: l, name } => {
                let request = UpdateLookRequest::new().name(name.clone());
                call(client, look_id(l).map(|id| UpdateLook::new(id, request)))
            }
            Self::DeleteLook { look_id: l } => call(client, look_id(l).map(DeleteLook::new)),
            Self::CreateDirectUpload {
                filename,
                content_type,
                size_bytes,
            } => {
                let request = CreateDirectUploadRequest::new(
                    filename.clone(),
                    content_type.clone(),
                    *size_bytes,
                );
                call(client, Ok(CreateDirectUpload::new(request)))
            }
            Self::CompleteUpload { asset_id: a } => call(
                client,
                asset_id(a).map(|id| CompleteUpload::new(id, CompleteUploadRequest::new())),
            ),
            Self::UploadFile { path, mode } => {
                let id = match mode {
                    UploadMode::Multipart => {
                        client.run(MultipartUpload::path(path)).map(|a| a.asset_id)
                    }
                    UploadMode::Direct => client.run(UploadDirect::path(path)).map(|d| d.asset_id),
                };
                Outcome::value(id.map(|id| id.as_str().to_owned()))
            }
            Self::CreateAvatarFromFile {
                kind,
                name,
                path,
                inline_threshold,
            } => {
                let kind = match kind {
                    AvatarKind::Photo => AvatarFileKind::Photo,
                    AvatarKind::DigitalTwin => AvatarFileKind::DigitalTwin,
                };
                let flow = WithFile::avatar(kind, name, path).inline_threshold(*inline_threshold);
                match client.run(flow) {
                    Ok(r) => Outcome::avatar_from_file(
                        &r.output,
                        r.asset_id.as_ref().map(AssetId::as_str),
                    ),
                    Err(e) => Outcome::error(&e),
                }
            }
            Self::CreateVideo {
                avatar_id,
                script,
                title,
            } => {
                let op = look_id(avatar_id).map(|look| {
                    let mut request = CreateAvatarVideo::new(look).script(script.clone());
                    if let Some(t) = title {
                        request = request.title(t.clone());
                    }
                    CreateVideo::new(request)
                });
                call(client, op)
            }
            Self::ListVideos(q) => call(client, Ok(ListVideos::new(q.to_videos_query()))),
            Self::ListVideosAll(q) => walk(client, Ok(ListVideos::new(q.to_videos_query()))),
            Self::GetVideo { video_id: v } => call(client, video_id(v).map(GetVideo::new)),
            Self::DeleteVideo { video_id: v } => call(client, video_id(v).map(DeleteVideo::new)),
            Self::WaitForAvatar { group_id: g, poll } => wait(
                client,
                group_id(g).map(|id| Wait::avatar(&id).policy(poll.to_policy())),
            ),
            Self::WaitForConsent { group_id: g, poll } => wait(
                client,
                group_id(g).map(|id| Wait::consent(&id).policy(poll.to_policy())),
            ),
            Self::WaitForLook { look_id: l, poll } => wait(
                client,
                look_id(l).map(|id| Wait::look(&id).policy(poll.to_policy())),
            ),
            Self::WaitForVideo { video_id: v, poll } => wait(
                client,
                video_id(v).map(|id| Wait::video(&id).policy(poll.to_policy())),
            ),
            Self::CreateWebhookEndpoint { url, events } => {
                let mut request = CreateWebhookEndpointRequest::new(url.clone());
                if let Some(events) = events {
                    request = request.events(events.clone());
                }
                call(client, Ok(CreateWebhookEndpoint::new(request)))
            }
            Self::ListWebhookEndpoints(q) => call(
                client,
                Ok(ListWebhookEndpoints::new(q.to_webhook_endpoints_query())),
            ),
            Self::ListWebhookEndpointsAll(q) => walk(
                client,
                Ok(ListWebhookEndpoints::new(q.to_webhook_endpoints_query())),
            ),
            Self::UpdateWebhookEndpoint {
                endpoint_id: e,
                url,
                events,
            } => {
                let mut request = UpdateWebhookEndpointRequest::new();
                if let Some(url) = url {
                    request = request.url(url.clone());
                }
                if let Some(events) = events {
                    request = request.events(events.clone());
                }
                call(
                    client,
                    endpoint_id(e).map(|id| UpdateWebhookEndpoint::new(id, request)),
                )
            }
            Self::DeleteWebhookEndpoint { endpoint_id: e } => {
                call(client, endpoint_id(e).map(DeleteWebhookEndpoint::new))
            }
            Self::RotateWebhookSecret { endpoint_id: e } => {
                call(client, endpoint_id(e).map(RotateWebhookSecret::new))
            }
            Self::ListWebhookEventTypes => call(client, Ok(ListWebhookEventTypes::new())),
            Self::ListWebhookEvents {
                event_type,
                entity_id,
                limit,
            } => {
                let mut query = ListWebhookEventsQuery::new();
                if let Some(t) = event_type {
                    query = query.event_type(t.clone());
                }
                if let Some(id) = entity_id {
                    query = query.entity_id(id.clone());
                }
                if let Some(n) = limit {
                    query = query.limit(*n);
                }
                call(client, Ok(ListWebhookEvents::new(query)))
            }
            Self::Send { method, path, body } => {
                let op = method
                    .parse::<http::Method>()
                    .map_err(|_| Error::invalid_request(Some("method"), "is not a valid method"))
                    .map(|method| {
                        let op = RawJson::new(method, path.clone());
                        match body {
                            Some(b) => op.body(b.clone()),
                            None => op,
                        }
                    });
                call(client, op)
            }
        }
    }
}

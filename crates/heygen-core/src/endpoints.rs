//! The one list of what the clients' resource handles offer: every method of `client.avatars()`,
//! `client.looks()`, `client.assets()`, `client.videos()`, `client.voices()`, `client.users()` and the client's own
//! waits and file helpers, each as the workflow it runs.
//!
//! [`crate::endpoints!`] declares the handle types and their accessors on the caller's `Client`,
//! then hands each block of entries to a macro of the caller's: `heygen-blocking` turns each
//! entry into a method that runs the workflow in its loop, `heygen-async` into an `async fn`.
//! Adding an endpoint to both clients is one entry here (plus the operation and model types).
//! Methods that take the caller's reader (`Read` or `AsyncRead`) are written in each client.
//!
//! Entry forms, inside a `handle Name "doc" { … }` or the `client { … }` block:
//! - `fn name(args) -> Output = workflow;` runs the workflow, returns its output;
//! - `fn name(args) -> Output = workflow, map function;` the same, mapped;
//! - `fn name(args) -> each Item = walk;` hands out every item of a list walk (an iterator or a
//!   stream).

/// Declares the handles on the caller's `Client` and calls `$callback!` once per entry, inside
/// the handle's `impl` (receiver `self`, a copy of the handle) or `impl Client` (receiver
/// `&self`), in one of two forms (see the module docs of `heygen_core::endpoints`):
/// - `@run (receiver) self #[doc…] fn name(args) -> Output = workflow, map function`;
/// - `@each (receiver) self #[doc…] fn name(args) -> Operation => Item = walk`.
#[macro_export]
#[doc(hidden)]
macro_rules! endpoints {
    ($callback:ident) => {
        $crate::__facade! {
            $callback;
            handle avatars Avatars "Avatar groups: `/v3/avatars…`." {
                /// `POST /v3/avatars`: creates a photo avatar, digital twin or prompt avatar.
                /// The response holds the new look (`avatar_item`, whose id is the `avatar_id`
                /// of a video) and its group; see [`heygen_core::model::CreateAvatarResponse::look_id`]
                /// and [`heygen_core::model::CreateAvatarResponse::group_id`].
                ///
                /// # Errors
                /// Validation errors (nothing sent), API and transport errors after retries.
                fn create(request: impl Into<$crate::model::CreateAvatarRequest>)
                    -> $crate::model::CreateAvatarResponse
                    = $crate::Call::lazy($crate::ops::CreateAvatar::new(request));

                /// `GET /v3/avatars`: one page of avatar groups (`limit` 1 to 50).
                ///
                /// # Errors
                /// Validation errors (a `limit` outside 1–50), API and transport errors.
                fn list(query: $crate::model::ListAvatarGroupsQuery)
                    -> $crate::model::ListPage<$crate::model::AvatarGroup>
                    = $crate::Call::lazy($crate::ops::ListAvatarGroups::new(query));

                /// `GET /v3/avatars`, every page: all groups matching `query`, each page request
                /// repeating the filters and `limit`. Ends after one error.
                fn list_all(query: $crate::model::ListAvatarGroupsQuery)
                    -> each $crate::ops::ListAvatarGroups => $crate::model::AvatarGroup
                    = $crate::Walk::new($crate::ops::ListAvatarGroups::new(query));

                /// `GET /v3/avatars/{group_id}`: one group, with its training and consent status.
                ///
                /// # Errors
                /// A not-found API error for an unknown group, API and transport errors.
                fn get(group_id: &$crate::model::AvatarGroupId) -> $crate::model::AvatarGroup
                    = $crate::Call::lazy($crate::ops::GetAvatarGroup::new(group_id.clone()));

                /// `DELETE /v3/avatars/{group_id}`: deletes the group and all its looks.
                ///
                /// # Errors
                /// API and transport errors.
                fn delete(group_id: &$crate::model::AvatarGroupId)
                    -> $crate::model::DeletedResource
                    = $crate::Call::lazy($crate::ops::DeleteAvatarGroup::new(group_id.clone()));

                /// `POST /v3/avatars/{group_id}/consent`: asks for the consent of the person in a
                /// digital twin's footage; the response's `url` is the page they must visit
                /// (unless a consent video was given).
                ///
                /// # Errors
                /// Validation errors, API and transport errors.
                fn create_consent(
                    group_id: &$crate::model::AvatarGroupId,
                    request: $crate::model::CreateConsentRequest,
                ) -> $crate::model::ConsentResponse
                    = $crate::Call::lazy($crate::ops::CreateConsent::new(group_id.clone(), request));
            }

            handle looks Looks "Looks: `/v3/avatars/looks…`." {
                /// `GET /v3/avatars/looks`: one page of looks (`limit` 1 to 50).
                ///
                /// # Errors
                /// Validation errors (a `limit` outside 1–50), API and transport errors.
                fn list(query: $crate::model::ListLooksQuery)
                    -> $crate::model::ListPage<$crate::model::Look>
                    = $crate::Call::lazy($crate::ops::ListLooks::new(query));

                /// `GET /v3/avatars/looks`, every page, keeping every filter and the `limit`.
                fn list_all(query: $crate::model::ListLooksQuery)
                    -> each $crate::ops::ListLooks => $crate::model::Look
                    = $crate::Walk::new($crate::ops::ListLooks::new(query));

                /// `GET /v3/avatars/looks/{look_id}`: one look, with its training status.
                ///
                /// # Errors
                /// API and transport errors.
                fn get(look_id: &$crate::model::LookId) -> $crate::model::Look
                    = $crate::Call::lazy($crate::ops::GetLook::new(look_id.clone()));

                /// `PATCH /v3/avatars/looks/{look_id}`: renames a look.
                ///
                /// # Errors
                /// Validation errors, API and transport errors.
                fn update(look_id: &$crate::model::LookId, request: $crate::model::UpdateLookRequest)
                    -> $crate::model::Look
                    = $crate::Call::lazy($crate::ops::UpdateLook::new(look_id.clone(), request));

                /// `DELETE /v3/avatars/looks/{look_id}` (deleting a group's last look deletes the
                /// group).
                ///
                /// # Errors
                /// API and transport errors.
                fn delete(look_id: &$crate::model::LookId) -> $crate::model::DeletedResource
                    = $crate::Call::lazy($crate::ops::DeleteLook::new(look_id.clone()));
            }

            handle assets Assets "Assets and uploads: `/v3/assets…`." {
                /// `POST /v3/assets` from a file path (at most 32 MB), streamed without buffering;
                /// the media type is detected from the file's first bytes, then its extension.
                /// The file is re-opened for a retry, and must keep its size.
                ///
                /// # Errors
                /// A validation error for an unreadable, empty or over-32-MB file or an unknown
                /// media type (nothing sent), API and transport errors.
                fn upload_path(path: impl AsRef<::std::path::Path>) -> $crate::model::Asset
                    = $crate::upload::MultipartUpload::path(path);

                /// Uploads a file of any size: multipart up to 32 MB, direct upload above.
                /// Returns the asset id.
                ///
                /// # Errors
                /// As `upload_path` and `direct_upload`.
                fn upload_file(path: impl AsRef<::std::path::Path>) -> $crate::model::AssetId
                    = $crate::upload::UploadFile::path(path),
                    map |uploaded: $crate::upload::Uploaded| uploaded.asset_id().clone();

                /// Uploads a file of any size and says how ([`heygen_core::upload::Uploaded`]):
                /// the asset of a multipart upload, or the completed direct upload.
                ///
                /// # Errors
                /// As `upload_path` and `direct_upload`.
                fn upload_any(path: impl AsRef<::std::path::Path>) -> $crate::upload::Uploaded
                    = $crate::upload::UploadFile::path(path);

                /// The whole direct-upload flow for a file of any size:
                /// `POST /v3/assets/direct-uploads` with the exact size, the `PUT` of the bytes
                /// to the presigned URL (only the returned headers, no credentials; the SHA-256
                /// computed while the bytes stream), then `POST /v3/assets/{asset_id}/complete`
                /// with the checksum, retrying the brief "not found yet" conflict. The file is
                /// read once per `PUT` attempt (re-opened for a retry), never held in memory.
                ///
                /// # Errors
                /// Errors of the create call as they are; a failed `PUT` or complete as
                /// [`heygen_core::Error::UploadFailed`] naming the asset id.
                fn direct_upload(path: impl AsRef<::std::path::Path>)
                    -> $crate::model::CompletedUpload
                    = $crate::upload::UploadDirect::path(path);

                /// `POST /v3/assets/direct-uploads` alone: reserves an asset and returns the
                /// presigned URL.
                ///
                /// # Errors
                /// Validation errors, API and transport errors.
                fn create_direct_upload(request: $crate::model::CreateDirectUploadRequest)
                    -> $crate::model::DirectUpload
                    = $crate::Call::lazy($crate::ops::CreateDirectUpload::new(request));

                /// `POST /v3/assets/{asset_id}/complete` alone (idempotent; the "not found yet"
                /// conflict is retried with backoff).
                ///
                /// # Errors
                /// API and transport errors.
                fn complete_upload(
                    asset_id: &$crate::model::AssetId,
                    request: $crate::model::CompleteUploadRequest,
                ) -> $crate::model::CompletedUpload
                    = $crate::Call::lazy($crate::ops::CompleteUpload::new(asset_id.clone(), request));

                /// `GET /v3/assets`: one page of a workspace member's assets, newest first
                /// (`limit` 1 to 100). `username` (the items' `owner`) is required while the
                /// endpoint is in beta.
                ///
                /// # Errors
                /// Validation errors (a blank `username`, a `limit` outside 1–100), API and
                /// transport errors.
                fn list(query: $crate::model::ListAssetsQuery)
                    -> $crate::model::ListPage<$crate::model::AssetDetails>
                    = $crate::Call::lazy($crate::ops::ListAssets::new(query));

                /// `GET /v3/assets`, every page, each request repeating `username`, the folder
                /// filter and `limit`. Ends after one error.
                fn list_all(query: $crate::model::ListAssetsQuery)
                    -> each $crate::ops::ListAssets => $crate::model::AssetDetails
                    = $crate::Walk::new($crate::ops::ListAssets::new(query));

                /// `GET /v3/assets/{asset_id}`: one asset's metadata (owner, type, upload time in
                /// Unix seconds, URL).
                ///
                /// # Errors
                /// A not-found API error for an unknown asset, API and transport errors.
                fn get(asset_id: &$crate::model::AssetId) -> $crate::model::AssetDetails
                    = $crate::Call::lazy($crate::ops::GetAsset::new(asset_id.clone()));

                /// `DELETE /v3/assets/{asset_id}`: deletes an asset for good.
                ///
                /// # Errors
                /// A not-found API error, API and transport errors.
                fn delete(asset_id: &$crate::model::AssetId) -> $crate::model::DeletedResource
                    = $crate::Call::lazy($crate::ops::DeleteAsset::new(asset_id.clone()));

                /// `GET /v3/assets/statuses`: the processing state of up to 100 assets, named by
                /// id or by upload batch; unknown ids come back `not_found`.
                ///
                /// # Errors
                /// Validation errors (no id, more than 100), API and transport errors.
                fn statuses(query: $crate::model::AssetStatusesQuery)
                    -> $crate::model::ListPage<$crate::model::AssetStatusEntry>
                    = $crate::Call::lazy($crate::ops::GetAssetStatuses::new(query));

                /// `POST /v3/assets/direct-uploads/batches` alone: up to 100 presigned upload
                /// slots, one per file in order, under one idempotency key.
                ///
                /// # Errors
                /// Validation errors (no file, more than 100, a bad file), API and transport
                /// errors.
                fn create_upload_batch(request: $crate::model::CreateUploadBatchRequest)
                    -> $crate::model::UploadBatch
                    = $crate::Call::lazy($crate::ops::CreateUploadBatch::new(request));

                /// `POST /v3/assets/complete/batches` alone: finishes every uploaded file of a
                /// batch (idempotent; each file is then checked on its own).
                ///
                /// # Errors
                /// API and transport errors.
                fn complete_upload_batch(batch_id: &$crate::model::BatchId)
                    -> $crate::model::CompletedUploadBatch
                    = $crate::Call::lazy($crate::ops::CompleteUploadBatch::new(
                        $crate::model::CompleteUploadBatchRequest::new(batch_id.clone()),
                    ));

                /// `GET /v3/assets/batches/{batch_id}`: an upload batch's status and its first
                /// page of items (each item's asset id, status and failure).
                ///
                /// # Errors
                /// API and transport errors.
                fn get_batch(batch_id: &$crate::model::BatchId) -> $crate::model::AssetBatch
                    = $crate::Call::lazy($crate::ops::GetAssetBatch::new(batch_id.clone()));

                /// Polls `GET /v3/assets/batches/{batch_id}` (every page) until each file of the
                /// upload batch is `completed` or `failed`; ends with every item's outcome in
                /// order.
                ///
                /// # Errors
                /// [`heygen_core::Error::WaitTimedOut`] at the poll deadline, or a status check's
                /// error that is not transient.
                fn wait_for_batch(batch_id: &$crate::model::BatchId)
                    -> $crate::batch::BatchOutcome<$crate::model::AssetId>
                    = $crate::batch::WaitBatch::asset(batch_id);

                /// Uploads many local files (1 to 100) through one upload batch: inspects each,
                /// `POST /v3/assets/direct-uploads/batches`, the `PUT` of each file to its slot
                /// (streamed and hashed, no credentials), `POST /v3/assets/complete/batches`,
                /// then polls `GET /v3/assets/batches/{batch_id}` until every file is final.
                /// Ends with every file's asset and outcome, in the order given; a failed `PUT`
                /// or a file HeyGen refuses is that file's outcome, not an error.
                ///
                /// # Errors
                /// A validation error for an unreadable file or an unknown media type (nothing
                /// sent), the create or complete call's error, a status check's error that is
                /// not transient, [`heygen_core::Error::WaitTimedOut`] at the poll deadline.
                fn upload_paths(paths: &[&::std::path::Path]) -> $crate::upload::UploadedBatch
                    = $crate::upload::UploadMany::paths(paths.iter().copied());

                /// `upload_paths` with a batch title (shown in the HeyGen app).
                ///
                /// # Errors
                /// As `upload_paths`.
                fn upload_many(paths: &[&::std::path::Path], title: &str)
                    -> $crate::upload::UploadedBatch
                    = $crate::upload::UploadMany::paths(paths.iter().copied()).title(title);
            }

            handle videos Videos "Videos: `/v3/videos…`." {
                /// `POST /v3/videos`: starts rendering a video; wait for it with
                /// `wait_for_video`.
                ///
                /// # Errors
                /// Validation errors (nothing sent), API and transport errors.
                fn create(request: impl Into<$crate::model::CreateVideoRequest>)
                    -> $crate::model::CreateVideoResponse
                    = $crate::Call::lazy($crate::ops::CreateVideo::new(request));

                /// `GET /v3/videos`: one page of videos (`limit` 1 to 100).
                ///
                /// # Errors
                /// Validation errors, API and transport errors.
                fn list(query: $crate::model::ListVideosQuery)
                    -> $crate::model::ListPage<$crate::model::Video>
                    = $crate::Call::lazy($crate::ops::ListVideos::new(query));

                /// `GET /v3/videos`, every page.
                fn list_all(query: $crate::model::ListVideosQuery)
                    -> each $crate::ops::ListVideos => $crate::model::Video
                    = $crate::Walk::new($crate::ops::ListVideos::new(query));

                /// `GET /v3/videos/{video_id}`: one video with its status and, once completed,
                /// its URLs.
                ///
                /// # Errors
                /// API and transport errors.
                fn get(video_id: &$crate::model::VideoId) -> $crate::model::Video
                    = $crate::Call::lazy($crate::ops::GetVideo::new(video_id.clone()));

                /// `DELETE /v3/videos/{video_id}`.
                ///
                /// # Errors
                /// API and transport errors.
                fn delete(video_id: &$crate::model::VideoId) -> $crate::model::DeletedResource
                    = $crate::Call::lazy($crate::ops::DeleteVideo::new(video_id.clone()));

                /// `POST /v3/videos/batches`: submits up to 100 videos at once (one idempotency
                /// key for every retry) and answers the batch id at once; follow it with
                /// `get_batch` or `wait_for_batch`.
                ///
                /// # Errors
                /// Validation errors (more than 100 videos, a video breaking its rules; nothing
                /// sent), API and transport errors.
                fn create_batch(request: $crate::model::CreateVideoBatchRequest)
                    -> $crate::model::CreateVideoBatchResponse
                    = $crate::Call::lazy($crate::ops::CreateVideoBatch::new(request));

                /// `GET /v3/videos/batches/{batch_id}`: the batch's aggregate status, its counts
                /// and its first page of items (each item's video id, status and failure).
                ///
                /// # Errors
                /// A not-found API error for an unknown batch, API and transport errors.
                fn get_batch(batch_id: &$crate::model::BatchId) -> $crate::model::VideoBatch
                    = $crate::Call::lazy($crate::ops::GetVideoBatch::new(batch_id.clone()));

                /// `GET /v3/videos/batches/{batch_id}` for the page of items `query` names
                /// (size 1 to 100, and the cursor from the previous page's `next_token`).
                ///
                /// # Errors
                /// Validation errors (a `limit` outside 1–100), API and transport errors.
                fn get_batch_page(
                    batch_id: &$crate::model::BatchId,
                    query: $crate::model::BatchPageQuery,
                ) -> $crate::model::VideoBatch
                    = $crate::Call::lazy(
                        $crate::ops::GetVideoBatch::new(batch_id.clone()).page(query),
                    );

                /// `GET /v3/videos/statuses`: the statuses of up to 100 videos named by id
                /// and/or by batch; an unknown id answers `not_found`.
                ///
                /// # Errors
                /// Validation errors (no id, more than 100, an id with a comma), API and
                /// transport errors.
                fn statuses(query: $crate::model::VideoStatusesQuery)
                    -> $crate::model::ListPage<$crate::model::VideoStatusEntry>
                    = $crate::Call::lazy($crate::ops::GetVideoStatuses::new(query));

                /// Polls `GET /v3/videos/batches/{batch_id}` (every item page, following the
                /// cursor inside `data`) with the configured poll policy until every item is
                /// final; ends with each item's outcome in submission order (its video id, or
                /// its failure).
                ///
                /// # Errors
                /// [`heygen_core::Error::WaitTimedOut`] at the deadline, or the error of a read
                /// that is not transient (a 404, for example). A failed item is an outcome.
                fn wait_for_batch(batch_id: &$crate::model::BatchId)
                    -> $crate::batch::BatchOutcome<$crate::model::VideoId>
                    = $crate::batch::WaitBatch::video(batch_id);

                /// `wait_for_batch` with a poll policy (intervals and deadline).
                ///
                /// # Errors
                /// As `wait_for_batch`.
                fn wait_for_batch_with(
                    batch_id: &$crate::model::BatchId,
                    policy: &$crate::PollPolicy,
                ) -> $crate::batch::BatchOutcome<$crate::model::VideoId>
                    = $crate::batch::WaitBatch::video(batch_id).policy(*policy);

                /// `create_batch`, then `wait_for_batch`: the outcome of every video, in the
                /// order given.
                ///
                /// # Errors
                /// As `create_batch`, then as `wait_for_batch`.
                fn run_batch(request: $crate::model::CreateVideoBatchRequest)
                    -> $crate::batch::BatchOutcome<$crate::model::VideoId>
                    = $crate::batch::RunVideoBatch::new(request);

                /// `run_batch` with a poll policy for the wait.
                ///
                /// # Errors
                /// As `run_batch`.
                fn run_batch_with(
                    request: $crate::model::CreateVideoBatchRequest,
                    policy: &$crate::PollPolicy,
                ) -> $crate::batch::BatchOutcome<$crate::model::VideoId>
                    = $crate::batch::RunVideoBatch::new(request).policy(*policy);
            }

            handle voices Voices "Voices: `/v3/voices…`." {
                /// `GET /v3/voices`: one page of voices (`limit` 1 to 100), filtered by `type`
                /// (public by default), `engine`, `language` and `gender`.
                ///
                /// # Errors
                /// Validation errors (a `limit` outside 1–100), API and transport errors.
                fn list(query: $crate::model::ListVoicesQuery)
                    -> $crate::model::ListPage<$crate::model::Voice>
                    = $crate::Call::lazy($crate::ops::ListVoices::new(query));

                /// `GET /v3/voices`, every page, keeping every filter and the `limit`. Ends after
                /// one error.
                fn list_all(query: $crate::model::ListVoicesQuery)
                    -> each $crate::ops::ListVoices => $crate::model::Voice
                    = $crate::Walk::new($crate::ops::ListVoices::new(query));

                /// `GET /v3/voices/{voice_id}`: one voice; for a clone, its state.
                ///
                /// # Errors
                /// A not-found API error for an unknown voice, API and transport errors.
                fn get(voice_id: &$crate::model::VoiceId) -> $crate::model::VoiceDetails
                    = $crate::Call::lazy($crate::ops::GetVoice::new(voice_id.clone()));

                /// `DELETE /v3/voices/{voice_id}`: deletes a cloned voice.
                ///
                /// # Errors
                /// A not-found API error (`voice_not_found`) for a voice that is already gone,
                /// API and transport errors.
                fn delete(voice_id: &$crate::model::VoiceId) -> $crate::model::DeletedVoice
                    = $crate::Call::lazy($crate::ops::DeleteVoice::new(voice_id.clone()));

                /// `POST /v3/voices`: up to three voices matching a description; the request's
                /// `seed` picks the batch.
                ///
                /// # Errors
                /// API and transport errors; the prompt is checked by the server (an empty one
                /// is sent as it is).
                fn design(request: $crate::model::DesignVoiceRequest)
                    -> $crate::model::DesignedVoices
                    = $crate::Call::lazy($crate::ops::DesignVoice::new(request));

                /// `POST /v3/voices/clone`: starts cloning a voice from a recording given as a
                /// URL, an asset id or base64; wait for it with `wait_for_voice`.
                ///
                /// # Errors
                /// Validation errors (nothing sent), API and transport errors.
                fn clone_voice(request: $crate::model::CloneVoiceRequest)
                    -> $crate::model::VoiceClone
                    = $crate::Call::lazy($crate::ops::CloneVoice::new(request));

                /// `POST /v3/voices/clone` from a local recording (MP3, WAV, …), sent like an
                /// avatar's file: inline base64 up to the inline threshold, multipart upload up
                /// to 32 MB, direct upload above. Wait for the voice with `wait_for_voice`.
                ///
                /// # Errors
                /// Validation errors (unreadable file, unknown media type), upload errors
                /// ([`heygen_core::Error::UploadFailed`] names the asset), API and transport
                /// errors.
                fn clone_voice_from_file(voice_name: &str, path: impl AsRef<::std::path::Path>)
                    -> $crate::upload::FromFile<$crate::model::VoiceClone>
                    = $crate::upload::WithFile::voice_clone(voice_name, path);

                /// `POST /v3/voices/speech`: synthesizes 1 to 5000 characters of text or SSML
                /// (speed 0.5 to 2.0) with a voice that supports the `starfish` engine; answers
                /// the audio's URL and its duration in seconds.
                ///
                /// # Errors
                /// Validation errors (nothing sent), API and transport errors.
                fn speech(request: $crate::model::SpeechRequest) -> $crate::model::Speech
                    = $crate::Call::lazy($crate::ops::CreateSpeech::new(request));
            }

            handle users Users "The account: `/v3/users/me`." {
                /// `GET /v3/users/me`: the account the credentials belong to.
                ///
                /// # Errors
                /// API and transport errors.
                fn me() -> $crate::model::User
                    = $crate::Call::lazy($crate::ops::GetCurrentUser::new());
            }

            handle webhooks Webhooks "Webhook endpoints and events: `/v3/webhooks/…`. Verify deliveries with `heygen_core::webhook`." {
                /// `GET /v3/webhooks/endpoints`: one page of endpoints (`limit` 1 to 100).
                ///
                /// # Errors
                /// Validation errors, API and transport errors.
                fn list_endpoints(query: $crate::model::webhook::ListWebhookEndpointsQuery)
                    -> $crate::model::ListPage<$crate::model::webhook::WebhookEndpoint>
                    = $crate::Call::lazy($crate::ops::ListWebhookEndpoints::new(query));

                /// `GET /v3/webhooks/endpoints`, every page. Ends after one error.
                fn list_all_endpoints(query: $crate::model::webhook::ListWebhookEndpointsQuery)
                    -> each $crate::ops::ListWebhookEndpoints
                        => $crate::model::webhook::WebhookEndpoint
                    = $crate::Walk::new($crate::ops::ListWebhookEndpoints::new(query));

                /// `POST /v3/webhooks/endpoints`: registers an endpoint; the response's `secret`
                /// (shown only here and by `rotate_secret`) signs its deliveries.
                ///
                /// # Errors
                /// Validation errors (nothing sent), API and transport errors.
                fn create_endpoint(request: $crate::model::webhook::CreateWebhookEndpointRequest)
                    -> $crate::model::webhook::WebhookEndpoint
                    = $crate::Call::lazy($crate::ops::CreateWebhookEndpoint::new(request));

                /// `PATCH /v3/webhooks/endpoints/{endpoint_id}`: a new URL and/or event list
                /// (the list is replaced, not merged).
                ///
                /// # Errors
                /// Validation errors, a not-found API error, API and transport errors.
                fn update_endpoint(
                    endpoint_id: &$crate::model::webhook::WebhookEndpointId,
                    request: $crate::model::webhook::UpdateWebhookEndpointRequest,
                ) -> $crate::model::webhook::WebhookEndpoint
                    = $crate::Call::lazy($crate::ops::UpdateWebhookEndpoint::new(
                        endpoint_id.clone(),
                        request,
                    ));

                /// `DELETE /v3/webhooks/endpoints/{endpoint_id}`: removes an endpoint.
                ///
                /// # Errors
                /// A not-found API error, API and transport errors.
                fn delete_endpoint(endpoint_id: &$crate::model::webhook::WebhookEndpointId)
                    -> $crate::model::DeletedResource
                    = $crate::Call::lazy($crate::ops::DeleteWebhookEndpoint::new(
                        endpoint_id.clone(),
                    ));

                /// `POST /v3/webhooks/endpoints/{endpoint_id}/rotate-secret`: a new signing
                /// secret; the old one stops working at once.
                ///
                /// # Errors
                /// A not-found API error, API and transport errors.
                fn rotate_secret(endpoint_id: &$crate::model::webhook::WebhookEndpointId)
                    -> $crate::model::webhook::RotatedWebhookSecret
                    = $crate::Call::lazy($crate::ops::RotateWebhookSecret::new(
                        endpoint_id.clone(),
                    ));

                /// `GET /v3/webhooks/event-types`: the event types an endpoint can subscribe to.
                ///
                /// # Errors
                /// API and transport errors.
                fn event_types()
                    -> $crate::model::ListPage<$crate::model::webhook::WebhookEventType>
                    = $crate::Call::lazy($crate::ops::ListWebhookEventTypes::new());

                /// `GET /v3/webhooks/events`: one page of delivered events (`limit` 1 to 100).
                ///
                /// # Errors
                /// Validation errors, API and transport errors.
                fn list_events(query: $crate::model::webhook::ListWebhookEventsQuery)
                    -> $crate::model::ListPage<$crate::model::webhook::WebhookEventRecord>
                    = $crate::Call::lazy($crate::ops::ListWebhookEvents::new(query));

                /// `GET /v3/webhooks/events`, every page. Ends after one error.
                fn list_all_events(query: $crate::model::webhook::ListWebhookEventsQuery)
                    -> each $crate::ops::ListWebhookEvents
                        => $crate::model::webhook::WebhookEventRecord
                    = $crate::Walk::new($crate::ops::ListWebhookEvents::new(query));
            }

            client {
                /// Polls `GET /v3/avatars/{group_id}` until training completes or fails, with
                /// the configured poll policy; `pending_consent` ends the wait as
                /// [`heygen_core::Waited::PendingConsent`].
                ///
                /// # Errors
                /// [`heygen_core::Error::JobFailed`] when training failed,
                /// [`heygen_core::Error::WaitTimedOut`] at the deadline, or the error of a status
                /// check that is not transient (a 404, for example).
                fn wait_for_avatar(group_id: &$crate::model::AvatarGroupId)
                    -> $crate::Waited<$crate::model::AvatarGroup>
                    = $crate::Wait::avatar(group_id);

                /// `wait_for_avatar` with a poll policy (intervals and deadline).
                ///
                /// # Errors
                /// As `wait_for_avatar`.
                fn wait_for_avatar_with(
                    group_id: &$crate::model::AvatarGroupId,
                    policy: &$crate::PollPolicy,
                ) -> $crate::Waited<$crate::model::AvatarGroup>
                    = $crate::Wait::avatar(group_id).policy(*policy);

                /// Polls `GET /v3/avatars/{group_id}` until consent is given (or training ends).
                ///
                /// # Errors
                /// As `wait_for_avatar`.
                fn wait_for_consent(group_id: &$crate::model::AvatarGroupId)
                    -> $crate::model::AvatarGroup
                    = $crate::Wait::consent(group_id), map $crate::Waited::into_inner;

                /// `wait_for_consent` with a poll policy.
                ///
                /// # Errors
                /// As `wait_for_avatar`.
                fn wait_for_consent_with(
                    group_id: &$crate::model::AvatarGroupId,
                    policy: &$crate::PollPolicy,
                ) -> $crate::model::AvatarGroup
                    = $crate::Wait::consent(group_id).policy(*policy),
                    map $crate::Waited::into_inner;

                /// Polls `GET /v3/avatars/looks/{look_id}` until the look completes or fails.
                ///
                /// # Errors
                /// As `wait_for_avatar`.
                fn wait_for_look(look_id: &$crate::model::LookId)
                    -> $crate::Waited<$crate::model::Look>
                    = $crate::Wait::look(look_id);

                /// `wait_for_look` with a poll policy.
                ///
                /// # Errors
                /// As `wait_for_avatar`.
                fn wait_for_look_with(look_id: &$crate::model::LookId, policy: &$crate::PollPolicy)
                    -> $crate::Waited<$crate::model::Look>
                    = $crate::Wait::look(look_id).policy(*policy);

                /// Polls `GET /v3/videos/{video_id}` until the video completes or fails. 5xx
                /// answers and transport failures keep the wait going; a 404 ends it at once.
                ///
                /// # Errors
                /// [`heygen_core::Error::JobFailed`] when rendering failed,
                /// [`heygen_core::Error::WaitTimedOut`] at the deadline, or the error of a status
                /// check that is not transient.
                fn wait_for_video(video_id: &$crate::model::VideoId) -> $crate::model::Video
                    = $crate::Wait::video(video_id), map $crate::Waited::into_inner;

                /// `wait_for_video` with a poll policy.
                ///
                /// # Errors
                /// As `wait_for_video`.
                fn wait_for_video_with(
                    video_id: &$crate::model::VideoId,
                    policy: &$crate::PollPolicy,
                ) -> $crate::model::Video
                    = $crate::Wait::video(video_id).policy(*policy),
                    map $crate::Waited::into_inner;

                /// Polls `GET /v3/voices/{voice_id}` until a voice clone is `complete` or
                /// `failed`; an unknown status keeps polling. Only clones have a status: a
                /// voice without one (a shared voice) is returned at the first read.
                ///
                /// # Errors
                /// [`heygen_core::Error::JobFailed`] when cloning failed (with the failure
                /// message), [`heygen_core::Error::WaitTimedOut`] at the deadline, or the error
                /// of a status check that is not transient (a 404, for example).
                fn wait_for_voice(voice_id: &$crate::model::VoiceId)
                    -> $crate::model::VoiceDetails
                    = $crate::Wait::voice(voice_id), map $crate::Waited::into_inner;

                /// `wait_for_voice` with a poll policy (intervals and deadline).
                ///
                /// # Errors
                /// As `wait_for_voice`.
                fn wait_for_voice_with(
                    voice_id: &$crate::model::VoiceId,
                    policy: &$crate::PollPolicy,
                ) -> $crate::model::VoiceDetails
                    = $crate::Wait::voice(voice_id).policy(*policy),
                    map $crate::Waited::into_inner;

                /// Creates a photo avatar or digital twin from a local file
                /// (`POST /v3/avatars`): inline base64 up to the inline threshold
                /// ([`heygen_core::Config::with_inline_threshold`]), multipart upload up to
                /// 32 MB, direct upload above. The media type comes from the file's bytes.
                ///
                /// # Errors
                /// Validation errors (unreadable file, unknown media type), upload errors
                /// ([`heygen_core::Error::UploadFailed`] names the asset), API and transport
                /// errors.
                fn create_avatar_from_file(
                    kind: $crate::upload::AvatarFileKind,
                    name: &str,
                    path: impl AsRef<::std::path::Path>,
                ) -> $crate::upload::AvatarFromFile
                    = $crate::upload::WithFile::avatar(kind, name, path);

                /// Gives consent with a consent video from a local file
                /// (`POST /v3/avatars/{group_id}/consent`), choosing inline, multipart or direct
                /// upload like `create_avatar_from_file`.
                ///
                /// # Errors
                /// As `create_avatar_from_file`.
                fn create_consent_from_file(
                    group_id: &$crate::model::AvatarGroupId,
                    path: impl AsRef<::std::path::Path>,
                ) -> $crate::upload::FromFile<$crate::model::ConsentResponse>
                    = $crate::upload::WithFile::consent(group_id, path);

                /// Creates a prompt avatar with reference images from local files (at most 3).
                /// Each image is uploaded as an asset (multipart, or direct upload above 32 MB)
                /// and referenced by id.
                ///
                /// # Errors
                /// As `create_avatar_from_file`.
                fn create_prompt_avatar_from_files(
                    name: &str,
                    prompt: &str,
                    paths: &[&::std::path::Path],
                ) -> $crate::upload::PromptAvatarFromFiles
                    = $crate::upload::PromptFromFiles::new(name, prompt, paths);
            }
        }
    };
}

/// The part of [`endpoints!`] that is the same for every client: each handle type (a copyable
/// borrow of the `Client`), its accessor, and the `on` helper the generated methods call.
#[macro_export]
#[doc(hidden)]
macro_rules! __facade {
    (
        $callback:ident;
        $(
            handle $field:ident $handle:ident $doc:literal { $($methods:tt)* }
        )*
        client { $($client_methods:tt)* }
    ) => {
        $(
            #[doc = $doc]
            #[derive(Debug, Clone, Copy)]
            pub struct $handle<'a> {
                client: &'a Client,
            }

            impl Client {
                #[doc = $doc]
                pub fn $field(&self) -> $handle<'_> {
                    $handle { client: self }
                }
            }

            impl $handle<'_> {
                fn on(&self) -> &Client {
                    self.client
                }

                $crate::__facade_methods! { $callback (self) self; $($methods)* }
            }
        )*

        impl Client {
            fn on(&self) -> &Client {
                self
            }

            $crate::__facade_methods! { $callback (&self) self; $($client_methods)* }
        }
    };
}

/// What every client's `Client` has besides its transport glue and loop: the struct itself
/// (a shared configuration and a shared `dyn Transport` of the caller's crate, documented by
/// the attributes given), `Debug` without credentials, `with_transport`, `from_env` (through the
/// caller's `Client::new`), the configuration accessors and the 16 bytes of entropy each run
/// starts from.
#[macro_export]
#[doc(hidden)]
macro_rules! __client {
    ($(#[$meta:meta])*) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct Client {
            config: ::std::sync::Arc<$crate::Config>,
            transport: ::std::sync::Arc<dyn Transport>,
        }

        impl ::core::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct("Client")
                    .field("config", &self.config)
                    .finish_non_exhaustive()
            }
        }

        /// 16 random bytes (idempotency keys, multipart boundaries, retry jitter).
        fn entropy() -> [u8; 16] {
            fastrand::u128(..).to_le_bytes()
        }

        impl Client {
            /// A client over any transport (another HTTP client, or a mock in tests: closures
            /// implement [`Transport`]).
            pub fn with_transport(
                config: $crate::Config,
                transport: impl Transport + 'static,
            ) -> Self {
                Self {
                    config: ::std::sync::Arc::new(config),
                    transport: ::std::sync::Arc::new(transport),
                }
            }

            /// A client from the environment: the key from `HEYGEN_API_KEY`, the base URL from
            /// `HEYGEN_API_BASE` when set (`https://api.heygen.com` otherwise).
            ///
            /// # Errors
            /// [`Error::InvalidConfig`] when `HEYGEN_API_KEY` is missing or empty, or the base
            /// URL is refused; otherwise as [`Client::new`].
            pub fn from_env() -> Result<Self, $crate::Error> {
                let var = |name| ::std::env::var(name).ok();
                let config = $crate::Config::from_env_values(
                    var($crate::config::API_KEY_ENV).as_deref(),
                    var($crate::config::API_BASE_ENV).as_deref(),
                )?;
                Self::new(config)
            }

            /// The configuration.
            pub fn config(&self) -> &$crate::Config {
                &self.config
            }

            /// This client with another inline-base64 threshold, in bytes (see
            /// [`Config::with_inline_threshold`]).
            #[must_use]
            pub fn with_inline_threshold(mut self, bytes: u64) -> Self {
                self.config =
                    ::std::sync::Arc::new((*self.config).clone().with_inline_threshold(bytes));
                self
            }

            /// This client with a progress callback for streamed uploads (see
            /// [`Config::with_progress`]): (bytes of the file sent so far, file size).
            #[must_use]
            pub fn with_progress(
                mut self,
                progress: impl Fn(u64, u64) + Send + Sync + 'static,
            ) -> Self {
                self.config = ::std::sync::Arc::new((*self.config).clone().with_progress(progress));
                self
            }
        }
    };
}

/// Walks a block of entries for [`__facade!`], one `$callback!` call per entry; an entry without
/// `map` is mapped with `identity`.
#[macro_export]
#[doc(hidden)]
macro_rules! __facade_methods {
    ($callback:ident ($($recv:tt)*) $s:ident;) => {};
    ($callback:ident ($($recv:tt)*) $s:ident;
        $(#[$meta:meta])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> each $op:ty => $item:ty = $walk:expr;
        $($rest:tt)*
    ) => {
        $callback! { @each ($($recv)*) $s $(#[$meta])* fn $name($($arg: $ty),*) -> $op => $item = $walk }
        $crate::__facade_methods! { $callback ($($recv)*) $s; $($rest)* }
    };
    ($callback:ident ($($recv:tt)*) $s:ident;
        $(#[$meta:meta])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty = $workflow:expr, map $map:expr;
        $($rest:tt)*
    ) => {
        $callback! { @run ($($recv)*) $s $(#[$meta])* fn $name($($arg: $ty),*) -> $out = $workflow, map $map }
        $crate::__facade_methods! { $callback ($($recv)*) $s; $($rest)* }
    };
    ($callback:ident ($($recv:tt)*) $s:ident;
        $(#[$meta:meta])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty = $workflow:expr;
        $($rest:tt)*
    ) => {
        $callback! { @run ($($recv)*) $s $(#[$meta])* fn $name($($arg: $ty),*) -> $out = $workflow, map ::core::convert::identity }
        $crate::__facade_methods! { $callback ($($recv)*) $s; $($rest)* }
    };
}

/// The core types every client re-exports at its root, so `heygen_blocking::X` and
/// `heygen_async::X` name the same things.
#[macro_export]
#[doc(hidden)]
macro_rules! __client_exports {
    () => {
        pub use $crate::config::{API_BASE_ENV, API_KEY_ENV};
        pub use $crate::upload::{
            AvatarFileKind, AvatarFromFile, BatchFile, BatchFileOutcome, DEFAULT_INLINE_THRESHOLD,
            FromFile, Progress, PromptAvatarFromFiles, UploadMethod, Uploaded, UploadedBatch,
        };
        pub use $crate::{
            ApiKey, Config, ConfigBuilder, Credentials, Error, ErrorClass, Operation, PollPolicy,
            RetryPolicy, Timeouts, TransportErrorKind, Waited,
        };
    };
}

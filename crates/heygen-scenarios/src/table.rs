//! The scenario types and the table itself.

use heygen_core::ErrorClass;
use heygen_emulator::{Fault, FaultRule, RetryAfter};
use serde_json::json;

use crate::action::{Action, AvatarKind, AvatarSpec, FileInput, ListSpec, PollSpec, UploadMode};
use crate::outcome::{ANY, ErrorExpect, Expect};

/// Content of a generated local file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// PNG magic bytes, then filler.
    Png,
    /// An MP4 `ftyp` box, then filler.
    Mp4,
}

/// One setup step, run in order before the action.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Setup {
    /// Writes a file of exactly `size` bytes to `${dir}/<name>`.
    File {
        /// File name.
        name: &'static str,
        /// Content.
        kind: FileKind,
        /// Size, in bytes.
        size: u64,
    },
    /// Runs an action through the client (it must succeed) and saves strings from its `Ok`
    /// value: `(variable, JSON pointer)`; later strings use them as `${variable}`.
    Call {
        /// The action.
        action: Action,
        /// Variables to save.
        save: Vec<(&'static str, &'static str)>,
    },
    /// Injects a fault rule.
    Fault(FaultRule),
    /// Moves the emulated clock forward now, in seconds.
    Advance {
        /// Emulated seconds.
        secs: u64,
    },
    /// Moves the emulated clock forward `after_ms` real milliseconds after the action starts.
    AdvanceLater {
        /// Real milliseconds to wait.
        after_ms: u64,
        /// Emulated seconds.
        secs: u64,
    },
    /// Rewrites `${dir}/<name>` with `size` bytes `after_ms` real milliseconds after the action
    /// starts (a file that changes under an upload).
    FileLater {
        /// Real milliseconds to wait.
        after_ms: u64,
        /// File name.
        name: &'static str,
        /// Content.
        kind: FileKind,
        /// The new size, in bytes.
        size: u64,
    },
    /// Approves a group's consent `after_ms` real milliseconds after the action starts.
    ApproveLater {
        /// Real milliseconds to wait.
        after_ms: u64,
        /// The group id (variables allowed).
        group_id: &'static str,
    },
}

/// How many requests matching `method` and `path` (`*` within a segment, `**` anything) the
/// emulator saw during the action: between `min` and `max`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Count {
    /// Method.
    pub method: &'static str,
    /// Path pattern.
    pub path: &'static str,
    /// Fewest requests.
    pub min: usize,
    /// Most requests.
    pub max: usize,
}

impl Count {
    /// Exactly `n` requests.
    pub fn exactly(method: &'static str, path: &'static str, n: usize) -> Self {
        Self {
            method,
            path,
            min: n,
            max: n,
        }
    }

    /// At least `n` requests.
    pub fn at_least(method: &'static str, path: &'static str, n: usize) -> Self {
        Self {
            method,
            path,
            min: n,
            max: usize::MAX,
        }
    }
}

/// Checks on what the emulator saw during the action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Observe {
    /// Request counts.
    pub counts: Vec<Count>,
    /// Requests matching `(method, path)` all carry one and the same `Idempotency-Key`.
    pub same_idempotency_key: Option<(&'static str, &'static str)>,
    /// Requests matching this path carry no `X-Api-Key` and no `Authorization`.
    pub no_credentials: Option<&'static str>,
    /// Requests the second origin received (redirect targets).
    pub other_origin_requests: Option<usize>,
    /// The body size, in bytes, of every `PUT` to the storage path.
    pub put_bytes: Option<u64>,
    /// Some request matching `(method, path)` got this status.
    pub saw_status: Option<(&'static str, &'static str, u16)>,
    /// The action took at least this long, in milliseconds.
    pub min_elapsed_ms: Option<u64>,
    /// The action took at most this long, in milliseconds.
    pub max_elapsed_ms: Option<u64>,
}

/// Per-scenario changes to the client configuration (see [`crate::scenario_config`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tweaks {
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// First backoff, in milliseconds.
    pub base_delay_ms: Option<u64>,
    /// Timeout of reads (`GET`), in milliseconds.
    pub read_timeout_ms: Option<u64>,
    /// Timeout of other JSON calls, in milliseconds.
    pub write_timeout_ms: Option<u64>,
}

/// One named scenario.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Scenario {
    /// Unique name (`op/…`, `paginate/…`, `wait/…`, `fault/…`, `BR-xx/…`, `drift/…`).
    pub name: &'static str,
    /// What it shows.
    pub about: &'static str,
    /// Configuration changes.
    pub tweaks: Tweaks,
    /// Setup steps.
    pub setup: Vec<Setup>,
    /// The action under test.
    pub action: Action,
    /// The expected outcome (`${var}` substituted in strings).
    pub expect: Expect,
    /// Checks on the emulator's request log.
    pub observe: Observe,
}

impl Scenario {
    fn new(name: &'static str, about: &'static str, action: Action, expect: Expect) -> Self {
        Self {
            name,
            about,
            tweaks: Tweaks::default(),
            setup: Vec::new(),
            action,
            expect,
            observe: Observe::default(),
        }
    }

    fn setup(mut self, step: Setup) -> Self {
        self.setup.push(step);
        self
    }

    fn call(self, action: Action, save: &[(&'static str, &'static str)]) -> Self {
        self.setup(Setup::Call {
            action,
            save: save.to_vec(),
        })
    }

    fn fault(self, rule: FaultRule) -> Self {
        self.setup(Setup::Fault(rule))
    }

    fn count(mut self, c: Count) -> Self {
        self.observe.counts.push(c);
        self
    }

    fn tweaks(mut self, tweaks: Tweaks) -> Self {
        self.tweaks = tweaks;
        self
    }
}

const PUBLIC_LOOK: &str = "Abigail_office_front_public";
const PHOTO_URL: &str = "https://example.com/photo.png";
const FOOTAGE_URL: &str = "https://example.com/footage.mp4";

fn photo(name: &str) -> Action {
    Action::CreateAvatar(AvatarSpec::Photo {
        name: name.to_owned(),
        file: FileInput::Url(PHOTO_URL.to_owned()),
    })
}

fn twin(name: &str) -> Action {
    Action::CreateAvatar(AvatarSpec::DigitalTwin {
        name: name.to_owned(),
        file: FileInput::Url(FOOTAGE_URL.to_owned()),
    })
}

fn video(title: &str) -> Action {
    Action::CreateVideo {
        avatar_id: PUBLIC_LOOK.to_owned(),
        script: "Hello from the scenario table.".to_owned(),
        title: Some(title.to_owned()),
    }
}

const AVATAR_IDS: &[(&str, &str)] = &[("group", "/avatar_group/id"), ("look", "/avatar_item/id")];
const VIDEO_ID: &[(&str, &str)] = &[("video", "/video_id")];

fn me() -> Action {
    Action::GetCurrentUser
}

fn me_ok() -> Expect {
    Expect::Ok(json!({"username": ANY}))
}

fn err(e: ErrorExpect) -> Expect {
    Expect::Err(e)
}

fn s(text: &str) -> String {
    text.to_owned()
}

fn wait_video(deadline_ms: u64) -> Action {
    Action::WaitForVideo {
        video_id: s("${video}"),
        poll: PollSpec::fast(deadline_ms),
    }
}

/// A validation error that names `file` but not the scratch directory it is in.
fn unreadable(file: &str) -> Expect {
    err(ErrorExpect::class(ErrorClass::Validation)
        .kind("invalid_request")
        .message(file)
        .message_lacks("${dir}"))
}

fn status(status: u16) -> Fault {
    Fault::Status {
        status,
        code: None,
        message: None,
        retry_after: None,
    }
}

/// A loopback URL nobody listens on: the emulator posts only to loopback URLs.
const HOOK_URL: &str = "http://127.0.0.1:9/hook";
const ENDPOINT_ID: &[(&str, &str)] = &[("endpoint", "/endpoint_id")];

fn endpoint(events: Option<&[&str]>) -> Action {
    Action::CreateWebhookEndpoint {
        url: s(HOOK_URL),
        events: events.map(|list| list.iter().map(|e| s(e)).collect()),
    }
}

/// The webhook endpoint CRUD, event types and events, through both clients.
#[allow(
    clippy::too_many_lines,
    reason = "the table is one long list on purpose"
)]
fn webhook_scenarios(t: &mut Vec<Scenario>) {
    let mut sc = Scenario::new(
        "op/create_webhook_endpoint",
        "POST /v3/webhooks/endpoints returns the endpoint and its signing secret",
        endpoint(Some(&["avatar_video.success", "avatar_video.fail"])),
        Expect::Ok(json!({
            "endpoint_id": ANY,
            "url": HOOK_URL,
            "status": "enabled",
            "events": ["avatar_video.success", "avatar_video.fail"],
            "secret": ANY,
            "created_at": ANY,
        })),
    )
    .count(Count::exactly("POST", "/v3/webhooks/endpoints", 1));
    sc.observe.same_idempotency_key = Some(("POST", "/v3/webhooks/endpoints"));
    t.push(sc);
    t.push(
        Scenario::new(
            "op/create_webhook_endpoint_invalid_url",
            "an endpoint URL that is not http(s) is refused before sending",
            Action::CreateWebhookEndpoint {
                url: s("ftp://127.0.0.1/hook"),
                events: None,
            },
            err(ErrorExpect::class(ErrorClass::Validation).kind("invalid_request")),
        )
        .count(Count::exactly("POST", "/v3/webhooks/endpoints", 0)),
    );
    t.push(
        Scenario::new(
            "op/list_webhook_endpoints",
            "GET /v3/webhooks/endpoints, one page, without secrets",
            Action::ListWebhookEndpoints(ListSpec::limit(10)),
            Expect::Ok(json!({
                "data": [{"endpoint_id": "${endpoint}", "url": HOOK_URL, "events": null}],
                "has_more": false,
            })),
        )
        .call(endpoint(None), ENDPOINT_ID)
        .count(Count::exactly("GET", "/v3/webhooks/endpoints", 1)),
    );
    t.push(
        Scenario::new(
            "paginate/webhook_endpoints_all",
            "every webhook endpoint over pages of 2, each item named by its endpoint_id",
            Action::ListWebhookEndpointsAll(ListSpec::limit(2)),
            Expect::Ok(json!({"count": 3, "ids": [ANY, ANY, ANY]})),
        )
        .call(endpoint(None), &[])
        .call(endpoint(None), &[])
        .call(endpoint(None), &[])
        .count(Count::exactly("GET", "/v3/webhooks/endpoints", 2)),
    );
    t.push(
        Scenario::new(
            "op/update_webhook_endpoint",
            "PATCH /v3/webhooks/endpoints/{endpoint_id} moves the URL and replaces the events",
            Action::UpdateWebhookEndpoint {
                endpoint_id: s("${endpoint}"),
                url: Some(s("http://127.0.0.1:9/moved")),
                events: Some(vec![s("instant_avatar.success")]),
            },
            Expect::Ok(json!({
                "endpoint_id": "${endpoint}",
                "url": "http://127.0.0.1:9/moved",
                "events": ["instant_avatar.success"],
            })),
        )
        .call(endpoint(Some(&["avatar_video.success"])), ENDPOINT_ID),
    );
    t.push(
        Scenario::new(
            "op/rotate_webhook_secret",
            "POST /v3/webhooks/endpoints/{endpoint_id}/rotate-secret returns a new secret",
            Action::RotateWebhookSecret {
                endpoint_id: s("${endpoint}"),
            },
            Expect::Ok(json!({"endpoint_id": "${endpoint}", "secret": ANY})),
        )
        .call(endpoint(None), ENDPOINT_ID)
        .count(Count::exactly(
            "POST",
            "/v3/webhooks/endpoints/*/rotate-secret",
            1,
        )),
    );
    t.push(
        Scenario::new(
            "op/delete_webhook_endpoint",
            "DELETE /v3/webhooks/endpoints/{endpoint_id} answers with the id asked for",
            Action::DeleteWebhookEndpoint {
                endpoint_id: s("${endpoint}"),
            },
            Expect::Ok(json!({"id": "${endpoint}"})),
        )
        .call(endpoint(None), ENDPOINT_ID),
    );
    t.push(
        Scenario::new(
            "op/delete_webhook_endpoint_twice",
            "deleting an endpoint that is gone is a 404",
            Action::DeleteWebhookEndpoint {
                endpoint_id: s("${endpoint}"),
            },
            err(ErrorExpect::class(ErrorClass::NotFound)
                .kind("api")
                .status(Some(404))),
        )
        .call(endpoint(None), ENDPOINT_ID)
        .call(
            Action::DeleteWebhookEndpoint {
                endpoint_id: s("${endpoint}"),
            },
            &[],
        ),
    );
    t.push(
        Scenario::new(
            "op/list_webhook_event_types",
            "GET /v3/webhooks/event-types",
            Action::ListWebhookEventTypes,
            Expect::Ok(json!({"has_more": false})),
        )
        .count(Count::exactly("GET", "/v3/webhooks/event-types", 1)),
    );
    t.push(
        Scenario::new(
            "op/list_webhook_events",
            "GET /v3/webhooks/events filtered by type and entity: the video's success event",
            Action::ListWebhookEvents {
                event_type: Some(s("avatar_video.success")),
                entity_id: Some(s("${video}")),
                limit: Some(10),
            },
            Expect::Ok(json!({
                "data": [{
                    "event_id": ANY,
                    "event_type": "avatar_video.success",
                    "event_data": {"video_id": "${video}"},
                    "created_at": ANY,
                }],
            })),
        )
        .call(video("Hook V"), VIDEO_ID)
        .setup(Setup::Advance { secs: 3600 })
        .count(Count::exactly("GET", "/v3/webhooks/events", 1)),
    );
}

/// Every scenario, in a stable order.
#[allow(
    clippy::too_many_lines,
    reason = "the table is one long list on purpose"
)]
pub fn scenarios() -> Vec<Scenario> {
    let mut t = Vec::new();

    // ---- every operation -------------------------------------------------------------
    t.push(
        Scenario::new("op/get_current_user", "GET /v3/users/me", me(), me_ok())
            .count(Count::exactly("GET", "/v3/users/me", 1)),
    );
    let mut sc = Scenario::new(
        "op/create_photo_avatar",
        "POST /v3/avatars (photo) with a generated idempotency key",
        photo("Photo A"),
        Expect::Ok(
            json!({"avatar_item": {"id": ANY}, "avatar_group": {"id": ANY, "name": "Photo A"}}),
        ),
    )
    .count(Count::exactly("POST", "/v3/avatars", 1));
    sc.observe.same_idempotency_key = Some(("POST", "/v3/avatars"));
    t.push(sc);
    t.push(Scenario::new(
        "op/create_prompt_avatar",
        "POST /v3/avatars (prompt)",
        Action::CreateAvatar(AvatarSpec::Prompt {
            name: s("Prompt A"),
            prompt: s("A friendly presenter in a blue shirt"),
        }),
        Expect::Ok(json!({"avatar_group": {"id": ANY, "name": "Prompt A"}})),
    ));
    t.push(Scenario::new(
        "op/create_digital_twin",
        "POST /v3/avatars (digital_twin): the group waits for consent",
        twin("Twin A"),
        Expect::Ok(
            json!({"avatar_item": {"id": ANY}, "avatar_group": {"id": ANY, "name": "Twin A"}}),
        ),
    ));
    t.push(
        Scenario::new(
            "op/list_avatar_groups",
            "GET /v3/avatars, one page",
            Action::ListAvatarGroups(ListSpec::limit(3)),
            Expect::Ok(json!({"has_more": true, "next_token": ANY})),
        )
        .count(Count::exactly("GET", "/v3/avatars", 1)),
    );
    t.push(
        Scenario::new(
            "op/get_avatar_group",
            "GET /v3/avatars/{group_id}",
            Action::GetAvatarGroup {
                group_id: s("${group}"),
            },
            Expect::Ok(json!({"id": "${group}", "name": "Photo B"})),
        )
        .call(photo("Photo B"), AVATAR_IDS),
    );
    t.push(
        Scenario::new(
            "op/delete_avatar_group",
            "DELETE /v3/avatars/{group_id}",
            Action::DeleteAvatarGroup {
                group_id: s("${group}"),
            },
            Expect::Ok(json!({"id": "${group}"})),
        )
        .call(photo("Photo C"), AVATAR_IDS),
    );
    t.push(
        Scenario::new(
            "op/create_consent",
            "POST /v3/avatars/{group_id}/consent returns the consent url",
            Action::CreateConsent {
                group_id: s("${group}"),
                consent_text: None,
            },
            Expect::Ok(json!({"avatar_group": {"id": "${group}"}, "url": ANY})),
        )
        .call(twin("Twin B"), AVATAR_IDS),
    );
    t.push(
        Scenario::new(
            "op/list_looks",
            "GET /v3/avatars/looks, one page",
            Action::ListLooks(ListSpec::limit(10).ownership("public")),
            Expect::Ok(json!({"has_more": true, "next_token": ANY})),
        )
        .count(Count::exactly("GET", "/v3/avatars/looks", 1)),
    );
    t.push(
        Scenario::new(
            "op/get_look",
            "GET /v3/avatars/looks/{look_id}",
            Action::GetLook {
                look_id: s("${look}"),
            },
            Expect::Ok(json!({"id": "${look}", "group_id": "${group}"})),
        )
        .call(photo("Photo D"), AVATAR_IDS),
    );
    t.push(
        Scenario::new(
            "op/update_look",
            "PATCH /v3/avatars/looks/{look_id}",
            Action::UpdateLook {
                look_id: s("${look}"),
                name: s("Renamed"),
            },
            Expect::Ok(json!({"id": "${look}", "name": "Renamed"})),
        )
        .call(photo("Photo E"), AVATAR_IDS),
    );
    t.push(
        Scenario::new(
            "op/delete_look",
            "DELETE /v3/avatars/looks/{look_id}",
            Action::DeleteLook {
                look_id: s("${look}"),
            },
            Expect::Ok(json!({"id": "${look}"})),
        )
        .call(photo("Photo F"), AVATAR_IDS),
    );
    let mut sc = Scenario::new(
        "op/upload_asset_multipart",
        "POST /v3/assets streams prefix, file and suffix with the exact length",
        Action::UploadFile {
            path: s("${dir}/photo.png"),
            mode: UploadMode::Multipart,
        },
        Expect::Ok(json!(ANY)),
    )
    .setup(Setup::File {
        name: "photo.png",
        kind: FileKind::Png,
        size: 200_000,
    })
    .count(Count::exactly("POST", "/v3/assets", 1));
    sc.observe.same_idempotency_key = Some(("POST", "/v3/assets"));
    t.push(sc);
    t.push(
        Scenario::new(
            "op/create_direct_upload",
            "POST /v3/assets/direct-uploads",
            Action::CreateDirectUpload {
                filename: s("big.mp4"),
                content_type: s("video/mp4"),
                size_bytes: 50_000_000,
            },
            Expect::Ok(json!({"asset_id": ANY, "upload_url": ANY})),
        )
        .count(Count::exactly("POST", "/v3/assets/direct-uploads", 1)),
    );
    let mut sc = Scenario::new(
        "op/upload_file_direct",
        "direct upload: create with size and sha-256, PUT without credentials, complete",
        Action::UploadFile {
            path: s("${dir}/clip.mp4"),
            mode: UploadMode::Direct,
        },
        Expect::Ok(json!(ANY)),
    )
    .setup(Setup::File {
        name: "clip.mp4",
        kind: FileKind::Mp4,
        size: 3_000_000,
    })
    .count(Count::exactly("POST", "/v3/assets/direct-uploads", 1))
    .count(Count::exactly("PUT", "/_storage/**", 1))
    .count(Count::exactly("POST", "/v3/assets/*/complete", 1));
    sc.observe.no_credentials = Some("/_storage/**");
    sc.observe.put_bytes = Some(3_000_000);
    t.push(sc);
    t.push(
        Scenario::new(
            "op/complete_upload",
            "POST /v3/assets/{asset_id}/complete again is idempotent",
            Action::CompleteUpload {
                asset_id: s("${asset}"),
            },
            Expect::Ok(json!({"asset_id": "${asset}"})),
        )
        .setup(Setup::File {
            name: "clip.mp4",
            kind: FileKind::Mp4,
            size: 100_000,
        })
        .call(
            Action::UploadFile {
                path: s("${dir}/clip.mp4"),
                mode: UploadMode::Direct,
            },
            &[("asset", "")],
        ),
    );
    t.push(
        Scenario::new(
            "op/create_video",
            "POST /v3/videos with a look id",
            video("Video A"),
            Expect::Ok(json!({"video_id": ANY, "status": ANY})),
        )
        .count(Count::exactly("POST", "/v3/videos", 1)),
    );
    t.push(
        Scenario::new(
            "op/list_videos",
            "GET /v3/videos, one page",
            Action::ListVideos(ListSpec::limit(10)),
            Expect::Ok(json!({"has_more": false})),
        )
        .call(video("Video B"), VIDEO_ID),
    );
    t.push(
        Scenario::new(
            "op/get_video",
            "GET /v3/videos/{video_id}",
            Action::GetVideo {
                video_id: s("${video}"),
            },
            Expect::Ok(json!({"id": "${video}", "title": "Video C"})),
        )
        .call(video("Video C"), VIDEO_ID),
    );
    t.push(
        Scenario::new(
            "op/delete_video",
            "DELETE /v3/videos/{video_id}",
            Action::DeleteVideo {
                video_id: s("${video}"),
            },
            Expect::Ok(json!({"id": "${video}"})),
        )
        .call(video("Video D"), VIDEO_ID),
    );
    t.push(Scenario::new(
        "op/send_raw",
        "send(&RawJson) reaches any endpoint",
        Action::Send {
            method: s("GET"),
            path: s("/v3/users/me"),
            body: None,
        },
        me_ok(),
    ));
    t.push(
        Scenario::new(
            "op/avatar_from_file_base64",
            "create_avatar_from_file below the threshold sends inline base64",
            Action::CreateAvatarFromFile {
                kind: AvatarKind::Photo,
                name: s("From File A"),
                path: s("${dir}/small.png"),
                inline_threshold: 1_000_000,
            },
            Expect::Ok(json!({"avatar": {"avatar_group": {"id": ANY}}, "asset_id": null})),
        )
        .setup(Setup::File {
            name: "small.png",
            kind: FileKind::Png,
            size: 20_000,
        })
        .count(Count::exactly("POST", "/v3/avatars", 1))
        .count(Count::exactly("POST", "/v3/assets", 0))
        .count(Count::exactly("POST", "/v3/assets/direct-uploads", 0)),
    );
    t.push(
        Scenario::new(
            "op/avatar_from_file_multipart",
            "create_avatar_from_file above the threshold uploads with multipart first",
            Action::CreateAvatarFromFile {
                kind: AvatarKind::Photo,
                name: s("From File B"),
                path: s("${dir}/photo.png"),
                inline_threshold: 1_000,
            },
            Expect::Ok(json!({"avatar": {"avatar_group": {"id": ANY}}, "asset_id": ANY})),
        )
        .setup(Setup::File {
            name: "photo.png",
            kind: FileKind::Png,
            size: 50_000,
        })
        .count(Count::exactly("POST", "/v3/assets", 1))
        .count(Count::exactly("POST", "/v3/avatars", 1)),
    );
    let mut sc = Scenario::new(
        "op/avatar_from_file_direct",
        "create_avatar_from_file above 32 MB goes through direct upload",
        Action::CreateAvatarFromFile {
            kind: AvatarKind::DigitalTwin,
            name: s("Twin From File"),
            path: s("${dir}/footage.mp4"),
            inline_threshold: 1_000,
        },
        Expect::Ok(json!({"avatar": {"avatar_group": {"id": ANY}}, "asset_id": ANY})),
    )
    .setup(Setup::File {
        name: "footage.mp4",
        kind: FileKind::Mp4,
        size: 33_000_000,
    })
    .count(Count::exactly("POST", "/v3/assets", 0))
    .count(Count::exactly("PUT", "/_storage/**", 1))
    .count(Count::exactly("POST", "/v3/avatars", 1));
    sc.observe.put_bytes = Some(33_000_000);
    sc.observe.no_credentials = Some("/_storage/**");
    t.push(sc);

    // ---- pagination -----------------------------------------------------------------
    t.push(
        Scenario::new(
            "paginate/looks_all_public",
            "every public look over 4 pages of 20, filters repeated on each page",
            Action::ListLooksAll(ListSpec::limit(20).ownership("public")),
            Expect::Ok(json!({"count": 64})),
        )
        .count(Count::exactly("GET", "/v3/avatars/looks", 4)),
    );
    t.push(
        Scenario::new(
            "paginate/groups_all",
            "every avatar group over pages of 3",
            Action::ListAvatarGroupsAll(ListSpec::limit(3).ownership("public")),
            Expect::Ok(json!({"count": 8})),
        )
        .count(Count::exactly("GET", "/v3/avatars", 3)),
    );
    t.push(
        Scenario::new(
            "paginate/videos_all",
            "every video over pages of 2",
            Action::ListVideosAll(ListSpec::limit(2)),
            Expect::Ok(json!({"count": 5})),
        )
        .call(video("V1"), &[])
        .call(video("V2"), &[])
        .call(video("V3"), &[])
        .call(video("V4"), &[])
        .call(video("V5"), &[])
        .count(Count::exactly("GET", "/v3/videos", 3)),
    );

    // ---- webhook endpoints and events ----------------------------------------------
    webhook_scenarios(&mut t);

    // ---- waits ------------------------------------------------------------------------
    t.push(
        Scenario::new(
            "wait/video_completed",
            "wait_for_video polls through processing until completed",
            wait_video(5_000),
            Expect::Ok(json!({"state": "completed", "resource": {"id": "${video}", "status": "completed"}})),
        )
        .call(video("Wait A"), VIDEO_ID)
        .setup(Setup::Advance { secs: 10 })
        .setup(Setup::AdvanceLater { after_ms: 300, secs: 120 })
        .count(Count::at_least("GET", "/v3/videos/*", 2)),
    );
    t.push(
        Scenario::new(
            "wait/video_failed",
            "wait_for_video ends with the job failure",
            wait_video(5_000),
            err(ErrorExpect::class(ErrorClass::JobFailed).kind("job_failed")),
        )
        .call(video("[fail] Wait B"), VIDEO_ID)
        .setup(Setup::Advance { secs: 300 }),
    );
    t.push(
        Scenario::new(
            "wait/video_deadline",
            "wait_for_video gives up at its deadline with the last status",
            wait_video(400),
            err(ErrorExpect::class(ErrorClass::Timeout)
                .kind("wait_timed_out")
                .timeout(true)),
        )
        .call(video("Wait C"), VIDEO_ID),
    );
    t.push(
        Scenario::new(
            "wait/video_deadline_after_only_503s",
            "a wait whose every check got a 503 says so at its deadline, not \"no status seen\"",
            wait_video(400),
            err(ErrorExpect::class(ErrorClass::Timeout)
                .kind("wait_timed_out")
                .message("no status seen in")
                .message("503")
                .message_lacks("(no status seen)")),
        )
        .call(video("Wait 503"), VIDEO_ID)
        .fault(FaultRule::new("/v3/videos/*", status(503)).method("GET"))
        .count(Count::at_least("GET", "/v3/videos/*", 2)),
    );
    t.push(
        Scenario::new(
            "wait/avatar_completed",
            "wait_for_avatar polls until training completes",
            Action::WaitForAvatar { group_id: s("${group}"), poll: PollSpec::fast(5_000) },
            Expect::Ok(json!({"state": "completed", "resource": {"id": "${group}", "status": "completed"}})),
        )
        .call(photo("Wait Photo"), AVATAR_IDS)
        .setup(Setup::AdvanceLater { after_ms: 300, secs: 600 })
        .count(Count::at_least("GET", "/v3/avatars/*", 2)),
    );
    t.push(
        Scenario::new(
            "wait/avatar_pending_consent",
            "wait_for_avatar reports pending_consent distinctly",
            Action::WaitForAvatar {
                group_id: s("${group}"),
                poll: PollSpec::fast(5_000),
            },
            Expect::Ok(json!({"state": "pending_consent", "resource": {"id": "${group}"}})),
        )
        .call(twin("Wait Twin"), AVATAR_IDS)
        .count(Count::exactly("GET", "/v3/avatars/*", 1)),
    );
    t.push(
        Scenario::new(
            "wait/avatar_failed",
            "wait_for_avatar ends with the training failure",
            Action::WaitForAvatar {
                group_id: s("${group}"),
                poll: PollSpec::fast(5_000),
            },
            err(ErrorExpect::class(ErrorClass::JobFailed).kind("job_failed")),
        )
        .call(photo("[fail] Wait Photo"), AVATAR_IDS)
        .setup(Setup::Advance { secs: 600 }),
    );
    t.push(
        Scenario::new(
            "wait/avatar_deadline",
            "wait_for_avatar gives up at its deadline",
            Action::WaitForAvatar {
                group_id: s("${group}"),
                poll: PollSpec::fast(400),
            },
            err(ErrorExpect::class(ErrorClass::Timeout).kind("wait_timed_out")),
        )
        .call(photo("Slow Photo"), AVATAR_IDS),
    );
    t.push(
        Scenario::new(
            "wait/consent",
            "wait_for_consent returns once the person approves",
            Action::WaitForConsent {
                group_id: s("${group}"),
                poll: PollSpec::fast(5_000),
            },
            Expect::Ok(json!({"state": "completed", "resource": {"id": "${group}"}})),
        )
        .call(twin("Consent Twin"), AVATAR_IDS)
        .call(
            Action::CreateConsent {
                group_id: s("${group}"),
                consent_text: None,
            },
            &[],
        )
        .setup(Setup::ApproveLater {
            after_ms: 300,
            group_id: "${group}",
        })
        .count(Count::at_least("GET", "/v3/avatars/*", 2)),
    );
    t.push(
        Scenario::new(
            "wait/look_completed",
            "wait_for_look polls until the look completes",
            Action::WaitForLook {
                look_id: s("${look}"),
                poll: PollSpec::fast(5_000),
            },
            Expect::Ok(
                json!({"state": "completed", "resource": {"id": "${look}", "status": "completed"}}),
            ),
        )
        .call(photo("Look Photo"), AVATAR_IDS)
        .setup(Setup::AdvanceLater {
            after_ms: 300,
            secs: 600,
        }),
    );
    t.push(
        Scenario::new(
            "wait/look_failed",
            "wait_for_look ends with the training failure",
            Action::WaitForLook {
                look_id: s("${look}"),
                poll: PollSpec::fast(5_000),
            },
            err(ErrorExpect::class(ErrorClass::JobFailed)),
        )
        .call(photo("[fail] Look Photo"), AVATAR_IDS)
        .setup(Setup::Advance { secs: 600 }),
    );
    t.push(
        Scenario::new(
            "wait/look_deadline",
            "wait_for_look gives up at its deadline",
            Action::WaitForLook {
                look_id: s("${look}"),
                poll: PollSpec::fast(400),
            },
            err(ErrorExpect::class(ErrorClass::Timeout).kind("wait_timed_out")),
        )
        .call(photo("Slow Look"), AVATAR_IDS),
    );

    // ---- faults -----------------------------------------------------------------------
    let mut sc = Scenario::new(
        "fault/429_retry_after_seconds",
        "429 with Retry-After: 1 is retried after about a second",
        me(),
        me_ok(),
    )
    .fault(
        FaultRule::new(
            "/v3/users/me",
            Fault::Status {
                status: 429,
                code: None,
                message: None,
                retry_after: Some(RetryAfter::Seconds(1)),
            },
        )
        .times(1),
    )
    .count(Count::exactly("GET", "/v3/users/me", 2));
    sc.observe.min_elapsed_ms = Some(900);
    t.push(sc);
    let mut sc = Scenario::new(
        "fault/429_retry_after_http_date",
        "429 with Retry-After as an HTTP date is retried after that date",
        me(),
        me_ok(),
    )
    .fault(
        FaultRule::new(
            "/v3/users/me",
            Fault::Status {
                status: 429,
                code: None,
                message: None,
                retry_after: Some(RetryAfter::HttpDate(2)),
            },
        )
        .times(1),
    )
    .count(Count::exactly("GET", "/v3/users/me", 2));
    sc.observe.min_elapsed_ms = Some(900);
    t.push(sc);
    t.push(
        Scenario::new(
            "fault/503_then_success",
            "a 503 on a GET is retried",
            me(),
            me_ok(),
        )
        .fault(FaultRule::new("/v3/users/me", status(503)).times(1))
        .count(Count::exactly("GET", "/v3/users/me", 2)),
    );
    let mut sc = Scenario::new(
        "fault/503_post_same_key",
        "a 503 on a POST with an idempotency key is retried with the same key",
        video("Retry Video"),
        Expect::Ok(json!({"video_id": ANY})),
    )
    .fault(
        FaultRule::new("/v3/videos", status(503))
            .method("POST")
            .times(1),
    )
    .count(Count::exactly("POST", "/v3/videos", 2));
    sc.observe.same_idempotency_key = Some(("POST", "/v3/videos"));
    t.push(sc);
    t.push(
        Scenario::new(
            "fault/503_exhausted",
            "503 on every attempt ends with the server error after max_retries + 1 attempts",
            me(),
            err(ErrorExpect::class(ErrorClass::Server)
                .status(Some(503))
                .retryable(true)),
        )
        .fault(FaultRule::new("/v3/users/me", status(503)))
        .count(Count::exactly("GET", "/v3/users/me", 3)),
    );
    t.push(
        Scenario::new(
            "fault/200_with_error",
            "a 200 carrying an error object is an API error, not retried",
            me(),
            err(ErrorExpect::class(ErrorClass::Validation)
                .kind("api")
                .status(Some(200))
                .code(Some("invalid_parameter"))
                .retryable(false)),
        )
        .fault(FaultRule::new(
            "/v3/users/me",
            Fault::ErrorIn200 {
                code: None,
                message: None,
            },
        ))
        .count(Count::exactly("GET", "/v3/users/me", 1)),
    );
    t.push(
        Scenario::new(
            "fault/html_502_then_success",
            "an HTML 502 from a gateway is retried",
            me(),
            me_ok(),
        )
        .fault(
            FaultRule::new(
                "/v3/users/me",
                Fault::Html {
                    status: 502,
                    retry_after: None,
                },
            )
            .times(1),
        )
        .count(Count::exactly("GET", "/v3/users/me", 2)),
    );
    t.push(
        Scenario::new(
            "fault/html_502_exhausted",
            "an HTML 502 on every attempt keeps the status and content type",
            me(),
            err(ErrorExpect::class(ErrorClass::Server)
                .kind("unexpected_response")
                .status(Some(502))
                .retryable(true)),
        )
        .fault(FaultRule::new(
            "/v3/users/me",
            Fault::Html {
                status: 502,
                retry_after: None,
            },
        ))
        .count(Count::exactly("GET", "/v3/users/me", 3)),
    );
    t.push(
        Scenario::new(
            "fault/stall_timeout",
            "a body that stalls past the request timeout is a timeout",
            me(),
            err(ErrorExpect::class(ErrorClass::Timeout)
                .kind("transport")
                .timeout(true)),
        )
        .fault(FaultRule::new(
            "/v3/users/me",
            Fault::StallBody {
                after_bytes: 16,
                ms: 3_000,
            },
        ))
        .tweaks(Tweaks {
            max_retries: Some(0),
            read_timeout_ms: Some(800),
            ..Tweaks::default()
        })
        .count(Count::exactly("GET", "/v3/users/me", 1)),
    );
    t.push(
        Scenario::new(
            "fault/stall_then_success",
            "a GET that timed out once is retried",
            me(),
            me_ok(),
        )
        .fault(
            FaultRule::new(
                "/v3/users/me",
                Fault::StallBody {
                    after_bytes: 16,
                    ms: 3_000,
                },
            )
            .times(1),
        )
        .tweaks(Tweaks {
            read_timeout_ms: Some(800),
            ..Tweaks::default()
        })
        .count(Count::exactly("GET", "/v3/users/me", 2)),
    );
    t.push(
        Scenario::new(
            "fault/truncated_body_then_success",
            "a body cut short of its Content-Length is an i/o failure, retried for a GET",
            me(),
            me_ok(),
        )
        .fault(FaultRule::new("/v3/users/me", Fault::Truncate { keep_bytes: None }).times(1))
        .count(Count::exactly("GET", "/v3/users/me", 2)),
    );
    t.push(
        Scenario::new(
            "fault/truncated_body",
            "a truncated body with no retries left is a transport error",
            me(),
            err(ErrorExpect::class(ErrorClass::Transport)
                .kind("transport")
                .retryable(true)),
        )
        .fault(FaultRule::new(
            "/v3/users/me",
            Fault::Truncate { keep_bytes: None },
        ))
        .tweaks(Tweaks {
            max_retries: Some(0),
            ..Tweaks::default()
        })
        .count(Count::exactly("GET", "/v3/users/me", 1)),
    );
    t.push(
        Scenario::new(
            "fault/gzip_error_body",
            "a gzip-encoded 404 body is decoded once and read as HeyGen's error",
            Action::GetVideo {
                video_id: s("vid_missing"),
            },
            err(ErrorExpect::class(ErrorClass::NotFound)
                .kind("api")
                .status(Some(404))
                .retryable(false)),
        )
        .fault(FaultRule::new("/v3/videos/*", Fault::Gzip))
        .count(Count::exactly("GET", "/v3/videos/*", 1)),
    );
    t.push(
        Scenario::new(
            "fault/gzip_body",
            "a gzip-encoded 200 body decodes",
            me(),
            me_ok(),
        )
        .fault(FaultRule::new("/v3/users/me", Fault::Gzip)),
    );
    t.push(
        Scenario::new(
            "fault/api_key_echoed_in_an_error",
            "a server that echoes the API key in its error message: the SDK's error never shows it",
            me(),
            err(ErrorExpect::class(ErrorClass::Unauthorized)
                .status(Some(401))
                .message("<redacted>")
                .message_lacks(heygen_emulator::DEFAULT_API_KEY)),
        )
        .fault(FaultRule::new(
            "/v3/users/me",
            Fault::Status {
                status: 401,
                code: Some(s("unauthorized")),
                message: Some(format!(
                    "api key {} is not valid",
                    heygen_emulator::DEFAULT_API_KEY
                )),
                retry_after: None,
            },
        ))
        .count(Count::exactly("GET", "/v3/users/me", 1)),
    );
    t.push(
        Scenario::new(
            "validation/http_loopback_file_url",
            "an http:// file URL is refused for a loopback host too (HeyGen downloads it); nothing is sent",
            Action::CreateAvatar(AvatarSpec::Photo {
                name: s("Photo H"),
                file: FileInput::Url(s("http://127.0.0.1:9/photo.png")),
            }),
            err(ErrorExpect::class(ErrorClass::Validation)
                .kind("invalid_request")
                .message("file.url")),
        )
        .count(Count::exactly("POST", "/v3/avatars", 0)),
    );
    let mut sc = Scenario::new(
        "fault/redirect_307_post",
        "a 307 on a POST is refused; the key never reaches the other origin",
        video("Redirected"),
        err(ErrorExpect::class(ErrorClass::Redirect)
            .kind("unexpected_redirect")
            .status(Some(307))
            .location("127.0.0.1")),
    )
    .fault(
        FaultRule::new(
            "/v3/videos",
            Fault::Redirect {
                status: 307,
                host: None,
            },
        )
        .method("POST"),
    )
    .count(Count::exactly("POST", "/v3/videos", 1));
    sc.observe.other_origin_requests = Some(0);
    t.push(sc);
    t.push(
        Scenario::new(
            "fault/oversized_body",
            "a body over max_response_bytes is refused while reading",
            me(),
            err(ErrorExpect::class(ErrorClass::Protocol).kind("body_too_large")),
        )
        .fault(FaultRule::new(
            "/v3/users/me",
            Fault::Oversized {
                bytes: Some(3 * 1024 * 1024),
            },
        ))
        .count(Count::exactly("GET", "/v3/users/me", 1)),
    );
    t.push(
        Scenario::new(
            "fault/closed_before_response",
            "a connection closed before any response byte is retried for a GET",
            me(),
            me_ok(),
        )
        .fault(FaultRule::new("/v3/users/me", Fault::Close).times(1))
        .count(Count::exactly("GET", "/v3/users/me", 2)),
    );
    let mut sc = Scenario::new(
        "fault/unknown_enums",
        "unknown enum values from the server decode as Unknown and round-trip",
        Action::ListLooks(ListSpec::limit(5).ownership("public")),
        Expect::Ok(json!({"data": [
            {"avatar_type": "emulator_future_avatar_type"}, ANY, ANY, ANY, ANY
        ]})),
    )
    .fault(FaultRule::new("/v3/avatars/looks", Fault::UnknownEnums));
    sc.observe
        .counts
        .push(Count::exactly("GET", "/v3/avatars/looks", 1));
    t.push(sc);

    t.push(
        Scenario::new(
            "fault/extra_fields",
            "unknown fields on every object are ignored",
            Action::GetVideo {
                video_id: s("${video}"),
            },
            Expect::Ok(json!({"id": "${video}", "title": "Extra Fields"})),
        )
        .call(video("Extra Fields"), VIDEO_ID)
        .fault(FaultRule::new("/v3/videos/*", Fault::ExtraFields).method("GET")),
    );

    // ---- field reports ----------------------------------------------------------------
    t.push(
        Scenario::new(
            "BR-01/html_404",
            "an HTML 404 page keeps its status, is not-found and is not retried",
            Action::CreateConsent {
                group_id: s("${group}"),
                consent_text: None,
            },
            err(ErrorExpect::class(ErrorClass::NotFound)
                .status(Some(404))
                .code(None)
                .retryable(false)),
        )
        .call(twin("Twin Html"), AVATAR_IDS)
        .fault(FaultRule::new(
            "/v3/avatars/*/consent",
            Fault::Html {
                status: 404,
                retry_after: None,
            },
        ))
        .count(Count::exactly("POST", "/v3/avatars/*/consent", 1)),
    );
    t.push(
        Scenario::new(
            "BR-01/html_200",
            "an HTML page with status 200 is an unexpected response, never Ok",
            Action::GetVideo {
                video_id: s("${video}"),
            },
            err(ErrorExpect::default()
                .kind("unexpected_response")
                .status(Some(200))),
        )
        .call(video("Html Video"), VIDEO_ID)
        .fault(FaultRule::new(
            "/v3/videos/*",
            Fault::Html {
                status: 200,
                retry_after: None,
            },
        )),
    );
    t.push(
        Scenario::new(
            "BR-07/error_in_200_while_polling",
            "a 200 with an error object stops the wait after exactly one request",
            wait_video(3_000),
            err(ErrorExpect::default()
                .kind("api")
                .status(Some(200))
                .code(Some("invalid_parameter"))),
        )
        .call(video("Poll Error"), VIDEO_ID)
        .fault(FaultRule::new(
            "/v3/videos/*",
            Fault::ErrorIn200 {
                code: None,
                message: Some(s("video_id is invalid or expired")),
            },
        ))
        .count(Count::exactly("GET", "/v3/videos/*", 1)),
    );
    t.push(
        Scenario::new(
            "BR-09/503_during_wait",
            "a 503 while polling is transient; the wait still completes",
            wait_video(5_000),
            Expect::Ok(json!({"state": "completed", "resource": {"status": "completed", "video_url": ANY}})),
        )
        .call(video("Poll 503"), VIDEO_ID)
        .fault(FaultRule::new("/v3/videos/*", status(503)).method("GET").times(1))
        .setup(Setup::Advance { secs: 10 })
        .setup(Setup::AdvanceLater { after_ms: 300, secs: 120 })
        .count(Count::at_least("GET", "/v3/videos/*", 3)),
    );
    t.push(
        Scenario::new(
            "BR-09/404_is_terminal",
            "waiting for a deleted video ends after one request with not-found",
            Action::WaitForVideo {
                video_id: s("vid_gone"),
                poll: PollSpec::fast(3_000),
            },
            err(ErrorExpect::class(ErrorClass::NotFound).status(Some(404))),
        )
        .count(Count::exactly("GET", "/v3/videos/*", 1)),
    );
    let mut sc = Scenario::new(
        "BR-15/direct_upload_hygiene",
        "the presigned PUT carries no credentials; complete retries the 409 not-found-yet",
        Action::UploadFile {
            path: s("${dir}/clip.mp4"),
            mode: UploadMode::Direct,
        },
        Expect::Ok(json!(ANY)),
    )
    .setup(Setup::File {
        name: "clip.mp4",
        kind: FileKind::Mp4,
        size: 1_000_000,
    })
    .fault(
        FaultRule::new(
            "/v3/assets/*/complete",
            Fault::Status {
                status: 409,
                code: Some(s("conflict")),
                message: Some(s("Uploaded object not found yet")),
                retry_after: None,
            },
        )
        .times(1),
    )
    .count(Count::exactly("PUT", "/_storage/**", 1))
    .count(Count::exactly("POST", "/v3/assets/*/complete", 2));
    sc.observe.no_credentials = Some("/_storage/**");
    sc.observe.put_bytes = Some(1_000_000);
    sc.observe.same_idempotency_key = Some(("POST", "/v3/assets/*/complete"));
    t.push(sc);
    let mut sc = Scenario::new(
        "BR-15/put_failure_names_asset",
        "a PUT that keeps failing is reported with the asset id",
        Action::UploadFile {
            path: s("${dir}/clip.mp4"),
            mode: UploadMode::Direct,
        },
        err(ErrorExpect::default()
            .kind("upload_failed")
            .names_asset(true)
            .status(Some(500))),
    )
    .setup(Setup::File {
        name: "clip.mp4",
        kind: FileKind::Mp4,
        size: 200_000,
    })
    .fault(FaultRule::new("/_storage/**", status(500)).method("PUT"))
    .count(Count::exactly("POST", "/v3/assets/*/complete", 0));
    sc.observe.no_credentials = Some("/_storage/**");
    t.push(sc);
    let mut sc = Scenario::new(
        "BR-21/cross_origin_redirect",
        "a 302 to another origin is never followed; that origin never sees X-Api-Key",
        Action::GetVideo {
            video_id: s("${video}"),
        },
        err(ErrorExpect::class(ErrorClass::Redirect)
            .kind("unexpected_redirect")
            .status(Some(302))
            .location("127.0.0.1")
            .retryable(false)),
    )
    .call(video("Redirect Video"), VIDEO_ID)
    .fault(FaultRule::new(
        "/v3/videos/*",
        Fault::Redirect {
            status: 302,
            host: None,
        },
    ))
    .count(Count::exactly("GET", "/v3/videos/*", 1));
    sc.observe.other_origin_requests = Some(0);
    t.push(sc);
    t.push(
        Scenario::new(
            "BR-22/429_body_and_retry_after",
            "a 429 keeps HeyGen's code, message and Retry-After: 3",
            me(),
            err(ErrorExpect::class(ErrorClass::RateLimited)
                .kind("api")
                .status(Some(429))
                .code(Some("rate_limit_exceeded"))
                .retry_after(Some(3))
                .retryable(true)),
        )
        .fault(FaultRule::new(
            "/v3/users/me",
            Fault::Status {
                status: 429,
                code: Some(s("rate_limit_exceeded")),
                message: Some(s("Too many requests")),
                retry_after: Some(RetryAfter::Seconds(3)),
            },
        ))
        .tweaks(Tweaks {
            max_retries: Some(0),
            ..Tweaks::default()
        }),
    );
    t.push(
        Scenario::new(
            "BR-22/400_body",
            "a 400 with a JSON body keeps HeyGen's code",
            video("Bad Request"),
            err(ErrorExpect::class(ErrorClass::Validation)
                .kind("api")
                .status(Some(400))
                .code(Some("invalid_parameter"))
                .retryable(false)),
        )
        .fault(FaultRule::new("/v3/videos", status(400)).method("POST"))
        .count(Count::exactly("POST", "/v3/videos", 1)),
    );
    let mut sc = Scenario::new(
        "BR-25/request_in_progress",
        "a POST that timed out is retried with the same key through 409 request_in_progress",
        video("Slow Create"),
        Expect::Ok(json!({"video_id": ANY})),
    )
    .fault(
        FaultRule::new("/v3/videos", Fault::Delay { ms: 1_200 })
            .method("POST")
            .times(1),
    )
    .tweaks(Tweaks {
        max_retries: Some(6),
        base_delay_ms: Some(200),
        write_timeout_ms: Some(800),
        ..Tweaks::default()
    })
    .count(Count::at_least("POST", "/v3/videos", 3));
    sc.observe.same_idempotency_key = Some(("POST", "/v3/videos"));
    sc.observe.saw_status = Some(("POST", "/v3/videos", 409));
    t.push(sc);

    // ---- drift fixes of the workflow refactor (both clients now share one behavior) -----
    // A status check is cut at the wait's deadline: the wait ends then, not at the GET
    // timeout (5 s here), whether the server holds the headers or stalls in the body.
    for (name, about, fault) in [
        (
            "drift/wait_check_abandoned_at_deadline",
            "a status check held past the wait's deadline is abandoned at the deadline",
            Fault::Delay { ms: 4_000 },
        ),
        (
            "drift/wait_stalled_body_abandoned_at_deadline",
            "a status check whose body stalls past the wait's deadline is abandoned at the deadline",
            Fault::StallBody {
                after_bytes: 16,
                ms: 4_000,
            },
        ),
    ] {
        let mut sc = Scenario::new(
            name,
            about,
            wait_video(600),
            err(ErrorExpect::class(ErrorClass::Timeout)
                .kind("wait_timed_out")
                .timeout(true)),
        )
        .call(video("Held Check"), VIDEO_ID)
        .fault(FaultRule::new("/v3/videos/*", fault).method("GET"))
        .tweaks(Tweaks {
            read_timeout_ms: Some(5_000),
            ..Tweaks::default()
        })
        .count(Count::exactly("GET", "/v3/videos/*", 1));
        sc.observe.min_elapsed_ms = Some(550);
        sc.observe.max_elapsed_ms = Some(900);
        t.push(sc);
    }
    // The file is inspected once; an attempt that finds another size refuses to send it.
    let mut sc = Scenario::new(
        "drift/multipart_file_changed_size",
        "a file that changes size after its inspection is refused before the retry sends it",
        Action::UploadFile {
            path: s("${dir}/photo.png"),
            mode: UploadMode::Multipart,
        },
        err(ErrorExpect::class(ErrorClass::Validation)
            .kind("invalid_request")
            .message("changed size")),
    )
    .setup(Setup::File {
        name: "photo.png",
        kind: FileKind::Png,
        size: 200_000,
    })
    .setup(Setup::FileLater {
        after_ms: 200,
        name: "photo.png",
        kind: FileKind::Png,
        size: 150_000,
    })
    .fault(
        FaultRule::new("/v3/assets", status(503))
            .method("POST")
            .times(1),
    )
    .tweaks(Tweaks {
        base_delay_ms: Some(800),
        ..Tweaks::default()
    })
    .count(Count::exactly("POST", "/v3/assets", 1));
    sc.observe.min_elapsed_ms = Some(500);
    t.push(sc);
    t.push(
        Scenario::new(
            "drift/direct_file_changed_size",
            "a file that changes size while its direct upload is created is refused before the PUT",
            Action::UploadFile {
                path: s("${dir}/clip.mp4"),
                mode: UploadMode::Direct,
            },
            err(ErrorExpect::class(ErrorClass::Validation)
                .kind("upload_failed")
                .names_asset(true)
                .message("changed size")),
        )
        .setup(Setup::File {
            name: "clip.mp4",
            kind: FileKind::Mp4,
            size: 300_000,
        })
        .setup(Setup::FileLater {
            after_ms: 200,
            name: "clip.mp4",
            kind: FileKind::Mp4,
            size: 250_000,
        })
        .fault(
            FaultRule::new("/v3/assets/direct-uploads", Fault::Delay { ms: 800 })
                .method("POST")
                .times(1),
        )
        .count(Count::exactly("POST", "/v3/assets/direct-uploads", 1))
        .count(Count::exactly("PUT", "/_storage/**", 0))
        .count(Count::exactly("POST", "/v3/assets/*/complete", 0)),
    );
    // A path that does not exist: a validation error naming the file, never its directory.
    t.push(
        Scenario::new(
            "drift/missing_file_multipart",
            "uploading a missing path is a validation error naming only the file",
            Action::UploadFile {
                path: s("${dir}/missing.png"),
                mode: UploadMode::Multipart,
            },
            unreadable("missing.png"),
        )
        .count(Count::exactly("POST", "/v3/assets", 0)),
    );
    t.push(
        Scenario::new(
            "drift/missing_file_direct",
            "a direct upload of a missing path is a validation error naming only the file",
            Action::UploadFile {
                path: s("${dir}/missing.mp4"),
                mode: UploadMode::Direct,
            },
            unreadable("missing.mp4"),
        )
        .count(Count::exactly("POST", "/v3/assets/direct-uploads", 0)),
    );
    t.push(
        Scenario::new(
            "drift/missing_file_avatar",
            "create_avatar_from_file of a missing path is a validation error naming only the file",
            Action::CreateAvatarFromFile {
                kind: AvatarKind::Photo,
                name: s("Missing File"),
                path: s("${dir}/missing-photo.png"),
                inline_threshold: 1_000_000,
            },
            unreadable("missing-photo.png"),
        )
        .count(Count::exactly("POST", "/v3/avatars", 0)),
    );

    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_cover_the_field_reports() {
        let table = scenarios();
        let mut names: Vec<_> = table.iter().map(|s| s.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate scenario names");
        for br in [
            "BR-01", "BR-07", "BR-09", "BR-15", "BR-21", "BR-22", "BR-25",
        ] {
            assert!(names.iter().any(|n| n.starts_with(br)), "{br} missing");
        }
    }
}

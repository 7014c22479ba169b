//! The emulated account: avatar groups, looks, assets, videos and the emulated clock.
//!
//! Nothing here speaks HTTP; handlers in `api` turn requests into calls on [`State`]. State
//! changes emit webhook events here; `deliver` sends the attempts they queue.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::webhook::{self, Attempt, DeliveryAttempt, Event, Target, WebhookEndpoint};

/// Emulated seconds a photo avatar spends in `processing`.
pub(crate) const PHOTO_SECS: i64 = 30;
/// Emulated seconds a prompt avatar spends in `processing`.
pub(crate) const PROMPT_SECS: i64 = 45;
/// Emulated seconds a digital twin spends in `processing` after consent.
pub(crate) const TWIN_SECS: i64 = 120;
/// Emulated seconds a consent video is "reviewed" before it counts as approval.
pub(crate) const CONSENT_VIDEO_REVIEW_SECS: i64 = 30;
/// Emulated seconds a video waits in the queue before rendering.
pub(crate) const VIDEO_WAIT_SECS: i64 = 5;
/// Emulated seconds a video renders.
pub(crate) const VIDEO_RENDER_SECS: i64 = 60;
/// Emulated Unix time at which every run starts.
pub(crate) const BASE_EPOCH: i64 = 1_780_000_000;
/// Emulated seconds an idempotency key is remembered.
pub(crate) const IDEMPOTENCY_TTL_SECS: i64 = 24 * 3600;
/// The marker that makes an avatar or a video fail, in its name or title.
pub const FAIL_MARKER: &str = "[fail]";

/// The emulated clock: real elapsed time times `speed`, plus manual advances.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    started: Instant,
    speed: f64,
    advanced_ms: i64,
}

impl Clock {
    pub(crate) fn new(speed: f64) -> Self {
        Self {
            started: Instant::now(),
            speed,
            advanced_ms: 0,
        }
    }

    /// Emulated Unix time in milliseconds.
    #[allow(
        clippy::cast_possible_truncation,
        reason = "emulated runs last far less than 2^63 ms"
    )]
    pub(crate) fn now_ms(&self) -> i64 {
        let real = self.started.elapsed().as_secs_f64() * 1000.0 * self.speed;
        BASE_EPOCH * 1000 + real as i64 + self.advanced_ms
    }

    /// Emulated Unix time in seconds.
    pub(crate) fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    pub(crate) fn advance_ms(&mut self, ms: i64) {
        self.advanced_ms = self.advanced_ms.saturating_add(ms.max(0));
    }

    pub(crate) fn speed(&self) -> f64 {
        self.speed
    }
}

/// What kind of avatar a group or look is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Photo,
    Prompt,
    DigitalTwin,
    Studio,
}

impl Kind {
    /// The `avatar_type` of a look of this kind.
    pub(crate) fn look_type(self) -> &'static str {
        match self {
            Kind::Photo | Kind::Prompt => "photo_avatar",
            Kind::DigitalTwin => "digital_twin",
            Kind::Studio => "studio_avatar",
        }
    }
}

/// Consent of a digital-twin group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Consent {
    NotRequired,
    Pending,
    Review { until: i64 },
    Approved,
    Declined,
}

impl Consent {
    fn status(&self) -> Option<&'static str> {
        match self {
            Consent::NotRequired => None,
            Consent::Pending | Consent::Review { .. } => Some("pending"),
            Consent::Approved => Some("approved"),
            Consent::Declined => Some("declined"),
        }
    }
}

/// Training state of a private look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Training {
    Public,
    PendingConsent,
    Processing { until: i64 },
    Completed,
    Failed { code: String, message: String },
}

impl Training {
    fn status(&self) -> Option<&'static str> {
        match self {
            Training::Public => None,
            Training::PendingConsent => Some("pending_consent"),
            Training::Processing { .. } => Some("processing"),
            Training::Completed => Some("completed"),
            Training::Failed { .. } => Some("failed"),
        }
    }

    fn error(&self) -> Value {
        match self {
            Training::Failed { code, message } => json!({"code": code, "message": message}),
            _ => Value::Null,
        }
    }
}

/// An avatar group (an identity).
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) id: String,
    pub(crate) seq: u64,
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) public: bool,
    pub(crate) created_at: i64,
    pub(crate) gender: Option<&'static str>,
    pub(crate) consent: Consent,
    pub(crate) consent_token: Option<String>,
    pub(crate) reroute_url: Option<String>,
    pub(crate) consent_text: Option<String>,
}

/// A look: one appearance of a group; its id is the `avatar_id` of a video.
#[derive(Debug, Clone)]
pub(crate) struct Look {
    pub(crate) id: String,
    pub(crate) seq: u64,
    pub(crate) group_id: String,
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) public: bool,
    pub(crate) training: Training,
    pub(crate) fail: bool,
    pub(crate) gender: Option<&'static str>,
    pub(crate) tags: Vec<String>,
}

/// Upload state of an asset.
#[derive(Debug, Clone)]
pub(crate) enum AssetState {
    /// Created by a direct upload; waiting for the PUT and then `complete`.
    Pending {
        signature: String,
        expires_at_ms: i64,
        checksum: Option<String>,
        received: Option<Received>,
        content_type: String,
    },
    /// Usable.
    Complete,
}

/// What the presigned `PUT` stored: the bytes' SHA-256 (hex) and the type their first bytes show.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) sha256: String,
    pub(crate) detected: Option<&'static str>,
}

/// An uploaded file; only its size and hash are kept, never its bytes.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) mime: String,
    pub(crate) size: u64,
    pub(crate) uploaded_at: i64,
    pub(crate) state: AssetState,
}

impl Asset {
    pub(crate) fn is_complete(&self) -> bool {
        matches!(self.state, AssetState::Complete)
    }
}

/// What completing an upload batch decided for one of its files.
#[derive(Debug, Clone)]
pub(crate) enum ItemFate {
    Ok,
    Fail { code: String, message: String },
}

/// An upload batch (`POST /v3/assets/direct-uploads/batches`); see `assets.rs`.
#[derive(Debug, Clone)]
pub(crate) struct UploadBatch {
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) created_at: i64,
    /// The slots' asset ids, in the submitted order.
    pub(crate) assets: Vec<String>,
    /// When `POST /v3/assets/complete/batches` first came (emulated seconds).
    pub(crate) completed_at: Option<i64>,
    /// Each file's fate, decided at completion.
    pub(crate) fates: Vec<ItemFate>,
    /// Whether each file's final state was applied to its asset.
    pub(crate) settled: Vec<bool>,
}

/// A video job.
#[derive(Debug, Clone)]
pub(crate) struct Video {
    pub(crate) id: String,
    pub(crate) seq: u64,
    pub(crate) title: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) fail: bool,
    pub(crate) output_format: String,
    /// The folder the video is filed in (`None`: the root; the emulator files none).
    pub(crate) folder_id: Option<String>,
    /// Echoed in the video's webhook events.
    pub(crate) callback_id: Option<String>,
    /// Also receives the video's events, unsigned (when it is a loopback URL).
    pub(crate) callback_url: Option<String>,
    /// Whether its `avatar_video.success|fail` event was emitted.
    pub(crate) notified: bool,
}

/// The stored outcome of a request made with an `Idempotency-Key`.
#[derive(Debug, Clone)]
pub(crate) enum Idem {
    InFlight {
        at: i64,
    },
    Done {
        fingerprint: String,
        at: i64,
        status: u16,
        body: Vec<u8>,
        content_type: String,
    },
}

/// One request as the admin API reports it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedRequest {
    /// The `X-Request-Id` the emulator answered with.
    pub request_id: String,
    /// HTTP method.
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// Query string, if any (signatures are masked).
    pub query: Option<String>,
    /// Request headers, lower-case names; secrets masked as `<redacted>`.
    pub headers: BTreeMap<String, String>,
    /// Request body size in bytes, as received.
    pub body_bytes: u64,
    /// Response status (0 while the request is still being handled or the connection was cut).
    pub status: u16,
    /// Whether the request was rejected because it carried API credentials where none belong.
    pub credentials_rejected: bool,
    /// Name of the fault that was applied, if any.
    pub fault: Option<String>,
}

/// The whole emulated account.
pub(crate) struct State {
    pub(crate) clock: Clock,
    pub(crate) seed: u64,
    rng: fastrand::Rng,
    next_seq: u64,
    pub(crate) base_url: String,
    pub(crate) groups: HashMap<String, Group>,
    pub(crate) looks: HashMap<String, Look>,
    pub(crate) assets: HashMap<String, Asset>,
    /// Upload batches by id.
    pub(crate) upload_batches: HashMap<String, UploadBatch>,
    pub(crate) videos: HashMap<String, Video>,
    pub(crate) idem: HashMap<String, Idem>,
    pub(crate) log: Vec<LoggedRequest>,
    pub(crate) other_origin_log: Vec<LoggedRequest>,
    /// The file origin's links and log (see `files`).
    pub(crate) files: crate::files::FileLinks,
    pub(crate) request_counter: u64,
    /// Webhook endpoints by id.
    pub(crate) endpoints: HashMap<String, WebhookEndpoint>,
    /// Every event emitted, oldest first.
    pub(crate) events: Vec<Event>,
    /// Delivery attempts waiting for their time.
    pub(crate) outbox: Vec<Attempt>,
    /// Delivery attempts made, oldest first.
    pub(crate) deliveries: Vec<DeliveryAttempt>,
    /// Bumped by every reset, so attempts queued before it are dropped.
    pub(crate) epoch: u64,
    next_event: u64,
    /// Voices: the public library, designed voices and clones (see `voices`).
    pub(crate) voices: crate::voices::Voices,
    /// Video batches (see `video_batches`).
    pub(crate) video_batches: crate::video_batches::VideoBatches,
}

const STUDIO_PEOPLE: [(&str, &str); 8] = [
    ("Abigail", "female"),
    ("Brandon", "male"),
    ("Chloe", "female"),
    ("Daniel", "male"),
    ("Elena", "female"),
    ("Felix", "male"),
    ("Grace", "female"),
    ("Hiro", "male"),
];
const STUDIO_STYLES: [&str; 8] = [
    "Office Front",
    "Casual Side",
    "Studio Standing",
    "Sitting Desk",
    "Outdoor Park",
    "Lobby Walk",
    "Podcast",
    "Presenter",
];

impl State {
    pub(crate) fn new(seed: u64, clock_speed: f64, base_url: String) -> Self {
        let mut this = Self {
            clock: Clock::new(clock_speed),
            seed,
            rng: fastrand::Rng::with_seed(seed),
            next_seq: 0,
            base_url,
            groups: HashMap::new(),
            looks: HashMap::new(),
            assets: HashMap::new(),
            upload_batches: HashMap::new(),
            videos: HashMap::new(),
            idem: HashMap::new(),
            log: Vec::new(),
            other_origin_log: Vec::new(),
            files: crate::files::FileLinks::default(),
            request_counter: 0,
            endpoints: HashMap::new(),
            events: Vec::new(),
            outbox: Vec::new(),
            deliveries: Vec::new(),
            epoch: 0,
            next_event: 0,
            voices: crate::voices::Voices::seeded(),
            video_batches: crate::video_batches::VideoBatches::default(),
        };
        this.seed_public();
        this
    }

    /// Forgets everything and starts again from the seed (the clock restarts too).
    pub(crate) fn reset(&mut self) {
        let mut fresh = State::new(self.seed, self.clock.speed(), self.base_url.clone());
        fresh.epoch = self.epoch + 1;
        fresh.files = self.files.fresh();
        *self = fresh;
    }

    fn seed_public(&mut self) {
        let created = BASE_EPOCH - 86_400 * 30;
        for (name, gender) in STUDIO_PEOPLE {
            let gid = self.new_id();
            let seq = self.seq();
            self.groups.insert(
                gid.clone(),
                Group {
                    id: gid.clone(),
                    seq,
                    name: name.to_owned(),
                    kind: Kind::Studio,
                    public: true,
                    created_at: created,
                    gender: Some(gender),
                    consent: Consent::NotRequired,
                    consent_token: None,
                    reroute_url: None,
                    consent_text: None,
                },
            );
            for style in STUDIO_STYLES {
                let id = format!("{name}_{}_public", style.to_lowercase().replace(' ', "_"));
                let seq = self.seq();
                self.looks.insert(
                    id.clone(),
                    Look {
                        id,
                        seq,
                        group_id: gid.clone(),
                        name: format!("{name} {style}"),
                        kind: Kind::Studio,
                        public: true,
                        training: Training::Public,
                        fail: false,
                        gender: Some(gender),
                        tags: vec!["studio".into()],
                    },
                );
            }
        }
    }

    /// A fresh 32-hex-digit id from the seeded generator.
    pub(crate) fn new_id(&mut self) -> String {
        format!("{:016x}{:016x}", self.rng.u64(..), self.rng.u64(..))
    }

    /// A fresh URL-safe token from the seeded generator.
    pub(crate) fn new_token(&mut self) -> String {
        let mut t = String::new();
        for _ in 0..24 {
            t.push(self.rng.alphanumeric());
        }
        t
    }

    /// A fresh webhook signing secret: `whsec_` and 32 letters and digits.
    pub(crate) fn new_secret(&mut self) -> String {
        let mut s = String::from(webhook::SECRET_PREFIX);
        for _ in 0..32 {
            s.push(self.rng.alphanumeric());
        }
        s
    }

    pub(crate) fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    pub(crate) fn next_request_id(&mut self) -> String {
        self.request_counter += 1;
        format!(
            "req_{:08x}{:08x}",
            self.seed & 0xffff_ffff,
            self.request_counter
        )
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Moves every time-driven state forward to the current emulated time and emits the webhook
    /// event of each change, oldest change first.
    pub(crate) fn refresh(&mut self) {
        let now = self.now();
        let mut approved = Vec::new();
        for g in self.groups.values_mut() {
            if let Consent::Review { until } = g.consent
                && now >= until
            {
                g.consent = Consent::Approved;
                approved.push((g.id.clone(), until));
            }
        }
        for (gid, at) in approved {
            self.start_twin_training(&gid, at);
        }
        // (when, order, look or video id, is a video)
        let mut changes: Vec<(i64, u64, String, bool)> = Vec::new();
        for l in self.looks.values_mut() {
            if let Training::Processing { until } = l.training
                && now >= until
            {
                l.training = if l.fail {
                    Training::Failed {
                        code: "avatar_training_failed".into(),
                        message: "The emulator failed this avatar on purpose (name marker)".into(),
                    }
                } else {
                    Training::Completed
                };
                changes.push((until, l.seq, l.id.clone(), false));
            }
        }
        for v in self.videos.values_mut() {
            let done = v.created_at + VIDEO_WAIT_SECS + VIDEO_RENDER_SECS;
            if !v.notified && now >= done {
                v.notified = true;
                changes.push((done, v.seq, v.id.clone(), true));
            }
        }
        changes.sort_unstable();
        for (at, _, id, is_video) in changes {
            if is_video {
                self.emit_video_event(&id, at);
            } else {
                self.emit_look_event(&id, at);
            }
        }
        let cutoff = now - IDEMPOTENCY_TTL_SECS;
        self.idem.retain(|_, v| match v {
            Idem::InFlight { at } => *at > now - 600,
            Idem::Done { at, .. } => *at > cutoff,
        });
    }

    /// Emits `photo_avatar_train.*` (photo avatars), `photo_avatar_generation.*` (prompt avatars)
    /// or `instant_avatar.*` (digital twins) for a look that just completed or failed.
    fn emit_look_event(&mut self, look_id: &str, at: i64) {
        let Some(l) = self.looks.get(look_id) else {
            return;
        };
        let (success, fail) = match l.kind {
            Kind::Photo => ("photo_avatar_train.success", "photo_avatar_train.fail"),
            Kind::Prompt => (
                "photo_avatar_generation.success",
                "photo_avatar_generation.fail",
            ),
            Kind::DigitalTwin => ("instant_avatar.success", "instant_avatar.fail"),
            Kind::Studio => return,
        };
        let mut data = json!({
            "look_id": l.id,
            "group_id": l.group_id,
            "avatar_type": l.kind.look_type(),
            "name": l.name,
        });
        let event_type = match &l.training {
            Training::Completed => success,
            Training::Failed { code, message } => {
                data["msg"] = Value::String(message.clone());
                data["failure_code"] = Value::String(code.clone());
                fail
            }
            _ => return,
        };
        let entities = vec![l.id.clone(), l.group_id.clone()];
        self.emit(event_type, data, at, entities, None);
    }

    /// Emits `avatar_video.success` or `avatar_video.fail` for a video that just finished.
    fn emit_video_event(&mut self, video_id: &str, at: i64) {
        let Some(v) = self.videos.get(video_id) else {
            return;
        };
        let j = self.video_json(v);
        let (event_type, data) = if v.fail {
            (
                "avatar_video.fail",
                json!({
                    "video_id": v.id,
                    "msg": j["failure_message"],
                    "failure_code": j["failure_code"],
                    "callback_id": v.callback_id,
                }),
            )
        } else {
            (
                "avatar_video.success",
                json!({
                    "video_id": v.id,
                    "url": j["video_url"],
                    "thumbnail_url": j["thumbnail_url"],
                    "video_page_url": j["video_page_url"],
                    "duration": j["duration"],
                    "folder_id": j["folder_id"],
                    "callback_id": v.callback_id,
                }),
            )
        };
        let callback = v.callback_url.clone();
        let entities = vec![v.id.clone()];
        self.emit(event_type, data, at, entities, callback.as_deref());
    }

    /// Records an event that happened at `at` (emulated seconds) and queues one delivery for
    /// every endpoint that wants it, plus one for `callback_url` when it is a loopback URL.
    pub(crate) fn emit(
        &mut self,
        event_type: &'static str,
        data: Value,
        at: i64,
        entities: Vec<String>,
        callback_url: Option<&str>,
    ) {
        use sha2::Digest as _;
        self.next_event += 1;
        let digest = sha2::Sha256::digest(format!(
            "heygen-emulator event {} {}",
            self.seed, self.next_event
        ));
        let id: String = format!("{digest:x}").chars().take(32).collect();
        let event = Event {
            id,
            seq: self.next_event,
            kind: event_type,
            data,
            created_at: at,
            entities,
        };
        let body = Bytes::from(serde_json::to_vec(&event.json()).unwrap_or_default());
        let mut endpoints: Vec<(u64, String)> = self
            .endpoints
            .values()
            .filter(|e| e.wants(&event))
            .map(|e| (e.seq, e.id.clone()))
            .collect();
        endpoints.sort_unstable();
        let mut targets: Vec<Target> = endpoints
            .into_iter()
            .map(|(_, id)| Target::Endpoint(id))
            .collect();
        if let Some(url) = callback_url.filter(|u| webhook::parse_loopback_url(u).is_ok()) {
            targets.push(Target::Callback(url.to_owned()));
        }
        let due_ms = self.clock.now_ms();
        for target in targets {
            self.outbox.push(Attempt {
                due_ms,
                epoch: self.epoch,
                event_id: event.id.clone(),
                event_type,
                body: body.clone(),
                target,
                number: 1,
            });
        }
        self.events.push(event);
    }

    /// The next emulated millisecond at which something is due: a state change that emits an
    /// event, or a queued delivery attempt.
    pub(crate) fn next_wakeup_ms(&self) -> Option<i64> {
        let reviews = self.groups.values().filter_map(|g| match g.consent {
            Consent::Review { until } => Some(until * 1000),
            _ => None,
        });
        let looks = self.looks.values().filter_map(|l| match l.training {
            Training::Processing { until } => Some(until * 1000),
            _ => None,
        });
        let videos = self
            .videos
            .values()
            .filter(|v| !v.notified)
            .map(|v| (v.created_at + VIDEO_WAIT_SECS + VIDEO_RENDER_SECS) * 1000);
        let outbox = self.outbox.iter().map(|a| a.due_ms);
        reviews.chain(looks).chain(videos).chain(outbox).min()
    }

    /// Takes the delivery attempts that are due now, in the order they were queued.
    pub(crate) fn take_due_attempts(&mut self) -> Vec<Attempt> {
        let now_ms = self.clock.now_ms();
        let (due, later) = std::mem::take(&mut self.outbox)
            .into_iter()
            .partition(|a| a.due_ms <= now_ms);
        self.outbox = later;
        due
    }

    /// Moves the pending-consent looks of a group into training, starting at `at`.
    pub(crate) fn start_twin_training(&mut self, group_id: &str, at: i64) {
        for l in self.looks.values_mut() {
            if l.group_id == group_id && l.training == Training::PendingConsent {
                l.training = Training::Processing {
                    until: at + TWIN_SECS,
                };
            }
        }
    }

    /// Records the decision on a group's consent. Returns false when the group is unknown.
    pub(crate) fn decide_consent(&mut self, group_id: &str, approve: bool) -> bool {
        let now = self.now();
        let Some(g) = self.groups.get_mut(group_id) else {
            return false;
        };
        if approve {
            g.consent = Consent::Approved;
            self.start_twin_training(group_id, now);
        } else {
            g.consent = Consent::Declined;
            let mut failed = Vec::new();
            for l in self.looks.values_mut() {
                if l.group_id == group_id && l.training == Training::PendingConsent {
                    l.training = Training::Failed {
                        code: "consent_declined".into(),
                        message: "The person in the footage declined consent".into(),
                    };
                    failed.push((l.seq, l.id.clone()));
                }
            }
            failed.sort_unstable();
            for (_, id) in failed {
                self.emit_look_event(&id, now);
            }
        }
        true
    }

    /// Looks of a group, newest first.
    pub(crate) fn group_looks(&self, group_id: &str) -> Vec<&Look> {
        let mut v: Vec<&Look> = self
            .looks
            .values()
            .filter(|l| l.group_id == group_id)
            .collect();
        v.sort_by_key(|l| std::cmp::Reverse(l.seq));
        v
    }

    pub(crate) fn look_json(&self, l: &Look) -> Value {
        let (w, h, orientation) = match l.kind {
            Kind::DigitalTwin | Kind::Studio => (1920, 1080, "landscape"),
            Kind::Photo | Kind::Prompt => (1024, 1024, "square"),
        };
        let done = matches!(l.training, Training::Public | Training::Completed);
        json!({
            "id": l.id,
            "name": l.name,
            "avatar_type": l.kind.look_type(),
            "group_id": l.group_id,
            "status": l.training.status(),
            "error": l.training.error(),
            "default_voice_id": if done { Value::String(voice_for(l.gender)) } else { Value::Null },
            "gender": l.gender,
            "preview_image_url": if done { Value::String(format!("{}/_files/previews/{}.png", self.base_url, l.id)) } else { Value::Null },
            "preview_video_url": Value::Null,
            "image_width": w,
            "image_height": h,
            "preferred_orientation": orientation,
            "supported_api_engines": ["avatar_iii", "avatar_iv"],
            "tags": l.tags,
        })
    }

    pub(crate) fn group_json(&self, g: &Group) -> Value {
        let looks = self.group_looks(&g.id);
        let latest = looks.first();
        let status = if g.public {
            None
        } else {
            latest.and_then(|l| l.training.status())
        };
        let error = if g.public {
            Value::Null
        } else {
            latest.map_or(Value::Null, |l| l.training.error())
        };
        let preview = latest
            .filter(|l| matches!(l.training, Training::Public | Training::Completed))
            .map_or(Value::Null, |l| {
                Value::String(format!("{}/_files/previews/{}.png", self.base_url, l.id))
            });
        json!({
            "id": g.id,
            "name": g.name,
            "created_at": g.created_at,
            "looks_count": looks.len(),
            "status": status,
            "consent_status": g.consent.status(),
            "error": error,
            "gender": g.gender,
            "default_voice_id": if status == Some("completed") || g.public { Value::String(voice_for(g.gender)) } else { Value::Null },
            "preview_image_url": preview,
            "preview_video_url": Value::Null,
        })
    }

    /// The status a video shows now.
    pub(crate) fn video_status(&self, v: &Video) -> &'static str {
        let now = self.now();
        if now < v.created_at + VIDEO_WAIT_SECS {
            "pending"
        } else if now < v.created_at + VIDEO_WAIT_SECS + VIDEO_RENDER_SECS {
            "processing"
        } else if v.fail {
            "failed"
        } else {
            "completed"
        }
    }

    pub(crate) fn video_json(&self, v: &Video) -> Value {
        let status = self.video_status(v);
        let done = status == "completed";
        let completed_at = v.created_at + VIDEO_WAIT_SECS + VIDEO_RENDER_SECS;
        json!({
            "id": v.id,
            "title": v.title,
            "status": status,
            "created_at": v.created_at,
            "completed_at": if status == "completed" || status == "failed" { Value::from(completed_at) } else { Value::Null },
            "duration": if done { Value::from(12.5) } else { Value::Null },
            "video_url": if done { Value::String(self.files.link(&v.id, &v.output_format, false, self.now())) } else { Value::Null },
            "thumbnail_url": if done { Value::String(format!("{}/_files/videos/{}.jpg", self.base_url, v.id)) } else { Value::Null },
            "gif_url": Value::Null,
            "captioned_video_url": if done && self.files.captioned.contains(&v.id) { Value::String(self.files.link(&v.id, &v.output_format, true, self.now())) } else { Value::Null },
            "subtitle_url": Value::Null,
            "video_page_url": format!("{}/_files/videos/{}/page", self.base_url, v.id),
            "folder_id": v.folder_id,
            "output_language": Value::Null,
            "failure_code": if status == "failed" { Value::from("video_render_failed") } else { Value::Null },
            "failure_message": if status == "failed" { Value::from("The emulator failed this video on purpose (title marker)") } else { Value::Null },
        })
    }

    pub(crate) fn asset_url(&self, id: &str) -> String {
        format!("{}/_files/assets/{id}", self.base_url)
    }
}

/// Real Unix time in seconds (for presigned expiries and HTTP dates, which clients compare with
/// their own clock).
pub(crate) fn httpdate_now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn voice_for(gender: Option<&str>) -> String {
    match gender {
        Some("male") => "emu_voice_male_01".into(),
        _ => "emu_voice_female_01".into(),
    }
}

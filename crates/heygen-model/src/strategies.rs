//! Proptest strategies that generate valid HeyGen data for every public request and response
//! type (feature `proptest`).
//!
//! Each function takes a [`Mode`]: [`Mode::All`] also generates `Unknown` enum values (which
//! HeyGen may send in the future), [`Mode::KnownOnly`] only values the published schema lists.
//! Generated requests pass their `validate()`.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::asset::UploadHeaders;
use crate::enums::OpenEnum;
use crate::user::{AutoReload, CreditBalance, Credits, Subscription, UsageBased, Wallet};
use crate::{
    ApiErrorBody, ApiErrorCode, Asset, AssetInput, AvatarGroup, Background, Base64Data,
    CompleteUploadRequest, CompletedUpload, ConsentResponse, CreateAvatarRequest,
    CreateAvatarResponse, CreateAvatarVideo, CreateConsentRequest, CreateDigitalTwin,
    CreateDirectUploadRequest, CreateImageVideo, CreatePhotoAvatar, CreatePromptAvatar,
    CreateVideoRequest, CreateVideoResponse, DeletedResource, DirectUpload, EngineConfig,
    ErrorCode, ListAvatarGroupsQuery, ListLooksQuery, ListPage, ListVideosQuery, Look,
    PresignedUrl, ResourceError, UpdateLookRequest, User, Video, VideoStatus, VoiceSettings,
};
use crate::{Caption, VoiceEngineSettings, VoiceEngineType, Watermark, WatermarkPlacement};

/// Whether strategies may generate `Unknown` enum values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Known values and, sometimes, `Unknown` ones.
    All,
    /// Only values the published schema lists (for schema-contract tests).
    KnownOnly,
}

/// Any value of an open enum; `Unknown` values (prefixed `zz_`) only in [`Mode::All`].
pub fn open_enum<T: OpenEnum + core::fmt::Debug>(mode: Mode) -> BoxedStrategy<T> {
    let known = proptest::sample::select(T::known());
    match mode {
        Mode::KnownOnly => known.boxed(),
        Mode::All => {
            prop_oneof![4 => known, 1 => "zz_[a-z0-9_]{0,12}".prop_map(T::unknown)].boxed()
        }
    }
}

fn id<T: Arbitrary<Parameters = (), Strategy = BoxedStrategy<T>>>() -> BoxedStrategy<T> {
    any::<T>()
}

/// A non-empty display name.
pub fn name() -> BoxedStrategy<String> {
    "[A-Za-z][A-Za-z0-9 _-]{0,23}".boxed()
}

/// An `https` URL.
pub fn https_url() -> BoxedStrategy<String> {
    "https://(files|cdn)\\.example\\.com/[a-z0-9]{1,12}(\\.mp4|\\.png)?".boxed()
}

/// A small float that encodes and decodes exactly.
fn small_f64() -> BoxedStrategy<f64> {
    (-4000i32..4000).prop_map(|q| f64::from(q) / 8.0).boxed()
}

/// An [`AssetInput`] of any kind, with valid contents.
pub fn asset_input() -> BoxedStrategy<AssetInput> {
    prop_oneof![
        https_url().prop_map(AssetInput::url),
        id().prop_map(AssetInput::asset_id),
        (
            proptest::sample::select(
                &[
                    "image/png",
                    "image/jpeg",
                    "video/mp4",
                    "audio/mpeg",
                    "audio/wav"
                ][..]
            ),
            any::<Base64Data>()
        )
            .prop_map(|(media_type, data)| AssetInput::Base64 {
                media_type: media_type.to_owned(),
                data
            }),
    ]
    .boxed()
}

/// A [`CreatePhotoAvatar`].
pub fn create_photo_avatar() -> BoxedStrategy<CreatePhotoAvatar> {
    (name(), asset_input(), option::of(id()))
        .prop_map(|(name, file, group)| {
            let r = CreatePhotoAvatar::new(name, file);
            match group {
                Some(g) => r.avatar_group_id(g),
                None => r,
            }
        })
        .boxed()
}

/// A [`CreateDigitalTwin`].
pub fn create_digital_twin() -> BoxedStrategy<CreateDigitalTwin> {
    (name(), asset_input(), option::of(id()))
        .prop_map(|(name, file, group)| {
            let r = CreateDigitalTwin::new(name, file);
            match group {
                Some(g) => r.avatar_group_id(g),
                None => r,
            }
        })
        .boxed()
}

/// A [`CreatePromptAvatar`].
pub fn create_prompt_avatar() -> BoxedStrategy<CreatePromptAvatar> {
    (
        name(),
        "[A-Za-z][A-Za-z ,.]{0,200}",
        vec(asset_input(), 0..=crate::validate::MAX_REFERENCE_IMAGES),
        option::of(id()),
        option::of(id()),
    )
        .prop_map(|(name, prompt, images, look, group)| {
            let mut r = CreatePromptAvatar::new(name, prompt).reference_images(images);
            r.avatar_id = look;
            r.avatar_group_id = group;
            r
        })
        .boxed()
}

/// A [`CreateAvatarRequest`] of any variant.
pub fn create_avatar_request() -> BoxedStrategy<CreateAvatarRequest> {
    prop_oneof![
        create_photo_avatar().prop_map(CreateAvatarRequest::Photo),
        create_digital_twin().prop_map(CreateAvatarRequest::DigitalTwin),
        create_prompt_avatar().prop_map(CreateAvatarRequest::Prompt),
    ]
    .boxed()
}

/// A [`CreateConsentRequest`]: a consent video alone, or any of the other two fields.
pub fn create_consent_request() -> BoxedStrategy<CreateConsentRequest> {
    prop_oneof![
        asset_input().prop_map(|v| CreateConsentRequest::new().consent_video(v)),
        (
            option::of(https_url()),
            option::of("[A-Za-z][A-Za-z0-9 ,.]{0,80}")
        )
            .prop_map(|(url, text)| {
                let mut r = CreateConsentRequest::new();
                r.reroute_url = url;
                r.consent_text = text;
                r
            }),
    ]
    .boxed()
}

/// An [`UpdateLookRequest`].
pub fn update_look_request() -> BoxedStrategy<UpdateLookRequest> {
    option::of(name())
        .prop_map(|n| {
            let mut r = UpdateLookRequest::new();
            r.name = n;
            r
        })
        .boxed()
}

fn token() -> BoxedStrategy<String> {
    "[A-Za-z0-9_=-]{1,24}".boxed()
}

/// A [`ListAvatarGroupsQuery`].
pub fn list_avatar_groups_query(mode: Mode) -> BoxedStrategy<ListAvatarGroupsQuery> {
    (
        option::of(open_enum(mode)),
        option::of(1u32..=50),
        option::of(token()),
    )
        .prop_map(|(ownership, limit, token)| {
            let mut q = ListAvatarGroupsQuery::new();
            q.ownership = ownership;
            q.limit = limit;
            q.token = token;
            q
        })
        .boxed()
}

/// A [`ListLooksQuery`].
pub fn list_looks_query(mode: Mode) -> BoxedStrategy<ListLooksQuery> {
    (
        option::of(id()),
        option::of(open_enum(mode)),
        option::of(open_enum(mode)),
        option::of(1u32..=50),
        option::of(token()),
    )
        .prop_map(|(group_id, avatar_type, ownership, limit, token)| {
            let mut q = ListLooksQuery::new();
            q.group_id = group_id;
            q.avatar_type = avatar_type;
            q.ownership = ownership;
            q.limit = limit;
            q.token = token;
            q
        })
        .boxed()
}

/// A [`ListVideosQuery`].
pub fn list_videos_query() -> BoxedStrategy<ListVideosQuery> {
    (
        option::of(1u32..=100),
        option::of(token()),
        option::of(id()),
        option::of(name()),
    )
        .prop_map(|(limit, token, folder_id, title)| {
            let mut q = ListVideosQuery::new();
            q.limit = limit;
            q.token = token;
            q.folder_id = folder_id;
            q.title = title;
            q
        })
        .boxed()
}

fn sha256_hex() -> BoxedStrategy<String> {
    "[0-9a-f]{64}".boxed()
}

/// A [`CreateDirectUploadRequest`].
pub fn create_direct_upload_request() -> BoxedStrategy<CreateDirectUploadRequest> {
    (
        "[a-z0-9_-]{1,16}\\.(mp4|png|wav)",
        proptest::sample::select(&["video/mp4", "image/png", "audio/wav"][..]),
        1u64..=10_000_000_000,
        option::of(sha256_hex()),
    )
        .prop_map(|(filename, content_type, size, checksum)| {
            let mut r = CreateDirectUploadRequest::new(filename, content_type, size);
            r.checksum_sha256 = checksum;
            r
        })
        .boxed()
}

/// A [`CompleteUploadRequest`].
pub fn complete_upload_request() -> BoxedStrategy<CompleteUploadRequest> {
    option::of(sha256_hex())
        .prop_map(|c| {
            let mut r = CompleteUploadRequest::new();
            r.checksum_sha256 = c;
            r
        })
        .boxed()
}

/// [`VoiceEngineSettings`] with only the fields its provider takes.
pub fn voice_engine_settings() -> BoxedStrategy<VoiceEngineSettings> {
    let unit = || (0u8..=8).prop_map(|q| f64::from(q) / 8.0);
    prop_oneof![
        (
            option::of(proptest::sample::select(
                &[
                    "eleven_multilingual_v2",
                    "eleven_turbo_v2_5",
                    "eleven_flash_v2_5",
                    "eleven_v3"
                ][..]
            )),
            option::of(unit()),
            option::of(unit()),
            option::of(unit()),
            option::of(any::<bool>()),
        )
            .prop_map(|(model, stability, boost, style, speaker)| {
                let mut e = VoiceEngineSettings::new(VoiceEngineType::Elevenlabs);
                e.model = model.map(crate::VoiceModel::from_wire);
                e.stability = stability;
                e.similarity_boost = boost;
                e.style = style;
                e.use_speaker_boost = speaker;
                e
            }),
        (
            option::of(proptest::sample::select(&["s1", "s2-pro"][..])),
            option::of(unit()),
            option::of(unit())
        )
            .prop_map(|(model, stability, similarity)| {
                let mut e = VoiceEngineSettings::new(VoiceEngineType::Fish);
                e.model = model.map(crate::VoiceModel::from_wire);
                e.stability = stability;
                e.similarity = similarity;
                e
            }),
        Just(VoiceEngineSettings::new(VoiceEngineType::Starfish)),
    ]
    .boxed()
}

/// [`VoiceSettings`].
pub fn voice_settings() -> BoxedStrategy<VoiceSettings> {
    (
        option::of("[a-z]{2}-[A-Z]{2}"),
        // Within the documented ranges: pitch -50..=50, speed 0.5..=1.5, volume 0..=1.
        option::of((-400i32..=400).prop_map(|q| f64::from(q) / 8.0)),
        option::of((4i32..=12).prop_map(|q| f64::from(q) / 8.0)),
        option::of((0i32..=8).prop_map(|q| f64::from(q) / 8.0)),
        option::of(voice_engine_settings()),
    )
        .prop_map(|(locale, pitch, speed, volume, engine)| {
            let mut s = VoiceSettings::new();
            s.locale = locale;
            s.pitch = pitch;
            s.speed = speed;
            s.volume = volume;
            s.engine_settings = engine;
            s
        })
        .boxed()
}

/// A [`Caption`].
pub fn caption(mode: Mode) -> BoxedStrategy<Caption> {
    (option::of(open_enum(mode)), option::of(open_enum(mode)))
        .prop_map(|(file_format, style)| {
            let mut c = Caption::new();
            c.file_format = file_format;
            c.style = style;
            c
        })
        .boxed()
}

/// A [`Watermark`].
pub fn watermark(mode: Mode) -> BoxedStrategy<Watermark> {
    let placement = (
        option::of(open_enum(mode)),
        option::of(small_f64()),
        option::of(small_f64()),
    )
        .prop_map(|(position, offset_x, offset_y)| WatermarkPlacement {
            position,
            offset_x,
            offset_y,
        });
    (
        asset_input(),
        option::of((0u8..=4).prop_map(|q| f64::from(q) / 4.0)),
        option::of(small_f64()),
        option::of(placement),
    )
        .prop_map(|(image, opacity, scale, placement)| {
            let mut w = Watermark::new(image);
            w.opacity = opacity;
            w.scale = scale;
            w.placement = placement;
            w
        })
        .boxed()
}

/// A [`Background`].
pub fn background() -> BoxedStrategy<Background> {
    prop_oneof![
        "#[0-9A-F]{6}".prop_map(Background::color),
        https_url().prop_map(Background::image_url),
        id().prop_map(Background::image_asset),
    ]
    .boxed()
}

/// An [`EngineConfig`].
pub fn engine_config(mode: Mode) -> BoxedStrategy<EngineConfig> {
    (open_enum(mode), option::of(id()))
        .prop_map(|(engine, look)| {
            let mut e = EngineConfig::new(engine);
            // A reference look goes only with Avatar V.
            if e.engine == crate::VideoEngine::AvatarV {
                e.reference_look_id = look;
            }
            e
        })
        .boxed()
}

type VideoEnums = (
    Option<crate::AspectRatio>,
    Option<crate::Resolution>,
    Option<crate::OutputFormat>,
    Option<crate::Expressiveness>,
    Option<crate::Fit>,
);

#[derive(Debug, Clone)]
struct Common {
    speech: (Option<String>, Option<String>, Option<crate::AssetId>),
    voice_id: Option<crate::VoiceId>,
    voice_settings: Option<VoiceSettings>,
    title: Option<String>,
    background: Option<Background>,
    enums: VideoEnums,
    motion_prompt: Option<String>,
    remove_background: Option<bool>,
    callback: (Option<String>, Option<String>),
    extras: (Option<Caption>, Option<Watermark>),
}

fn common(mode: Mode) -> BoxedStrategy<Common> {
    let speech = prop_oneof![
        "[A-Za-z][A-Za-z ,.!?]{0,120}".prop_map(|s| (Some(s), None, None)),
        https_url().prop_map(|u| (None, Some(u), None)),
        id().prop_map(|a| (None, None, Some(a))),
    ];
    (
        speech,
        option::of(id()),
        option::of(voice_settings()),
        option::of(name()),
        option::of(background()),
        (
            option::of(open_enum(mode)),
            option::of(open_enum(mode)),
            option::of(open_enum(mode)),
            option::of(open_enum(mode)),
            option::of(open_enum(mode)),
        ),
        option::of("[a-z ]{1,40}"),
        option::of(any::<bool>()),
        (option::of(https_url()), option::of("[a-z0-9-]{1,20}")),
        (option::of(caption(mode)), option::of(watermark(mode))),
    )
        .prop_map(
            |(
                speech,
                voice_id,
                voice_settings,
                title,
                background,
                enums,
                motion_prompt,
                remove_background,
                callback,
                extras,
            )| Common {
                speech,
                voice_id,
                voice_settings,
                title,
                background,
                enums,
                motion_prompt,
                remove_background,
                callback,
                extras,
            },
        )
        .boxed()
}

macro_rules! apply_common {
    ($r:ident, $c:ident) => {{
        $r.script = $c.speech.0;
        $r.audio_url = $c.speech.1;
        $r.audio_asset_id = $c.speech.2;
        $r.voice_id = $c.voice_id;
        $r.voice_settings = $c.voice_settings;
        $r.title = $c.title;
        $r.background = $c.background;
        $r.aspect_ratio = $c.enums.0;
        $r.resolution = $c.enums.1;
        $r.output_format = $c.enums.2;
        $r.expressiveness = $c.enums.3;
        $r.fit = $c.enums.4;
        $r.motion_prompt = $c.motion_prompt;
        $r.remove_background = $c.remove_background;
        $r.callback_url = $c.callback.0;
        $r.callback_id = $c.callback.1;
        $r.caption = $c.extras.0;
        $r.watermark = $c.extras.1;
        if $r.output_format == Some(crate::OutputFormat::Webm) {
            // `webm` output takes no background.
            $r.background = None;
        }
        $r
    }};
}

/// A [`CreateAvatarVideo`] with exactly one of script, audio URL or audio asset.
pub fn create_avatar_video(mode: Mode) -> BoxedStrategy<CreateAvatarVideo> {
    (id(), option::of(engine_config(mode)), common(mode))
        .prop_map(|(look, engine, c)| {
            let mut r = CreateAvatarVideo::new(look);
            r.engine = engine;
            let mut r = apply_common!(r, c);
            // The engine rules: no `expressiveness` with Avatar V or III, no `motion_prompt`
            // with Avatar III.
            match r.engine.as_ref().map(|e| &e.engine) {
                Some(crate::VideoEngine::AvatarV) => r.expressiveness = None,
                Some(crate::VideoEngine::AvatarIii) => {
                    r.expressiveness = None;
                    r.motion_prompt = None;
                }
                _ => {}
            }
            r
        })
        .boxed()
}

/// A [`CreateImageVideo`] with exactly one of script, audio URL or audio asset.
pub fn create_image_video(mode: Mode) -> BoxedStrategy<CreateImageVideo> {
    (asset_input(), common(mode), id::<crate::VoiceId>())
        .prop_map(|(image, c, voice)| {
            let mut r = CreateImageVideo::new(image);
            let mut r = apply_common!(r, c);
            if r.script.is_some() && r.voice_id.is_none() {
                // An image has no default voice: a script needs one.
                r.voice_id = Some(voice);
            }
            r
        })
        .boxed()
}

/// A [`CreateVideoRequest`] of any variant.
pub fn create_video_request(mode: Mode) -> BoxedStrategy<CreateVideoRequest> {
    prop_oneof![
        create_avatar_video(mode).prop_map(CreateVideoRequest::Avatar),
        create_image_video(mode).prop_map(CreateVideoRequest::Image),
        create_cinematic_video(mode).prop_map(CreateVideoRequest::CinematicAvatar),
        create_studio_video(mode).prop_map(CreateVideoRequest::Studio),
    ]
    .boxed()
}

/// A [`crate::CreateCinematicVideo`]: one to three looks, a duration in range or
/// `auto_duration`, the supported ratios and resolutions, and references within the limits.
pub fn create_cinematic_video(mode: Mode) -> BoxedStrategy<crate::CreateCinematicVideo> {
    let duration = prop_oneof![
        Just((None, None)),
        (4u32..=15).prop_map(|d| (Some(d), None)),
        Just((None, Some(true))),
        (4u32..=15).prop_map(|d| (Some(d), Some(false))),
    ];
    let ratio = proptest::sample::select(&crate::video::CINEMATIC_ASPECT_RATIOS[..]);
    let resolution = proptest::sample::select(&crate::video::CINEMATIC_RESOLUTIONS[..]);
    let _ = mode;
    (
        vec(id::<crate::LookId>(), 1..=3),
        "[A-Za-z][A-Za-z ,.]{0,80}",
        duration,
        option::of(any::<bool>()),
        option::of(vec(asset_input(), 0..=3)),
        (
            option::of(ratio),
            option::of(resolution),
            option::of(name()),
        ),
    )
        .prop_map(
            |(looks, prompt, (duration, auto), enhance, references, (ratio, res, title))| {
                let mut r = crate::CreateCinematicVideo::new(looks, prompt);
                r.duration = duration;
                r.auto_duration = auto;
                r.enhance_prompt = enhance;
                r.references = references;
                r.aspect_ratio = ratio;
                r.resolution = res;
                r.title = title;
                r
            },
        )
        .boxed()
}

/// A [`crate::StudioScene`] of any kind, following each kind's rules.
pub fn studio_scene(mode: Mode) -> BoxedStrategy<crate::StudioScene> {
    use crate::{AvatarSceneInput, ImageScene, ImageSceneInput, Playback, SceneBackground};
    use crate::{StudioScene, VideoScene};
    let avatar = (
        id::<crate::LookId>(),
        "[A-Za-z][A-Za-z ,.]{0,60}",
        option::of(id::<crate::VoiceId>()),
        option::of("#[0-9a-fA-F]{6}".prop_map(SceneBackground::color)),
        option::of(engine_config(mode)),
    )
        .prop_map(|(look, script, voice, background, engine)| {
            let mut input = AvatarSceneInput::script(look, script);
            input.voice_id = voice;
            input.background = background;
            input.engine = engine;
            StudioScene::avatar(input)
        });
    let talking_image = (
        asset_input(),
        "[A-Za-z][A-Za-z ,.]{0,60}",
        id::<crate::VoiceId>(),
    )
        .prop_map(|(image, script, voice)| {
            StudioScene::talking_image(ImageSceneInput::script(image, script, voice))
        });
    let image = prop_oneof![
        (asset_input(), 1u32..=2400)
            .prop_map(|(source, q)| ImageScene::silent(source, f64::from(q) / 8.0)),
        (
            asset_input(),
            "[A-Za-z][A-Za-z ,.]{0,60}",
            id::<crate::VoiceId>()
        )
            .prop_map(|(source, script, voice)| ImageScene::narrated(source, script, voice)),
    ]
    .prop_map(StudioScene::Image);
    let video = (
        asset_input(),
        option::of((
            option::of((0u8..=4).prop_map(|q| f64::from(q) / 4.0)),
            option::of(any::<bool>()),
        )),
    )
        .prop_map(|(source, playback)| {
            let mut scene = VideoScene::new(source);
            scene.playback = playback.map(|(volume, mute)| {
                let mut p = Playback::new();
                p.volume = volume;
                p.mute = mute;
                p
            });
            StudioScene::Video(scene)
        });
    prop_oneof![avatar, talking_image, image, video].boxed()
}

/// A [`crate::CreateStudioVideo`] of one to four scenes.
pub fn create_studio_video(mode: Mode) -> BoxedStrategy<crate::CreateStudioVideo> {
    (
        vec(studio_scene(mode), 1..=4),
        option::of(name()),
        option::of(open_enum(mode)),
        option::of(open_enum(mode)),
        option::of(https_url()),
        option::of(caption(mode)),
    )
        .prop_map(|(scenes, title, ratio, resolution, callback, caption)| {
            let mut r = crate::CreateStudioVideo::new(scenes);
            r.title = title;
            r.aspect_ratio = ratio;
            r.resolution = resolution;
            r.callback_url = callback;
            r.caption = caption;
            r
        })
        .boxed()
}

/// A [`crate::CreateVideoBatchRequest`] of one to five videos of any kind.
pub fn create_video_batch_request(mode: Mode) -> BoxedStrategy<crate::CreateVideoBatchRequest> {
    (
        vec(create_video_request(mode), 1..=5),
        option::of(name()),
        option::of(https_url()),
    )
        .prop_map(|(videos, title, callback)| {
            let mut r = crate::CreateVideoBatchRequest::new(videos);
            r.title = title;
            r.callback_url = callback;
            r
        })
        .boxed()
}

/// A [`crate::VideoStatusesQuery`] with at least one id.
pub fn video_statuses_query() -> BoxedStrategy<crate::VideoStatusesQuery> {
    (
        vec(id::<crate::VideoId>(), 0..=4),
        vec(id::<crate::BatchId>(), 0..=2),
        id::<crate::VideoId>(),
    )
        .prop_map(|(video_ids, batch_ids, fallback)| {
            let mut q = crate::VideoStatusesQuery::new();
            q.video_ids = video_ids;
            q.batch_ids = batch_ids;
            if q.video_ids.is_empty() && q.batch_ids.is_empty() {
                q.video_ids.push(fallback);
            }
            q
        })
        .boxed()
}

/// A [`ResourceError`].
pub fn resource_error() -> BoxedStrategy<ResourceError> {
    ("[a-z_]{1,20}", "[A-Za-z ]{0,40}")
        .prop_map(|(c, m)| ResourceError::new(c, m))
        .boxed()
}

/// A response URL: plain, or signed like a presigned link.
fn opt_url() -> BoxedStrategy<Option<PresignedUrl>> {
    option::of(prop_oneof![
        https_url().prop_map(PresignedUrl::new),
        presigned_url()
    ])
    .boxed()
}

/// A [`Look`].
pub fn look(mode: Mode) -> BoxedStrategy<Look> {
    (
        (
            id(),
            name(),
            open_enum(mode),
            option::of(id()),
            option::of(open_enum(mode)),
        ),
        (
            option::of(resource_error()),
            option::of(id()),
            option::of("(male|female|other)"),
        ),
        (
            option::of(1u32..4096),
            option::of(1u32..4096),
            option::of(open_enum(mode)),
        ),
        (opt_url(), opt_url()),
        (vec(open_enum(mode), 0..3), vec("[a-z]{1,8}", 0..3)),
    )
        .prop_map(|(a, b, c, d, e)| Look {
            id: a.0,
            name: a.1,
            avatar_type: a.2,
            group_id: a.3,
            status: a.4,
            error: b.0,
            default_voice_id: b.1,
            gender: b.2,
            image_width: c.0,
            image_height: c.1,
            preferred_orientation: c.2,
            preview_image_url: d.0,
            preview_video_url: d.1,
            supported_api_engines: e.0,
            tags: e.1,
        })
        .boxed()
}

/// A value that may be missing from a response (`None`) only in [`Mode::All`]: the published
/// schema requires it, but the model decodes a `null` or absent one as `None`.
fn schema_required<T: core::fmt::Debug + 'static>(
    mode: Mode,
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    match mode {
        Mode::All => option::of(value).boxed(),
        Mode::KnownOnly => value.prop_map(Some).boxed(),
    }
}

/// An [`AvatarGroup`].
pub fn avatar_group(mode: Mode) -> BoxedStrategy<AvatarGroup> {
    (
        (
            id(),
            name(),
            schema_required(mode, any::<crate::Timestamp>()),
            schema_required(mode, 0u32..100),
        ),
        (
            option::of(open_enum(mode)),
            option::of(open_enum(mode)),
            option::of(resource_error()),
        ),
        (
            option::of(id()),
            option::of("(male|female)"),
            opt_url(),
            opt_url(),
        ),
    )
        .prop_map(|(a, b, c)| AvatarGroup {
            id: a.0,
            name: a.1,
            created_at: a.2,
            looks_count: a.3,
            status: b.0,
            consent_status: b.1,
            error: b.2,
            default_voice_id: c.0,
            gender: c.1,
            preview_image_url: c.2,
            preview_video_url: c.3,
        })
        .boxed()
}

/// A [`CreateAvatarResponse`].
pub fn create_avatar_response(mode: Mode) -> BoxedStrategy<CreateAvatarResponse> {
    (option::of(look(mode)), option::of(avatar_group(mode)))
        .prop_map(|(avatar_item, avatar_group)| CreateAvatarResponse {
            avatar_item,
            avatar_group,
        })
        .boxed()
}

/// A [`ConsentResponse`].
pub fn consent_response(mode: Mode) -> BoxedStrategy<ConsentResponse> {
    (avatar_group(mode), opt_url())
        .prop_map(|(avatar_group, url)| ConsentResponse { avatar_group, url })
        .boxed()
}

/// An [`Asset`].
pub fn asset() -> BoxedStrategy<Asset> {
    (
        id(),
        https_url(),
        "(image/png|video/mp4|audio/wav)",
        1u64..=crate::validate::MAX_MULTIPART_UPLOAD_BYTES,
    )
        .prop_map(|(asset_id, url, mime_type, size_bytes)| Asset {
            asset_id,
            url: PresignedUrl::new(url),
            mime_type,
            size_bytes,
        })
        .boxed()
}

/// A [`PresignedUrl`] with a signed query string.
pub fn presigned_url() -> BoxedStrategy<PresignedUrl> {
    ("[a-z]{1,8}", "[A-Za-z0-9%]{4,20}")
        .prop_map(|(key, sig)| {
            PresignedUrl::new(format!(
                "https://storage.example.com/b/{key}?X-Amz-Signature={sig}&X-Amz-Expires=900"
            ))
        })
        .boxed()
}

/// A [`DirectUpload`].
pub fn direct_upload(mode: Mode) -> BoxedStrategy<DirectUpload> {
    (
        id(),
        presigned_url(),
        vec(
            ("[A-Z][a-z]{1,8}(-[A-Z][a-z]{1,8})?", "[a-z0-9/]{1,12}"),
            0..3,
        ),
        1u64..=10_000_000_000,
        1u64..=86_400,
        open_enum(mode),
    )
        .prop_map(
            |(asset_id, upload_url, headers, max_bytes, expires, status)| {
                let mut pairs: Vec<(String, String)> = Vec::new();
                for (k, v) in headers {
                    if !pairs.iter().any(|(name, _)| *name == k) {
                        pairs.push((k, v));
                    }
                }
                DirectUpload {
                    asset_id,
                    upload_url,
                    upload_headers: UploadHeaders::new(pairs),
                    max_bytes: Some(max_bytes),
                    expires_in_seconds: Some(expires),
                    status: Some(status),
                }
            },
        )
        .boxed()
}

/// A [`CompletedUpload`].
pub fn completed_upload(mode: Mode) -> BoxedStrategy<CompletedUpload> {
    (
        id(),
        https_url(),
        "(image/png|video/mp4)",
        1u64..=10_000_000_000,
        open_enum(mode),
    )
        .prop_map(|(asset_id, url, mime, size, status)| CompletedUpload {
            asset_id,
            url: Some(PresignedUrl::new(url)),
            mime_type: Some(mime),
            size_bytes: Some(size),
            status: Some(status),
        })
        .boxed()
}

/// A [`CreateVideoResponse`].
///
/// In [`Mode::KnownOnly`] the status is always present, as the response schema requires; in
/// [`Mode::All`] it may be absent, as in answers replayed for an idempotency key.
pub fn create_video_response(mode: Mode) -> BoxedStrategy<CreateVideoResponse> {
    let status = match mode {
        Mode::KnownOnly => open_enum(mode).prop_map(Some).boxed(),
        Mode::All => option::of(open_enum(mode)).boxed(),
    };
    (id(), status, option::of(open_enum(mode)))
        .prop_map(|(video_id, status, output_format)| CreateVideoResponse {
            video_id,
            status,
            output_format,
        })
        .boxed()
}

/// A [`Video`]. In [`Mode::KnownOnly`] the status is one the `GET` schema lists.
pub fn video(mode: Mode) -> BoxedStrategy<Video> {
    let status = match mode {
        Mode::All => open_enum::<VideoStatus>(mode),
        Mode::KnownOnly => proptest::sample::select(
            &[
                VideoStatus::Pending,
                VideoStatus::Processing,
                VideoStatus::Completed,
                VideoStatus::Failed,
            ][..],
        )
        .boxed(),
    };
    (
        (
            id(),
            schema_required(mode, status),
            option::of(name()),
            option::of(any::<crate::Timestamp>()),
            option::of(any::<crate::Timestamp>()),
        ),
        (
            option::of(any::<crate::Seconds>()),
            option::of(presigned_url()),
            option::of(presigned_url()),
            opt_url(),
            opt_url(),
        ),
        (
            opt_url(),
            opt_url(),
            option::of(id()),
            option::of("[a-z]{2}"),
        ),
        (
            option::of("[a-z_]{1,12}"),
            option::of("[A-Za-z ]{1,30}"),
            option::of(resource_error()),
        ),
    )
        .prop_map(|(a, b, c, d)| Video {
            id: a.0,
            status: a.1,
            title: a.2,
            created_at: a.3,
            completed_at: a.4,
            duration: b.0,
            video_url: b.1,
            captioned_video_url: b.2,
            gif_url: b.3,
            thumbnail_url: b.4,
            subtitle_url: c.0,
            video_page_url: c.1,
            folder_id: c.2,
            output_language: c.3,
            failure_code: d.0,
            failure_message: d.1,
            error: d.2,
        })
        .boxed()
}

/// A [`DeletedResource`].
pub fn deleted_resource() -> BoxedStrategy<DeletedResource> {
    ("[a-z]{1,4}_[0-9a-f]{1,12}", option::of(any::<bool>()))
        .prop_map(|(id, deleted)| DeletedResource { id, deleted })
        .boxed()
}

fn credit_balance() -> BoxedStrategy<CreditBalance> {
    (
        option::of(0i64..1_000_000),
        option::of(Just("2026-12-01T00:00:00Z".to_owned())),
    )
        .prop_map(|(remaining, resets_at)| CreditBalance {
            remaining,
            resets_at,
        })
        .boxed()
}

/// A [`User`].
pub fn user(mode: Mode) -> BoxedStrategy<User> {
    let subscription = (
        open_enum(mode),
        option::of(credit_balance()),
        option::of(credit_balance()),
    )
        .prop_map(|(plan, premium_credits, add_on_credits)| Subscription {
            plan,
            credits: Credits {
                premium_credits,
                add_on_credits,
            },
        });
    let wallet = (
        open_enum(mode),
        option::of(small_f64()),
        option::of((
            any::<bool>(),
            option::of(small_f64()),
            option::of(small_f64()),
        )),
    )
        .prop_map(|(currency, remaining_balance, reload)| Wallet {
            currency,
            remaining_balance,
            auto_reload: reload.map(|(enabled, amount_usd, threshold_usd)| AutoReload {
                enabled,
                amount_usd,
                threshold_usd,
            }),
        });
    let usage = (
        option::of(small_f64()),
        option::of(small_f64()),
        option::of(small_f64()),
        option::of(small_f64()),
    )
        .prop_map(|(a, b, c, d)| UsageBased {
            included_credits: a,
            remaining_credits: b,
            spending_cap_usd: c,
            spending_current_usd: d,
        });
    (
        (
            schema_required(mode, "[a-z][a-z0-9_]{0,15}"),
            option::of("[a-z]{1,8}@example\\.com"),
            option::of(name()),
            option::of(name()),
        ),
        (
            option::of(open_enum(mode)),
            option::of(subscription),
            option::of(wallet),
            option::of(usage),
        ),
    )
        .prop_map(|(a, b)| User {
            username: a.0,
            email: a.1,
            first_name: a.2,
            last_name: a.3,
            billing_type: b.0,
            subscription: b.1,
            wallet: b.2,
            usage_based: b.3,
        })
        .boxed()
}

/// A [`ListPage`] of items from `item`. `next_token` is set exactly when `has_more` is.
pub fn list_page<T: core::fmt::Debug + 'static>(
    item: BoxedStrategy<T>,
) -> BoxedStrategy<ListPage<T>> {
    (vec(item, 0..4), option::of(token()))
        .prop_map(|(data, next)| {
            let has_more = next.is_some();
            ListPage::new(data, has_more, next)
        })
        .boxed()
}

/// An [`ApiErrorBody`] in the `{"error": {…}}` shape (no `detail`).
pub fn api_error_body(mode: Mode) -> BoxedStrategy<ApiErrorBody> {
    let code = prop_oneof![
        open_enum::<ApiErrorCode>(mode).prop_map(ErrorCode::Text),
        (100_000i64..999_999).prop_map(ErrorCode::Number),
    ];
    (
        option::of(code),
        option::of("[A-Za-z ]{1,40}"),
        option::of("[a-z_]{1,12}"),
        option::of(https_url()),
    )
        .prop_map(|(code, message, param, doc_url)| ApiErrorBody {
            code,
            message,
            param,
            doc_url,
            detail: None,
        })
        .boxed()
}

/// A [`ListVoicesQuery`](crate::voice::ListVoicesQuery) with any filters and a valid `limit`.
pub fn list_voices_query(mode: Mode) -> BoxedStrategy<crate::voice::ListVoicesQuery> {
    (
        option::of(open_enum::<crate::voice::VoiceType>(mode)),
        option::of(open_enum::<VoiceEngineType>(mode)),
        option::of("(English|Spanish|Portuguese)"),
        option::of(open_enum::<crate::voice::VoiceGender>(mode)),
        option::of(1u32..=crate::voice::MAX_VOICE_PAGE_LIMIT),
        option::of("[A-Za-z0-9_-]{1,16}"),
    )
        .prop_map(|(voice_type, engine, language, gender, limit, token)| {
            crate::voice::ListVoicesQuery {
                voice_type,
                engine,
                language,
                gender,
                limit,
                token,
            }
        })
        .boxed()
}

/// A valid [`DesignVoiceRequest`](crate::voice::DesignVoiceRequest).
pub fn design_voice_request(mode: Mode) -> BoxedStrategy<crate::voice::DesignVoiceRequest> {
    (
        "[a-z][a-z ,]{0,40}",
        option::of(open_enum::<crate::voice::VoiceGender>(mode)),
        option::of("(en-US|pt-BR|de-DE)"),
        option::of(any::<u32>()),
    )
        .prop_map(
            |(prompt, gender, locale, seed)| crate::voice::DesignVoiceRequest {
                prompt,
                gender,
                locale,
                seed,
            },
        )
        .boxed()
}

/// A valid [`CloneVoiceRequest`](crate::voice::CloneVoiceRequest).
pub fn clone_voice_request() -> BoxedStrategy<crate::voice::CloneVoiceRequest> {
    (
        name(),
        asset_input(),
        option::of("(en|es|pt)"),
        option::of(any::<bool>()),
    )
        .prop_map(|(voice_name, audio, language, remove_background_noise)| {
            crate::voice::CloneVoiceRequest {
                voice_name,
                audio,
                language,
                remove_background_noise,
            }
        })
        .boxed()
}

/// A valid [`SpeechRequest`](crate::voice::SpeechRequest): 1 to 200 characters of text or SSML
/// and a speed within the documented range.
pub fn speech_request(mode: Mode) -> BoxedStrategy<crate::voice::SpeechRequest> {
    (
        "[A-Za-z][A-Za-z .,!?]{0,199}",
        id(),
        option::of(open_enum::<crate::voice::SpeechInputType>(mode)),
        option::of("(en|pt|zh)"),
        option::of("(en-US|pt-BR)"),
        option::of((4u8..=16).prop_map(|q| f64::from(q) / 8.0)),
    )
        .prop_map(|(text, voice_id, input_type, language, locale, speed)| {
            crate::voice::SpeechRequest {
                text,
                voice_id,
                input_type,
                language,
                locale,
                speed,
            }
        })
        .boxed()
}

/// A [`Voice`](crate::voice::Voice) as the list and design endpoints send it (every member
/// the schema requires is set).
pub fn voice(mode: Mode) -> BoxedStrategy<crate::voice::Voice> {
    (
        id(),
        name(),
        "(English|Spanish)",
        open_enum::<crate::voice::VoiceGender>(mode),
        any::<bool>(),
        any::<bool>(),
        open_enum::<crate::voice::VoiceType>(mode),
        option::of(presigned_url()),
    )
        .prop_map(
            |(voice_id, name, language, gender, pause, locale, voice_type, preview)| {
                crate::voice::Voice {
                    voice_id,
                    name,
                    language: Some(language),
                    gender: Some(gender),
                    support_pause: pause,
                    support_locale: locale,
                    voice_type: Some(voice_type),
                    preview_audio_url: preview,
                }
            },
        )
        .boxed()
}

/// A [`VoiceDetails`](crate::voice::VoiceDetails), with or without a clone status.
pub fn voice_details(mode: Mode) -> BoxedStrategy<crate::voice::VoiceDetails> {
    (
        id(),
        option::of(open_enum::<crate::voice::VoiceCloneStatus>(mode)),
        option::of("[A-Za-z ]{1,30}"),
        option::of(name()),
        option::of(open_enum::<crate::voice::VoiceGender>(mode)),
        option::of(any::<crate::Timestamp>()),
        option::of(presigned_url()),
        any::<(bool, bool)>(),
        option::of(open_enum::<crate::voice::VoiceType>(mode)),
    )
        .prop_map(
            |(
                voice_id,
                status,
                failure_message,
                name,
                gender,
                created_at,
                preview,
                flags,
                kind,
            )| {
                crate::voice::VoiceDetails {
                    voice_id,
                    status,
                    voice_type: kind,
                    failure_message,
                    name,
                    language: None,
                    gender,
                    created_at,
                    preview_audio_url: preview,
                    support_pause: flags.0,
                    support_interactive_avatar: flags.1,
                }
            },
        )
        .boxed()
}

/// A [`Speech`](crate::voice::Speech) result.
pub fn speech() -> BoxedStrategy<crate::voice::Speech> {
    (
        presigned_url(),
        (0u32..100_000).prop_map(|q| f64::from(q) / 8.0),
        option::of("[a-z0-9]{4,12}"),
        vec(
            ("[a-z]{1,8}", 0u32..1000, 0u32..1000).prop_filter_map(
                "word times are finite",
                |(word, a, b)| {
                    Some(crate::voice::WordTimestamp {
                        word,
                        start: crate::Seconds::new(f64::from(a.min(b)) / 8.0)?,
                        end: crate::Seconds::new(f64::from(a.max(b)) / 8.0)?,
                    })
                },
            ),
            0..4,
        ),
    )
        .prop_map(
            |(audio_url, duration, request_id, word_timestamps)| crate::voice::Speech {
                audio_url,
                duration: crate::Seconds::new(duration),
                request_id,
                word_timestamps,
            },
        )
        .boxed()
}

/// A [`crate::asset::CreateUploadBatchRequest`] of one to five valid files.
pub fn create_upload_batch_request() -> BoxedStrategy<crate::asset::CreateUploadBatchRequest> {
    (
        vec(create_direct_upload_request(), 1..=5),
        option::of(name()),
        option::of(https_url()),
    )
        .prop_map(|(files, title, callback)| {
            let mut r = crate::asset::CreateUploadBatchRequest::new(files);
            r.title = title;
            r.callback_url = callback;
            r
        })
        .boxed()
}

/// A [`crate::asset::CompleteUploadBatchRequest`].
pub fn complete_upload_batch_request() -> BoxedStrategy<crate::asset::CompleteUploadBatchRequest> {
    id::<crate::BatchId>()
        .prop_map(crate::asset::CompleteUploadBatchRequest::new)
        .boxed()
}

/// A valid [`crate::asset::ListAssetsQuery`]: a username, and any of a limit in range, a cursor
/// and a folder or the root.
pub fn list_assets_query() -> BoxedStrategy<crate::asset::ListAssetsQuery> {
    use crate::asset::{AssetFolder, ListAssetsQuery, MAX_ASSET_PAGE_LIMIT};
    (
        name(),
        option::of(1..=MAX_ASSET_PAGE_LIMIT),
        option::of("[A-Za-z0-9]{1,16}"),
        option::of(prop_oneof![
            Just(AssetFolder::Root),
            id::<crate::FolderId>().prop_map(AssetFolder::Folder),
        ]),
    )
        .prop_map(|(username, limit, token, folder)| {
            let mut q = ListAssetsQuery::new(username);
            q.limit = limit;
            q.token = token;
            q.folder = folder;
            q
        })
        .boxed()
}

/// A valid [`crate::asset::AssetStatusesQuery`]: one to four asset ids and up to two batches.
pub fn asset_statuses_query() -> BoxedStrategy<crate::asset::AssetStatusesQuery> {
    (
        vec(id::<crate::AssetId>(), 1..=4),
        vec(id::<crate::BatchId>(), 0..=2),
    )
        .prop_map(|(assets, batches)| {
            batches.into_iter().fold(
                crate::asset::AssetStatusesQuery::assets(assets),
                crate::asset::AssetStatusesQuery::batch_id,
            )
        })
        .boxed()
}

/// A valid [`crate::BatchPageQuery`]: any of a limit in range and a cursor.
pub fn batch_page_query() -> BoxedStrategy<crate::BatchPageQuery> {
    (
        option::of(1..=crate::batch::MAX_BATCH_PAGE_LIMIT),
        option::of("[A-Za-z0-9]{1,16}"),
    )
        .prop_map(|(limit, token)| {
            let mut q = crate::BatchPageQuery::new();
            q.limit = limit;
            q.token = token;
            q
        })
        .boxed()
}

/// A valid [`crate::webhook::ListWebhookEndpointsQuery`].
pub fn list_webhook_endpoints_query() -> BoxedStrategy<crate::webhook::ListWebhookEndpointsQuery> {
    (
        option::of(1..=crate::webhook::MAX_WEBHOOK_PAGE_LIMIT),
        option::of("[A-Za-z0-9]{1,16}"),
    )
        .prop_map(|(limit, token)| {
            let mut q = crate::webhook::ListWebhookEndpointsQuery::new();
            q.limit = limit;
            q.token = token;
            q
        })
        .boxed()
}

/// A valid [`crate::webhook::ListWebhookEventsQuery`]; `event_type` is one of `event_types`.
pub fn list_webhook_events_query(
    event_types: Vec<String>,
) -> BoxedStrategy<crate::webhook::ListWebhookEventsQuery> {
    (
        option::of(proptest::sample::select(event_types)),
        option::of(id::<crate::VideoId>().prop_map(crate::VideoId::into_string)),
        option::of(1..=crate::webhook::MAX_WEBHOOK_PAGE_LIMIT),
        option::of("[A-Za-z0-9]{1,16}"),
    )
        .prop_map(|(event_type, entity_id, limit, token)| {
            let mut q = crate::webhook::ListWebhookEventsQuery::new();
            q.event_type = event_type;
            q.entity_id = entity_id;
            q.limit = limit;
            q.token = token;
            q
        })
        .boxed()
}

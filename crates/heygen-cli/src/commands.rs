//! The API commands: each turns its arguments into SDK requests, sends them through the
//! backend, and prints the SDK's values.

use std::time::Duration;

use heygen_core::{Error, PollPolicy};
use heygen_model::{
    AssetId, AvatarGroupId, AvatarType, CreateAvatarRequest, CreateAvatarVideo,
    CreateConsentRequest, CreateDigitalTwin, CreatePhotoAvatar, CreatePromptAvatar,
    ListAvatarGroupsQuery, ListLooksQuery, ListPage, ListVideosQuery, LookId, Ownership,
    UpdateLookRequest, VideoId, VoiceId,
};
use serde::Serialize;

use crate::backend::{Backend, UploadSource};
use crate::cli::{
    AssetCommand, AvatarCommand, Command, ConsentCommand, CreateAvatar, CreateVideoArgs,
    FileAvatarArgs, LooksCommand, OwnershipArg, PageArgs, PromptAvatarArgs, UserCommand,
    VideoCommand,
};
use crate::failure::Failure;
use crate::output::{ListOutput, Output};
use crate::wait::{self, WaitError};
use crate::{progress, source};

/// Everything a command needs.
pub(crate) struct Context<'a> {
    /// The SDK client.
    pub(crate) backend: &'a dyn Backend,
    /// Builds the client for the status checks of a wait that must end within a duration.
    pub(crate) poll_backend: &'a dyn Fn(Duration) -> Result<Box<dyn Backend>, Failure>,
    /// Where results go.
    pub(crate) out: &'a Output,
    /// `--poll-interval`, in seconds.
    pub(crate) poll_interval: Option<f64>,
}

/// Runs one API command.
///
/// # Errors
/// The failure to report.
pub(crate) fn run(ctx: &Context<'_>, command: Command) -> Result<(), Failure> {
    match command {
        Command::Avatar(cmd) => avatar(ctx, cmd),
        Command::Asset(AssetCommand::Upload { path }) => {
            let size = source::file_size("path", &path)?;
            if size == 0 {
                return Err(Failure::validation(
                    Some("path"),
                    format!("{}: is empty", path.display()),
                ));
            }
            let (bar, callback) = progress::upload_bar("uploading", size);
            let result = ctx.backend.upload(UploadSource::File(&path), callback);
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            ctx.out.data(&result?)
        }
        Command::Video(cmd) => video(ctx, cmd),
        Command::User(UserCommand::Me) => ctx.out.data(&ctx.backend.me()?),
        Command::Demo | Command::Emulator(_) => Err(Failure::usage("not an api command")),
    }
}

fn group_id(text: &str) -> Result<AvatarGroupId, Failure> {
    AvatarGroupId::new(text).map_err(|e| Failure::validation(Some("group_id"), e.to_string()))
}

fn look_id(param: &'static str, text: &str) -> Result<LookId, Failure> {
    LookId::new(text).map_err(|e| Failure::validation(Some(param), e.to_string()))
}

fn video_id(text: &str) -> Result<VideoId, Failure> {
    VideoId::new(text).map_err(|e| Failure::validation(Some("video_id"), e.to_string()))
}

fn ownership(arg: OwnershipArg) -> Ownership {
    match arg {
        OwnershipArg::Public => Ownership::Public,
        OwnershipArg::Private => Ownership::Private,
    }
}

fn avatar(ctx: &Context<'_>, command: AvatarCommand) -> Result<(), Failure> {
    let backend = ctx.backend;
    match command {
        AvatarCommand::Create(create) => create_avatar(ctx, create),
        AvatarCommand::Consent(ConsentCommand::Create {
            group_id: id,
            reroute_url,
        }) => {
            let id = group_id(&id)?;
            let mut request = CreateConsentRequest::new();
            if let Some(url) = reroute_url {
                request = request.reroute_url(url);
            }
            request.validate()?;
            ctx.out.data(&backend.create_consent(&id, request)?)
        }
        AvatarCommand::Get { group_id: id } => {
            ctx.out.data(&backend.avatar_group(&group_id(&id)?)?)
        }
        AvatarCommand::List { ownership: o, page } => {
            let mut query = ListAvatarGroupsQuery::new();
            if let Some(o) = o {
                query = query.ownership(ownership(o));
            }
            query = page.apply(
                query,
                ListAvatarGroupsQuery::limit,
                ListAvatarGroupsQuery::token,
            );
            query.validate()?;
            list(
                ctx.out,
                &page,
                || backend.avatar_groups(query.clone()),
                || backend.all_avatar_groups(query.clone()),
            )
        }
        AvatarCommand::Delete { group_id: id } => {
            ctx.out.data(&backend.delete_avatar_group(&group_id(&id)?)?)
        }
        AvatarCommand::Wait {
            group_id: id,
            timeout,
        } => {
            let id = group_id(&id)?;
            let policy = wait::policy(timeout, ctx.poll_interval);
            let checks = (ctx.poll_backend)(policy.deadline)?;
            let done = waited(
                ctx.out,
                "group_id",
                id.as_str(),
                wait_group(
                    checks.as_ref(),
                    &id,
                    &policy,
                    "waiting for avatar training",
                    &mut |_| {},
                ),
            )?;
            ctx.out.data(&done)
        }
        AvatarCommand::Looks(looks) => looks_command(ctx, looks),
    }
}

/// Waits for an avatar group to finish training.
pub(crate) fn wait_group(
    backend: &dyn Backend,
    id: &AvatarGroupId,
    policy: &PollPolicy,
    label: &str,
    on_status: &mut dyn FnMut(&str),
) -> Result<heygen_model::AvatarGroup, WaitError<heygen_model::AvatarGroup>> {
    wait::wait_for(
        id.as_str(),
        policy,
        label,
        || backend.avatar_group(id),
        on_status,
    )
}

/// Waits for a video to render.
pub(crate) fn wait_video(
    backend: &dyn Backend,
    id: &VideoId,
    policy: &PollPolicy,
    label: &str,
    on_status: &mut dyn FnMut(&str),
) -> Result<heygen_model::Video, WaitError<heygen_model::Video>> {
    wait::wait_for(id.as_str(), policy, label, || backend.video(id), on_status)
}

/// Turns a wait outcome into the value or the failure; a deadline prints the last state on
/// stdout first. Every failure carries the resource id under `key`.
fn waited<T: Serialize>(
    out: &Output,
    key: &'static str,
    id: &str,
    outcome: Result<T, WaitError<T>>,
) -> Result<T, Failure> {
    match outcome {
        Ok(value) => Ok(value),
        Err(WaitError { error, last }) => {
            if matches!(error, Error::WaitTimedOut(_))
                && let Some(last) = &last
            {
                out.data(last)?;
            }
            Err(Failure::from(&error).with_id(key, id))
        }
    }
}

fn create_avatar(ctx: &Context<'_>, create: CreateAvatar) -> Result<(), Failure> {
    let (request, uploaded) = match create {
        CreateAvatar::Photo(FileAvatarArgs {
            name,
            file,
            group_id: group,
        }) => {
            let (input, uploaded) = source::resolve(ctx.backend, "file", &file)?;
            let mut request = CreatePhotoAvatar::new(name, input);
            if let Some(group) = group {
                request = request.avatar_group_id(group_id(&group)?);
            }
            (CreateAvatarRequest::from(request), uploaded)
        }
        CreateAvatar::DigitalTwin(FileAvatarArgs {
            name,
            file,
            group_id: group,
        }) => {
            let (input, uploaded) = source::resolve(ctx.backend, "file", &file)?;
            let mut request = CreateDigitalTwin::new(name, input);
            if let Some(group) = group {
                request = request.avatar_group_id(group_id(&group)?);
            }
            (CreateAvatarRequest::from(request), uploaded)
        }
        CreateAvatar::Prompt(args) => (prompt_request(ctx, args)?, None),
    };
    let with_asset = |failure: Failure, uploaded: &Option<AssetId>| match uploaded {
        Some(id) => failure.with_id("asset_id", id.as_str()),
        None => failure,
    };
    request
        .validate()
        .map_err(|e| with_asset(Failure::from(e), &uploaded))?;
    let created = ctx
        .backend
        .create_avatar(request)
        .map_err(|e| with_asset(Failure::from(e), &uploaded))?;
    ctx.out.data(&created)
}

fn prompt_request(
    ctx: &Context<'_>,
    args: PromptAvatarArgs,
) -> Result<CreateAvatarRequest, Failure> {
    let PromptAvatarArgs {
        name,
        prompt,
        reference_images,
        group_id: group,
        avatar_id,
    } = args;
    if reference_images.len() > heygen_model::validate::MAX_REFERENCE_IMAGES {
        return Err(Failure::validation(
            Some("reference_images"),
            format!(
                "at most {} reference images, got {}",
                heygen_model::validate::MAX_REFERENCE_IMAGES,
                reference_images.len()
            ),
        ));
    }
    let mut request = CreatePromptAvatar::new(name, prompt);
    // Check the prompt before uploading any reference image.
    request.validate()?;
    let mut images = Vec::with_capacity(reference_images.len());
    for (i, image) in reference_images.iter().enumerate() {
        let (input, _) = source::resolve(ctx.backend, &format!("reference_images[{i}]"), image)?;
        images.push(input);
    }
    request = request.reference_images(images);
    if let Some(group) = group {
        request = request.avatar_group_id(group_id(&group)?);
    }
    if let Some(look) = avatar_id {
        request = request.avatar_id(look_id("avatar_id", &look)?);
    }
    Ok(CreateAvatarRequest::from(request))
}

fn looks_command(ctx: &Context<'_>, command: LooksCommand) -> Result<(), Failure> {
    let backend = ctx.backend;
    match command {
        LooksCommand::List {
            group_id: group,
            avatar_type,
            ownership: o,
            page,
        } => {
            let mut query = ListLooksQuery::new();
            if let Some(group) = group {
                query = query.group_id(group_id(&group)?);
            }
            if let Some(kind) = avatar_type {
                query = query.avatar_type(AvatarType::from_wire(&kind));
            }
            if let Some(o) = o {
                query = query.ownership(ownership(o));
            }
            query = page.apply(query, ListLooksQuery::limit, ListLooksQuery::token);
            query.validate()?;
            list(
                ctx.out,
                &page,
                || backend.looks(query.clone()),
                || backend.all_looks(query.clone()),
            )
        }
        LooksCommand::Get { look_id: id } => {
            ctx.out.data(&backend.look(&look_id("look_id", &id)?)?)
        }
        LooksCommand::Update { look_id: id, name } => {
            let id = look_id("look_id", &id)?;
            let request = UpdateLookRequest::new().name(name);
            request.validate()?;
            ctx.out.data(&backend.update_look(&id, request)?)
        }
        LooksCommand::Delete { look_id: id } => ctx
            .out
            .data(&backend.delete_look(&look_id("look_id", &id)?)?),
    }
}

fn video(ctx: &Context<'_>, command: VideoCommand) -> Result<(), Failure> {
    let backend = ctx.backend;
    match command {
        VideoCommand::Create(args) => create_video(ctx, args),
        VideoCommand::Get { video_id: id } => ctx.out.data(&backend.video(&video_id(&id)?)?),
        VideoCommand::List { page } => {
            let mut query = ListVideosQuery::new();
            query = page.apply(query, ListVideosQuery::limit, ListVideosQuery::token);
            query.validate()?;
            list(
                ctx.out,
                &page,
                || backend.videos(query.clone()),
                || backend.all_videos(query.clone()),
            )
        }
        VideoCommand::Delete { video_id: id } => {
            ctx.out.data(&backend.delete_video(&video_id(&id)?)?)
        }
    }
}

fn create_video(ctx: &Context<'_>, args: CreateVideoArgs) -> Result<(), Failure> {
    let mut request = CreateAvatarVideo::new(look_id("avatar_id", &args.avatar_id)?);
    if let Some(script) = args.script {
        request = request.script(script);
    }
    if let Some(voice) = args.voice_id {
        let voice = VoiceId::new(voice)
            .map_err(|e| Failure::validation(Some("voice_id"), e.to_string()))?;
        request = request.voice_id(voice);
    }
    if let Some(url) = args.audio_url {
        request = request.audio_url(url);
    }
    if let Some(title) = args.title {
        request = request.title(title);
    }
    request.validate()?;
    let created = ctx.backend.create_video(request.into())?;
    if !args.wait {
        return ctx.out.data(&created);
    }
    let policy = wait::policy(args.timeout, ctx.poll_interval);
    let checks = (ctx.poll_backend)(policy.deadline)
        .map_err(|f| f.with_id("video_id", created.video_id.as_str()))?;
    let done = waited(
        ctx.out,
        "video_id",
        created.video_id.as_str(),
        wait_video(
            checks.as_ref(),
            &created.video_id,
            &policy,
            "rendering video",
            &mut |_| {},
        ),
    )?;
    ctx.out.data(&done)
}

/// Prints one page, or every page with `--all`.
fn list<T: Serialize>(
    out: &Output,
    page: &PageArgs,
    one: impl FnOnce() -> Result<ListPage<T>, Error>,
    all: impl FnOnce() -> Result<Vec<T>, Error>,
) -> Result<(), Failure> {
    if page.all {
        let data = all()?;
        out.list(&ListOutput {
            data,
            has_more: false,
            next_token: None,
        })
    } else {
        let page = one()?;
        let next_token = page.next_token().map(str::to_owned);
        out.list(&ListOutput {
            has_more: page.has_more,
            next_token,
            data: page.data,
        })
    }
}

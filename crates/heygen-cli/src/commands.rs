//! The API commands: each turns its arguments into the core's workflows (a call, a wait, a
//! walk, an upload), runs them through the backend, and prints the SDK's values.

use heygen_core::ops::{
    CreateAvatar as CreateAvatarOp, CreateConsent, CreateVideo, DeleteAvatarGroup, DeleteLook,
    DeleteVideo, GetAvatarGroup, GetCurrentUser, GetLook, GetVideo, ListAvatarGroups, ListLooks,
    ListVideos, UpdateLook,
};
use heygen_core::{Call, Error, Operation, Paginate, Walk};
use heygen_model::{
    AssetId, AvatarGroupId, AvatarType, CreateAvatarRequest, CreateAvatarVideo,
    CreateConsentRequest, CreateDigitalTwin, CreatePhotoAvatar, CreatePromptAvatar,
    ListAvatarGroupsQuery, ListLooksQuery, ListPage, ListVideosQuery, LookId, Ownership,
    UpdateLookRequest, VideoId, VoiceId,
};
use serde::Serialize;

use crate::backend::Backend;
use crate::cli::{
    AvatarCommand, Command, ConsentCommand, CreateAvatar, CreateVideoArgs, FileAvatarArgs,
    LooksCommand, OwnershipArg, PageArgs, PromptAvatarArgs, UserCommand, VideoCommand,
};
use crate::failure::Failure;
use crate::output::{ListOutput, Output};
use crate::source;
use crate::wait::{self, Seen};
use crate::webhook;

/// Everything a command needs.
pub(crate) struct Context<'a> {
    /// The SDK client.
    pub(crate) backend: &'a Backend,
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
        Command::Asset(cmd) => crate::asset::run(ctx, cmd),
        Command::Video(cmd) => video(ctx, cmd),
        Command::Voice(cmd) => crate::voice::run(ctx, cmd),
        Command::User(UserCommand::Me) => ctx.out.data(&call(ctx, GetCurrentUser::new())?),
        Command::Webhook(cmd) => webhook::run(ctx, cmd),
        Command::Demo | Command::Emulator(_) | Command::Auth(_) => {
            Err(Failure::usage("not an api command"))
        }
    }
}

/// Sends one operation.
pub(crate) fn call<O>(ctx: &Context<'_>, op: O) -> Result<O::Output, Error>
where
    O: Operation + Send,
    O::Output: Send,
{
    ctx.backend.run(Call::lazy(op))
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
            ctx.out.data(&call(ctx, CreateConsent::new(id, request))?)
        }
        AvatarCommand::Get { group_id: id } => ctx
            .out
            .data(&call(ctx, GetAvatarGroup::new(group_id(&id)?))?),
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
            list(ctx, &page, ListAvatarGroups::new(query))
        }
        AvatarCommand::Delete { group_id: id } => ctx
            .out
            .data(&call(ctx, DeleteAvatarGroup::new(group_id(&id)?))?),
        AvatarCommand::Wait {
            group_id: id,
            timeout,
        } => {
            let id = group_id(&id)?;
            let policy = wait::policy(timeout, ctx.poll_interval);
            let label = "waiting for avatar training";
            let outcome = wait::wait_for(
                ctx.backend,
                GetAvatarGroup::new(id.clone()),
                id.as_str(),
                policy,
                label,
            );
            let done = waited(ctx.out, "group_id", id.as_str(), outcome)?;
            ctx.out.data(&done)
        }
        AvatarCommand::Looks(looks) => looks_command(ctx, looks),
    }
}

/// Turns a wait outcome into the value or the failure; a deadline prints the last state on
/// stdout first. Every failure carries the resource id under `key`.
pub(crate) fn waited<T: Serialize>(
    out: &Output,
    key: &'static str,
    id: &str,
    (result, seen): (Result<T, Error>, Seen<T>),
) -> Result<T, Failure> {
    result.or_else(|error| {
        if matches!(error, Error::WaitTimedOut(_))
            && let Some(last) = &seen.last
        {
            out.data(last)?;
        }
        Err(Failure::from(&error).with_id(key, id))
    })
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
    let created = call(ctx, CreateAvatarOp::new(request))
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
            list(ctx, &page, ListLooks::new(query))
        }
        LooksCommand::Get { look_id: id } => ctx
            .out
            .data(&call(ctx, GetLook::new(look_id("look_id", &id)?))?),
        LooksCommand::Update { look_id: id, name } => {
            let id = look_id("look_id", &id)?;
            let request = UpdateLookRequest::new().name(name);
            request.validate()?;
            ctx.out.data(&call(ctx, UpdateLook::new(id, request))?)
        }
        LooksCommand::Delete { look_id: id } => ctx
            .out
            .data(&call(ctx, DeleteLook::new(look_id("look_id", &id)?))?),
    }
}

fn video(ctx: &Context<'_>, command: VideoCommand) -> Result<(), Failure> {
    match command {
        VideoCommand::Create(args) => create_video(ctx, &args),
        VideoCommand::Get { video_id: id } => {
            ctx.out.data(&call(ctx, GetVideo::new(video_id(&id)?))?)
        }
        VideoCommand::List {
            folder_id,
            title,
            page,
        } => {
            let mut query = ListVideosQuery::new();
            if let Some(folder) = folder_id {
                let folder = heygen_model::FolderId::new(folder)
                    .map_err(|e| Failure::validation(Some("folder_id"), e.to_string()))?;
                query = query.folder_id(folder);
            }
            if let Some(title) = title {
                query = query.title(title);
            }
            query = page.apply(query, ListVideosQuery::limit, ListVideosQuery::token);
            query.validate()?;
            list(ctx, &page, ListVideos::new(query))
        }
        VideoCommand::Delete { video_id: id } => {
            ctx.out.data(&call(ctx, DeleteVideo::new(video_id(&id)?))?)
        }
        VideoCommand::Download(args) => crate::download::run(ctx, args),
        VideoCommand::Batch(cmd) => crate::video_batch::run(ctx, cmd),
        VideoCommand::Statuses(args) => crate::video_batch::statuses(ctx, &args),
    }
}

fn create_video(ctx: &Context<'_>, args: &CreateVideoArgs) -> Result<(), Failure> {
    let request = match &args.file {
        Some(path) => crate::video_batch::video_from_file(path)?,
        None => avatar_video_from_flags(args)?.into(),
    };
    let created = call(ctx, CreateVideo::new(request))?;
    if !args.wait {
        return ctx.out.data(&created);
    }
    let id = created.video_id;
    let policy = wait::policy(args.timeout, ctx.poll_interval);
    let outcome = wait::wait_for(
        ctx.backend,
        GetVideo::new(id.clone()),
        id.as_str(),
        policy,
        "rendering video",
    );
    let done = waited(ctx.out, "video_id", id.as_str(), outcome)?;
    ctx.out.data(&done)
}

/// The avatar video the `video create` flags describe, checked.
fn avatar_video_from_flags(args: &CreateVideoArgs) -> Result<CreateAvatarVideo, Failure> {
    let avatar_id = args
        .avatar_id
        .as_deref()
        .ok_or_else(|| Failure::usage("pass --avatar-id or --file"))?;
    let mut request = CreateAvatarVideo::new(look_id("avatar_id", avatar_id)?);
    if let Some(script) = &args.script {
        request = request.script(script);
    }
    if let Some(voice) = &args.voice_id {
        let voice = VoiceId::new(voice)
            .map_err(|e| Failure::validation(Some("voice_id"), e.to_string()))?;
        request = request.voice_id(voice);
    }
    if let Some(url) = &args.audio_url {
        request = request.audio_url(url);
    }
    if let Some(title) = &args.title {
        request = request.title(title);
    }
    request.validate()?;
    Ok(request)
}

/// Prints the page `op` asks for, or with `--all` every item from that page on.
pub(crate) fn list<O, T>(ctx: &Context<'_>, page: &PageArgs, op: O) -> Result<(), Failure>
where
    O: Paginate<Output = ListPage<T>> + Send + 'static,
    T: Serialize + Send + 'static,
{
    let out = ctx.out;
    if page.all {
        let data = ctx.backend.items(Walk::new(op))?;
        out.list(&ListOutput {
            data,
            has_more: false,
            next_token: None,
        })
    } else {
        let page = call(ctx, op)?;
        let next_token = page.next_token().map(str::to_owned);
        out.list(&ListOutput {
            has_more: page.has_more(),
            next_token,
            data: page.data,
        })
    }
}

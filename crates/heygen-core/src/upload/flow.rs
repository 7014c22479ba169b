//! The upload workflows: multipart and direct uploads, the choice between them (and inline
//! base64) for a local file, and avatars, consent videos and prompt reference images from local
//! files. Each is a [`Workflow`] any client runs; the client only inspects files, streams body
//! plans and sleeps.

use core::convert::Infallible;
use core::fmt;
use core::mem;
use std::path::{Path, PathBuf};

use http::Method;

use heygen_model::validate::validate_reference_image_count;
use heygen_model::{
    Asset, AssetId, AssetInput, AvatarGroupId, CloneVoiceRequest, CompleteUploadRequest,
    CompletedUpload, CreateAvatarResponse, CreateConsentRequest, CreateDirectUploadRequest,
    CreatePromptAvatar, DirectUpload,
};

use super::plan::{
    AvatarFileKind, FileFacts, InlineBody, UploadMethod, check_direct_upload_size,
    placeholder_input, unreadable_file,
};
use crate::body::{Body, InlineFile, Source};
use crate::call::Call;
use crate::error::Error;
use crate::operation::Operation;
use crate::ops::{
    CloneVoice, CompleteUpload, CreateAvatar, CreateConsent, CreateDirectUpload, DirectUploadPut,
    UploadAsset,
};
use crate::workflow::{Cx, Event, Next, Workflow, delegate, over};

/// What a workflow knows of its local file: nothing yet, asked, known, or unreadable.
#[derive(Debug)]
enum Facts {
    Unknown(PathBuf),
    Asked(PathBuf),
    Known(PathBuf, FileFacts),
    Failed(Option<Error>),
}

impl Facts {
    fn of(path: &Path) -> Self {
        Self::Unknown(path.to_owned())
    }

    fn known(path: &Path, facts: FileFacts) -> Self {
        Self::Known(path.to_owned(), facts)
    }

    /// The file's path and facts, or what to do to learn them.
    #[allow(
        clippy::result_large_err,
        reason = "the error is the workflow's next step"
    )]
    fn get<T, I>(&mut self) -> Result<(&Path, &FileFacts), Next<T, I>> {
        match self {
            Self::Unknown(path) => {
                let asked = path.clone();
                *self = Self::Asked(mem::take(path));
                Err(Next::Inspect(asked))
            }
            Self::Asked(_) => Err(Next::Done(Err(over()))),
            Self::Known(path, facts) => Ok((path, facts)),
            Self::Failed(error) => Err(Next::Done(Err(error.take().unwrap_or_else(over)))),
        }
    }

    /// Takes an [`Event::Inspected`]; gives back any other event.
    fn handle<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        let Event::Inspected(result) = event else {
            return Some(event);
        };
        let Self::Asked(path) = self else {
            return None;
        };
        let path = mem::take(path);
        *self = match result
            .map_err(|e| unreadable_file(&path, &e))
            .and_then(|head| FileFacts::new(&path, head.size, &head.head))
        {
            Ok(facts) => Self::Known(path, facts),
            Err(error) => Self::Failed(Some(error)),
        };
        None
    }
}

/// Builds a call, or ends the workflow with its validation error.
#[allow(
    clippy::result_large_err,
    reason = "the error is the workflow's next step"
)]
fn call<O: Operation, T, I>(op: O, cx: &Cx<'_>) -> Result<Call<O>, Next<T, I>> {
    Call::new(op, cx.config, cx.entropy).map_err(|e| Next::Done(Err(e)))
}

/// `POST /v3/assets` of one file (at most
/// [`MAX_MULTIPART_UPLOAD_BYTES`](heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES) bytes)
/// streamed from a path (re-opened for a retry) or from the reader handed to the client (read
/// once). The media type of a path is detected from its first bytes, then its extension.
pub struct MultipartUpload {
    source: Source,
    facts: Facts,
    call: Option<Call<UploadAsset>>,
}

impl fmt::Debug for MultipartUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultipartUpload")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl MultipartUpload {
    /// Uploads the file at `path`.
    pub fn path(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        Self {
            source: Source::File(path.to_owned()),
            facts: Facts::of(path),
            call: None,
        }
    }

    /// Uploads `size_bytes` bytes of the client's reader as `file_name` of type `content_type`.
    pub fn reader(file_name: &str, content_type: &str, size_bytes: u64) -> Self {
        let facts = FileFacts {
            name: file_name.to_owned(),
            size: size_bytes,
            media_type: content_type.to_owned(),
        };
        Self {
            source: Source::Reader,
            facts: Facts::Known(PathBuf::new(), facts),
            call: None,
        }
    }

    fn known(path: &Path, facts: FileFacts) -> Self {
        Self {
            source: Source::File(path.to_owned()),
            facts: Facts::known(path, facts),
            call: None,
        }
    }
}

impl Workflow for MultipartUpload {
    type Output = Asset;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Asset> {
        let call = match &mut self.call {
            Some(call) => call,
            slot @ None => {
                let facts = match self.facts.get() {
                    Ok((_, facts)) => facts,
                    Err(next) => return next,
                };
                let op = UploadAsset::new(
                    self.source.clone(),
                    &facts.name,
                    &facts.media_type,
                    facts.size,
                    cx.entropy,
                );
                match call(op, cx) {
                    Ok(call) => slot.insert(call),
                    Err(next) => return next,
                }
            }
        };
        call.next(cx)
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let (Some(event), Some(call)) = (self.facts.handle(event), &mut self.call) {
            call.handle(event, cx);
        }
    }
}

enum DirectStage {
    Start,
    Create(Call<CreateDirectUpload>),
    Put(Call<DirectUploadPut>, AssetId),
    Complete(Call<CompleteUpload>, AssetId),
    Over,
}

/// The direct upload of a local file of any size: `POST /v3/assets/direct-uploads` with the exact
/// size, the `PUT` of the bytes to the presigned URL (only its headers, no credentials; the
/// SHA-256 computed while they stream, the file re-opened for a retry), then
/// `POST /v3/assets/{asset_id}/complete` with the checksum, retrying the brief "not found yet"
/// 409.
///
/// A failed `PUT` or complete is [`Error::UploadFailed`] naming the asset, so it can be resumed
/// or cleaned up; a file over the upload's `max_bytes` is refused before the `PUT`.
pub struct UploadDirect {
    facts: Facts,
    stage: DirectStage,
}

impl fmt::Debug for UploadDirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadDirect").finish_non_exhaustive()
    }
}

impl UploadDirect {
    /// Uploads the file at `path`.
    pub fn path(path: impl AsRef<Path>) -> Self {
        Self {
            facts: Facts::of(path.as_ref()),
            stage: DirectStage::Start,
        }
    }

    fn known(path: &Path, facts: FileFacts) -> Self {
        Self {
            facts: Facts::known(path, facts),
            stage: DirectStage::Start,
        }
    }
}

impl Workflow for UploadDirect {
    type Output = CompletedUpload;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<CompletedUpload> {
        loop {
            let (path, facts) = match self.facts.get() {
                Ok(known) => known,
                Err(next) => return next,
            };
            match &mut self.stage {
                DirectStage::Start => {
                    let request =
                        CreateDirectUploadRequest::new(&facts.name, &facts.media_type, facts.size);
                    match call(CreateDirectUpload::new(request), cx) {
                        Ok(create) => self.stage = DirectStage::Create(create),
                        Err(next) => return next,
                    }
                }
                DirectStage::Create(create) => match delegate(create, cx) {
                    Ok(next) => return next,
                    Err(Ok(created)) => {
                        let asset = created.asset_id.clone();
                        let put = check_direct_upload_size(&created, facts.size).and_then(|()| {
                            let op = DirectUploadPut::from_direct_upload(
                                &created,
                                Source::File(path.to_owned()),
                                facts.size,
                            );
                            Call::new(op, cx.config, cx.entropy)
                                .map_err(|e| Error::upload_failed(asset.as_str(), e))
                        });
                        match put {
                            Ok(put) => self.stage = DirectStage::Put(put, asset),
                            Err(error) => return self.fail(error),
                        }
                    }
                    Err(Err(error)) => return self.fail(error),
                },
                DirectStage::Put(put, asset) => match delegate(put, cx) {
                    Ok(next) => return next,
                    Err(Ok(())) => {
                        let mut request = CompleteUploadRequest::new();
                        if let Some(checksum) = put.sent().and_then(|s| s.sha256.clone()) {
                            request = request.checksum_sha256(checksum);
                        }
                        let asset = asset.clone();
                        let op = CompleteUpload::new(asset.clone(), request);
                        match Call::new(op, cx.config, cx.entropy) {
                            Ok(complete) => self.stage = DirectStage::Complete(complete, asset),
                            Err(error) => {
                                return self.fail(Error::upload_failed(asset.as_str(), error));
                            }
                        }
                    }
                    Err(Err(error)) => {
                        let error = Error::upload_failed(asset.as_str(), error);
                        return self.fail(error);
                    }
                },
                DirectStage::Complete(complete, asset) => {
                    return match delegate(complete, cx) {
                        Ok(next) => next,
                        Err(Ok(done)) => {
                            self.stage = DirectStage::Over;
                            Next::Done(Ok(done))
                        }
                        Err(Err(error)) => {
                            let error = Error::upload_failed(asset.as_str(), error);
                            self.fail(error)
                        }
                    };
                }
                DirectStage::Over => return Next::Done(Err(over())),
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        let Some(event) = self.facts.handle(event) else {
            return;
        };
        match &mut self.stage {
            DirectStage::Create(call) => call.handle(event, cx),
            DirectStage::Put(call, _) => call.handle(event, cx),
            DirectStage::Complete(call, _) => call.handle(event, cx),
            DirectStage::Start | DirectStage::Over => {}
        }
    }
}

impl UploadDirect {
    fn fail(&mut self, error: Error) -> Next<CompletedUpload> {
        self.stage = DirectStage::Over;
        Next::Done(Err(error))
    }
}

/// The `PUT` of `size_bytes` bytes of the client's reader to a direct upload's presigned URL
/// (read once, never replayed); ends with their SHA-256 as hex, for
/// `POST /v3/assets/{asset_id}/complete`.
///
/// Errors are [`Error::UploadFailed`] naming the asset.
pub struct PutDirectUpload {
    asset: AssetId,
    call: Result<Call<DirectUploadPut>, Option<(DirectUpload, u64)>>,
}

impl fmt::Debug for PutDirectUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PutDirectUpload")
            .field("asset", &self.asset)
            .finish_non_exhaustive()
    }
}

impl PutDirectUpload {
    /// The `PUT` for `upload` of `size_bytes` bytes of the client's reader.
    pub fn reader(upload: &DirectUpload, size_bytes: u64) -> Self {
        Self {
            asset: upload.asset_id.clone(),
            call: Err(Some((upload.clone(), size_bytes))),
        }
    }
}

impl Workflow for PutDirectUpload {
    type Output = String;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<String> {
        let asset = self.asset.clone();
        let failed = |e| Next::Done(Err(Error::upload_failed(asset.as_str(), e)));
        let call = match &mut self.call {
            Ok(call) => call,
            Err(plan) => {
                let Some((upload, size)) = plan.take() else {
                    return Next::Done(Err(over()));
                };
                let op = DirectUploadPut::from_direct_upload(&upload, Source::Reader, size);
                // The size check's error already names the asset: wrap only the call's.
                let planned = check_direct_upload_size(&upload, size).and_then(|()| {
                    Call::new(op, cx.config, cx.entropy)
                        .map_err(|e| Error::upload_failed(asset.as_str(), e))
                });
                match planned {
                    Ok(call) => {
                        self.call = Ok(call);
                        let Ok(call) = &mut self.call else {
                            return Next::Done(Err(over()));
                        };
                        call
                    }
                    Err(error) => return Next::Done(Err(error)),
                }
            }
        };
        match delegate(call, cx) {
            Ok(next) => next,
            Err(Ok(())) => match call.sent().and_then(|s| s.sha256.clone()) {
                Some(digest) => Next::Done(Ok(digest)),
                None => failed(Error::invalid_request(
                    Some("file"),
                    "the client did not report the digest of the bytes it sent",
                )),
            },
            Err(Err(error)) => failed(error),
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let Ok(call) = &mut self.call {
            call.handle(event, cx);
        }
    }
}

/// A finished upload of a local file.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Uploaded {
    /// Through `POST /v3/assets` (multipart).
    Multipart(Asset),
    /// Through a direct upload (create, `PUT`, complete).
    Direct(CompletedUpload),
}

impl Uploaded {
    /// The asset id to pass as an `asset_id` input.
    pub fn asset_id(&self) -> &AssetId {
        match self {
            Self::Multipart(asset) => &asset.asset_id,
            Self::Direct(done) => &done.asset_id,
        }
    }

    /// How the file was sent.
    pub fn method(&self) -> UploadMethod {
        match self {
            Self::Multipart(_) => UploadMethod::Multipart,
            Self::Direct(_) => UploadMethod::Direct,
        }
    }
}

enum FileStage {
    Multipart(MultipartUpload),
    Direct(UploadDirect),
}

/// Uploads a local file of any size as an asset: multipart up to
/// [`MAX_MULTIPART_UPLOAD_BYTES`](heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES) bytes,
/// direct upload above.
pub struct UploadFile {
    facts: Facts,
    stage: Option<FileStage>,
}

impl fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadFile").finish_non_exhaustive()
    }
}

impl UploadFile {
    /// Uploads the file at `path`.
    pub fn path(path: impl AsRef<Path>) -> Self {
        Self {
            facts: Facts::of(path.as_ref()),
            stage: None,
        }
    }

    fn known(path: &Path, facts: FileFacts) -> Self {
        Self {
            facts: Facts::known(path, facts),
            stage: None,
        }
    }
}

impl Workflow for UploadFile {
    type Output = Uploaded;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Uploaded> {
        let stage = match &mut self.stage {
            Some(stage) => stage,
            slot @ None => {
                let (path, facts) = match self.facts.get() {
                    Ok(known) => known,
                    Err(next) => return next,
                };
                slot.insert(match UploadMethod::for_asset(facts.size) {
                    UploadMethod::Direct => {
                        FileStage::Direct(UploadDirect::known(path, facts.clone()))
                    }
                    _ => FileStage::Multipart(MultipartUpload::known(path, facts.clone())),
                })
            }
        };
        let result = match stage {
            FileStage::Multipart(upload) => {
                delegate(upload, cx).map_err(|r| r.map(Uploaded::Multipart))
            }
            FileStage::Direct(upload) => delegate(upload, cx).map_err(|r| r.map(Uploaded::Direct)),
        };
        result.unwrap_or_else(Next::Done)
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        let Some(event) = self.facts.handle(event) else {
            return;
        };
        match &mut self.stage {
            Some(FileStage::Multipart(upload)) => upload.handle(event, cx),
            Some(FileStage::Direct(upload)) => upload.handle(event, cx),
            None => {}
        }
    }
}

/// The result of a request made around a local file.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FromFile<T> {
    /// The request's response.
    pub output: T,
    /// The asset the file was uploaded as (`None` when it went inline).
    pub asset_id: Option<AssetId>,
    /// How the file was sent.
    pub method: UploadMethod,
}

/// The result of `create_avatar_from_file`: the created avatar (first look and group).
pub type AvatarFromFile = FromFile<CreateAvatarResponse>;

#[allow(
    clippy::large_enum_variant,
    reason = "one per workflow; the call is the stage that runs longest"
)]
enum WithFileStage<O: Operation> {
    Start,
    Upload(Box<UploadFile>),
    Send(Call<O>, Option<AssetId>, UploadMethod),
    Over,
}

/// Sends the operation `make` builds around a local file: inline base64 up to the configured
/// threshold ([`crate::Config::uploads`]; the file is encoded straight into the request body by
/// the client), otherwise an uploaded asset (multipart up to 32 MB, direct upload above)
/// referenced by id.
pub struct WithFile<O: Operation> {
    facts: Facts,
    make: Box<dyn Fn(AssetInput) -> O + Send + Sync>,
    inline_threshold: Option<u64>,
    stage: WithFileStage<O>,
}

impl<O: Operation> fmt::Debug for WithFile<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithFile").finish_non_exhaustive()
    }
}

impl<O: Operation> WithFile<O> {
    /// The operation `make` builds around the file at `path`.
    pub fn new(
        path: impl AsRef<Path>,
        make: impl Fn(AssetInput) -> O + Send + Sync + 'static,
    ) -> Self {
        Self {
            facts: Facts::of(path.as_ref()),
            make: Box::new(make),
            inline_threshold: None,
            stage: WithFileStage::Start,
        }
    }

    /// Uses this inline-base64 threshold, in bytes, instead of the configuration's.
    #[must_use]
    pub fn inline_threshold(mut self, bytes: u64) -> Self {
        self.inline_threshold = Some(bytes);
        self
    }

    fn done(&mut self, result: Result<FromFile<O::Output>, Error>) -> Next<FromFile<O::Output>> {
        self.stage = WithFileStage::Over;
        Next::Done(result)
    }
}

impl WithFile<CreateAvatar> {
    /// `POST /v3/avatars`: a photo avatar or digital twin named `name` from the file at `path`.
    pub fn avatar(kind: AvatarFileKind, name: &str, path: impl AsRef<Path>) -> Self {
        let name = name.to_owned();
        Self::new(path, move |input| kind.create_avatar(&name, input))
    }
}

impl WithFile<CreateConsent> {
    /// `POST /v3/avatars/{group_id}/consent` with the consent video at `path`.
    pub fn consent(group_id: &AvatarGroupId, path: impl AsRef<Path>) -> Self {
        let group_id = group_id.clone();
        Self::new(path, move |input| {
            CreateConsent::new(
                group_id.clone(),
                CreateConsentRequest::new().consent_video(input),
            )
        })
    }
}

impl WithFile<CloneVoice> {
    /// `POST /v3/voices/clone`: a voice named `voice_name` cloned from the recording at `path`
    /// (an audio file such as MP3 or WAV; its media type comes from its bytes).
    pub fn voice_clone(voice_name: &str, path: impl AsRef<Path>) -> Self {
        let voice_name = voice_name.to_owned();
        Self::voice_clone_with(path, move |audio| {
            CloneVoiceRequest::new(voice_name.clone(), audio)
        })
    }

    /// `POST /v3/voices/clone` with the request `request` builds around the recording at
    /// `path` (to set the language hint or the noise removal).
    pub fn voice_clone_with(
        path: impl AsRef<Path>,
        request: impl Fn(AssetInput) -> CloneVoiceRequest + Send + Sync + 'static,
    ) -> Self {
        Self::new(path, move |audio| CloneVoice::new(request(audio)))
    }
}

impl<O: Operation> Workflow for WithFile<O> {
    type Output = FromFile<O::Output>;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Self::Output> {
        loop {
            match &mut self.stage {
                WithFileStage::Start => {
                    let (path, facts) = match self.facts.get() {
                        Ok(known) => known,
                        Err(next) => return next,
                    };
                    let threshold = self
                        .inline_threshold
                        .unwrap_or(cx.config.uploads().inline_threshold);
                    if UploadMethod::for_file(facts.size, threshold) == UploadMethod::Inline {
                        let inline = placeholder_input(&facts.media_type).and_then(|input| {
                            let mut call = Call::new((self.make)(input), cx.config, cx.entropy)?;
                            call.inline(Source::File(path.to_owned()), facts.size)?;
                            Ok(call)
                        });
                        match inline {
                            Ok(call) => {
                                self.stage = WithFileStage::Send(call, None, UploadMethod::Inline);
                            }
                            Err(error) => return self.done(Err(error)),
                        }
                    } else {
                        self.stage =
                            WithFileStage::Upload(Box::new(UploadFile::known(path, facts.clone())));
                    }
                }
                WithFileStage::Upload(upload) => match delegate(upload.as_mut(), cx) {
                    Ok(next) => return next,
                    Err(Ok(uploaded)) => {
                        let asset = uploaded.asset_id().clone();
                        let op = (self.make)(AssetInput::asset_id(asset.clone()));
                        match Call::new(op, cx.config, cx.entropy) {
                            Ok(call) => {
                                self.stage =
                                    WithFileStage::Send(call, Some(asset), uploaded.method());
                            }
                            Err(error) => return self.done(Err(error)),
                        }
                    }
                    Err(Err(error)) => return self.done(Err(error)),
                },
                WithFileStage::Send(call, asset_id, method) => {
                    return match delegate(call, cx) {
                        Ok(next) => next,
                        Err(result) => {
                            let (asset_id, method) = (asset_id.take(), *method);
                            self.done(result.map(|output| FromFile {
                                output,
                                asset_id,
                                method,
                            }))
                        }
                    };
                }
                WithFileStage::Over => return Next::Done(Err(over())),
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        let Some(event) = self.facts.handle(event) else {
            return;
        };
        match &mut self.stage {
            WithFileStage::Upload(upload) => upload.handle(event, cx),
            WithFileStage::Send(call, _, _) => call.handle(event, cx),
            WithFileStage::Start | WithFileStage::Over => {}
        }
    }
}

/// The result of a prompt avatar made with reference images from local files.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PromptAvatarFromFiles {
    /// The created avatar.
    pub avatar: CreateAvatarResponse,
    /// The reference images' asset ids, in the order of the paths.
    pub asset_ids: Vec<AssetId>,
}

/// `POST /v3/avatars` for a prompt avatar whose reference images (at most 3) are local files:
/// each is uploaded as an asset (multipart, or direct upload above 32 MB) and referenced by id.
pub struct PromptFromFiles {
    name: String,
    prompt: String,
    paths: Vec<PathBuf>,
    ids: Vec<AssetId>,
    upload: Option<UploadFile>,
    create: Option<Call<CreateAvatar>>,
    checked: bool,
    over: bool,
}

impl fmt::Debug for PromptFromFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PromptFromFiles")
            .field("images", &self.paths.len())
            .field("uploaded", &self.ids.len())
            .finish_non_exhaustive()
    }
}

impl PromptFromFiles {
    /// A prompt avatar named `name` from `prompt` with the images at `paths`.
    pub fn new<P: AsRef<Path>>(name: &str, prompt: &str, paths: &[P]) -> Self {
        Self {
            name: name.to_owned(),
            prompt: prompt.to_owned(),
            paths: paths.iter().rev().map(|p| p.as_ref().to_owned()).collect(),
            ids: Vec::new(),
            upload: None,
            create: None,
            checked: false,
            over: false,
        }
    }

    fn done(
        &mut self,
        result: Result<PromptAvatarFromFiles, Error>,
    ) -> Next<PromptAvatarFromFiles> {
        self.over = true;
        Next::Done(result)
    }
}

impl Workflow for PromptFromFiles {
    type Output = PromptAvatarFromFiles;
    type Item = Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<PromptAvatarFromFiles> {
        if !self.checked {
            self.checked = true;
            // What the create would refuse is refused before any file is uploaded.
            let request = CreatePromptAvatar::new(&self.name, &self.prompt);
            if let Err(error) = request
                .validate()
                .and_then(|()| validate_reference_image_count(self.paths.len()))
            {
                let error = Error::from(error).with_operation(&Method::POST, "/v3/avatars");
                return self.done(Err(error));
            }
        }
        loop {
            if self.over {
                return Next::Done(Err(over()));
            }
            if let Some(create) = &mut self.create {
                return match delegate(create, cx) {
                    Ok(next) => next,
                    Err(result) => {
                        let asset_ids = mem::take(&mut self.ids);
                        self.done(result.map(|avatar| PromptAvatarFromFiles { avatar, asset_ids }))
                    }
                };
            }
            if let Some(upload) = &mut self.upload {
                match delegate(upload, cx) {
                    Ok(next) => return next,
                    Err(Ok(uploaded)) => {
                        self.ids.push(uploaded.asset_id().clone());
                        self.upload = None;
                    }
                    Err(Err(error)) => return self.done(Err(error)),
                }
            }
            if let Some(path) = self.paths.pop() {
                self.upload = Some(UploadFile::path(path));
                continue;
            }
            let images = self.ids.iter().cloned().map(AssetInput::asset_id).collect();
            let request =
                CreatePromptAvatar::new(&self.name, &self.prompt).reference_images(images);
            match Call::new(CreateAvatar::new(request), cx.config, cx.entropy) {
                Ok(create) => self.create = Some(create),
                Err(error) => return self.done(Err(error)),
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let Some(create) = &mut self.create {
            create.handle(event, cx);
        } else if let Some(upload) = &mut self.upload {
            upload.handle(event, cx);
        }
    }
}

impl<O: Operation> Call<O> {
    /// Replaces the built JSON body with a plan that splices in `len` bytes of `source` as
    /// base64, where the request holds [`super::INLINE_PLACEHOLDER`].
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (field `file`) when the body has no placeholder.
    pub(crate) fn inline(&mut self, source: Source, len: u64) -> Result<(), Error> {
        let template = match self.request_mut().body_mut() {
            Body::Bytes(bytes) => mem::take(bytes),
            _ => {
                return Err(Error::invalid_request(
                    Some("file"),
                    "only a JSON request can carry a file inline",
                ));
            }
        };
        let inline = InlineFile {
            template,
            source,
            len,
        };
        // Fails early, before anything is read or the body's buffer is reserved, when the
        // template has no slot or the file cannot be encoded in memory.
        InlineBody::slot(&inline.template, len)?;
        *self.request_mut().body_mut() = Body::Inline(inline);
        self.set_replayable();
        Ok(())
    }
}

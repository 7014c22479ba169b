//! The resource handles (`client.avatars()`, …) and the client's waits and file helpers,
//! generated from the core's one list of endpoints ([`heygen_core::endpoints!`]): each method
//! runs its workflow in [`Client`]'s loop. Only the methods that take the caller's reader are
//! written here.

use std::path::Path;

use heygen_core::Error;
use heygen_core::download::{Download, DownloadOptions, Downloaded, plan_path, sink_failed};
use heygen_core::model::{Asset, DirectUpload, VideoId};
use heygen_core::upload::{MultipartUpload, PutDirectUpload};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _, BufWriter};

use crate::client::{Client, ItemStream};

/// Turns each entry of the core's list into an async method (a stream for `list_all`).
macro_rules! async_facade {
    (@run ($($recv:tt)*) $s:ident $(#[$meta:meta])*
        fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty = $workflow:expr, map $map:expr
    ) => {
        $(#[$meta])*
        pub async fn $name($($recv)*, $($arg: $ty),*) -> Result<$out, Error> {
            $s.on().run($workflow).await.map($map)
        }
    };
    (@each ($($recv:tt)*) $s:ident $(#[$meta:meta])*
        fn $name:ident($($arg:ident: $ty:ty),*) -> $op:ty => $item:ty = $walk:expr
    ) => {
        $(#[$meta])*
        pub fn $name($($recv)*, $($arg: $ty),*) -> ItemStream<$item> {
            $s.on().items($walk)
        }
    };
}

heygen_core::endpoints!(async_facade);

impl Assets<'_> {
    /// `POST /v3/assets`: uploads `size_bytes` bytes from `reader` as multipart form data,
    /// streaming the framing and the bytes with the exact `Content-Length`, without buffering
    /// them. At most 32 MB.
    ///
    /// The reader is read once: a failure after bytes were sent is not retried (use
    /// [`Assets::upload_path`], which re-opens the file, for retries).
    ///
    /// # Errors
    /// A validation error for an empty or over-32-MB file or a bad content type (nothing sent),
    /// API and transport errors.
    pub async fn upload<R>(
        self,
        reader: R,
        file_name: &str,
        content_type: &str,
        size_bytes: u64,
    ) -> Result<Asset, Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        let upload = MultipartUpload::reader(file_name, content_type, size_bytes);
        self.client.run_with_reader(upload, reader).await
    }

    /// `PUT`s `size_bytes` bytes from `reader` to a direct upload's presigned URL (byte for
    /// byte, only its headers plus `Content-Length`, no credentials) and returns their SHA-256
    /// as hex. The reader is read once and not retried after bytes were sent.
    ///
    /// # Errors
    /// [`Error::UploadFailed`] naming the asset id.
    pub async fn put_direct_upload<R>(
        self,
        upload: &DirectUpload,
        reader: R,
        size_bytes: u64,
    ) -> Result<String, Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        let put = PutDirectUpload::reader(upload, size_bytes);
        self.client.run_with_reader(put, reader).await
    }
}

impl Client {
    /// Downloads a rendered video into `writer`: `GET /v3/videos/{video_id}` (after waiting for
    /// the render with [`DownloadOptions::wait`]), then `GET` of its presigned `video_url` (or
    /// `captioned_video_url`) with no credential, streamed into `writer` chunk by chunk as it
    /// arrives. A `403` (an expired link) reads the video again once for a fresh link. Returns
    /// the bytes written (the file's `Content-Length`, checked) and its content type.
    ///
    /// Bytes already written stay in `writer` when the download fails part way: use
    /// [`Client::download_video_to_path`] for a file that is only there when complete.
    ///
    /// The response head must come within the read timeout (`Timeouts::read`); after it, the
    /// same duration is the longest the body may go without a byte, and the whole transfer has
    /// no limit. A `500`, `502`, `503` or `504` from the file origin, a failed connection and a
    /// body that failed before its first byte are retried with the retry policy (nothing was
    /// written yet).
    ///
    /// # Errors
    /// [`Error::JobFailed`]: the video is `failed` or `error` (its failure code and message).
    /// [`Error::DownloadFailed`]: the video is not completed (nothing fetched), is answered
    /// under another id, has no link or one that is not `https`, the file origin refused (a
    /// second `403`, a `404`, a `5xx` after the retries, …), the body stalled for the read
    /// timeout (a timeout, [`Error::is_timeout`], with the bytes received), was cut or not as
    /// long as announced, or `writer` failed. API and transport errors of the video read.
    pub async fn download_video<S>(
        &self,
        video_id: &VideoId,
        mut writer: S,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error>
    where
        S: AsyncWrite + Send + Unpin,
    {
        let done = self
            .run_with_writer(Download::new(video_id, options), &mut writer)
            .await?;
        writer
            .flush()
            .await
            .map_err(|e| sink_failed(video_id, &e))?;
        Ok(done)
    }

    /// Downloads a rendered video to `path`, as [`Client::download_video`]. When `path` is an
    /// existing directory the file goes inside it under its default name
    /// ([`heygen_core::download::default_file_name`]: `<video_id>.mp4`,
    /// `<video_id>.captioned.mp4`, `.webm` for a WebM render); [`Downloaded::path`] says where.
    ///
    /// The bytes go to a hidden temporary file beside the final path (`.<name>.<hex>.part`),
    /// created before any request (so a missing directory or a place that cannot be written
    /// fails at once, naming the path), synced and renamed to the final path only when the
    /// whole file arrived; on any error it is removed, so the final path is never left partial
    /// (an existing file there is replaced only on success). Dropping the future part way
    /// leaves the temporary file, and so does a process killed or stopped by a signal it does
    /// not handle (SIGINT, SIGTERM): no cleanup runs, and the final path is untouched. Remove
    /// `.<name>.*.part` files then, or handle the signal.
    ///
    /// # Errors
    /// As [`Client::download_video`]; [`Error::DownloadFailed`] also when the temporary file
    /// cannot be created, written, synced or renamed (the message names `path`).
    pub async fn download_video_to_path(
        &self,
        video_id: &VideoId,
        path: impl AsRef<Path>,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let path = path.as_ref();
        let is_dir = tokio::fs::metadata(path).await.is_ok_and(|m| m.is_dir());
        let plan = plan_path(video_id, path, is_dir, fastrand::u128(..).to_le_bytes())?;
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&plan.temp)
            .await
            .map_err(|e| plan.file_failed(&e))?;
        let mut result = self
            .write_file(video_id, file, options)
            .await
            .map_err(|e| plan.name_path(e));
        if let Ok(done) = &mut result {
            let target = plan.final_path(done);
            match tokio::fs::rename(&plan.temp, &target).await {
                Ok(()) => done.path = Some(target),
                Err(e) => result = Err(plan.file_failed(&e)),
            }
        }
        if result.is_err() {
            let _ = tokio::fs::remove_file(&plan.temp).await;
        }
        result
    }

    /// The download into an open file, flushed and synced to disk.
    async fn write_file(
        &self,
        video_id: &VideoId,
        file: tokio::fs::File,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let mut writer = BufWriter::with_capacity(64 * 1024, file);
        let done = self
            .run_with_writer(Download::new(video_id, options), &mut writer)
            .await?;
        writer
            .flush()
            .await
            .map_err(|e| sink_failed(video_id, &e))?;
        writer
            .into_inner()
            .sync_all()
            .await
            .map_err(|e| sink_failed(video_id, &e))?;
        Ok(done)
    }
}

//! The resource handles (`client.avatars()`, …) and the client's waits and file helpers,
//! generated from the core's one list of endpoints ([`heygen_core::endpoints!`]): each method
//! runs its workflow in [`Client`]'s loop. Only the methods that take the caller's reader are
//! written here.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use heygen_core::Error;
use heygen_core::download::{Download, DownloadOptions, Downloaded, plan_path, sink_failed};
use heygen_core::model::{Asset, DirectUpload, VideoId};
use heygen_core::upload::{MultipartUpload, PutDirectUpload};

use crate::client::{Client, Pages};

/// Turns each entry of the core's list into a blocking method.
macro_rules! blocking_facade {
    (@run ($($recv:tt)*) $s:ident $(#[$meta:meta])*
        fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty = $workflow:expr, map $map:expr
    ) => {
        $(#[$meta])*
        pub fn $name($($recv)*, $($arg: $ty),*) -> Result<$out, Error> {
            $s.on().run($workflow).map($map)
        }
    };
    (@each ($($recv:tt)*) $s:ident $(#[$meta:meta])*
        fn $name:ident($($arg:ident: $ty:ty),*) -> $op:ty => $item:ty = $walk:expr
    ) => {
        $(#[$meta])*
        pub fn $name($($recv)*, $($arg: $ty),*) -> Pages<heygen_core::Walk<$op, $item>> {
            $s.on().items($walk)
        }
    };
}

heygen_core::endpoints!(blocking_facade);

impl Assets<'_> {
    /// `POST /v3/assets`: uploads `size_bytes` bytes from `reader` as multipart form data,
    /// streaming the framing and the bytes without buffering them. At most 32 MB.
    ///
    /// The reader is read once: a failure after bytes were sent is not retried (use
    /// [`Assets::upload_path`], which re-opens the file, for retries).
    ///
    /// # Errors
    /// A validation error for an empty or over-32-MB file or a bad content type (nothing sent),
    /// API and transport errors.
    pub fn upload(
        &self,
        mut reader: impl Read,
        file_name: &str,
        content_type: &str,
        size_bytes: u64,
    ) -> Result<Asset, Error> {
        let upload = MultipartUpload::reader(file_name, content_type, size_bytes);
        self.client.run_with_reader(upload, &mut reader)
    }

    /// `PUT`s `size_bytes` bytes from `reader` to a direct upload's presigned URL (only its
    /// headers, no credentials) and returns their SHA-256 as hex. The reader is read once and
    /// not retried after bytes were sent.
    ///
    /// # Errors
    /// [`Error::UploadFailed`] naming the asset id.
    pub fn put_direct_upload(
        &self,
        upload: &DirectUpload,
        mut reader: impl Read,
        size_bytes: u64,
    ) -> Result<String, Error> {
        let put = PutDirectUpload::reader(upload, size_bytes);
        self.client.run_with_reader(put, &mut reader)
    }
}

impl Client {
    /// Downloads a rendered video into `writer`: `GET /v3/videos/{video_id}` (after waiting for
    /// the render with [`DownloadOptions::wait`]), then `GET` of its presigned `video_url` (or
    /// `captioned_video_url`) with no credential, streamed into `writer` in 64 KiB chunks. A
    /// `403` (an expired link) reads the video again once for a fresh link. Returns the bytes
    /// written (the file's `Content-Length`, checked) and its content type.
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
    pub fn download_video(
        &self,
        video_id: &VideoId,
        mut writer: impl Write,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let result = self.run_with_writer(Download::new(video_id, options), &mut writer);
        let done = result?;
        writer.flush().map_err(|e| sink_failed(video_id, &e))?;
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
    /// (an existing file there is replaced only on success). A process killed or stopped by a
    /// signal it does not handle (SIGINT, SIGTERM) runs no cleanup: the temporary file stays,
    /// and the final path is untouched. Remove `.<name>.*.part` files then, or handle the signal.
    ///
    /// # Errors
    /// As [`Client::download_video`]; [`Error::DownloadFailed`] also when the temporary file
    /// cannot be created, written, synced or renamed (the message names `path`).
    pub fn download_video_to_path(
        &self,
        video_id: &VideoId,
        path: impl AsRef<Path>,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let path = path.as_ref();
        let is_dir = fs::metadata(path).is_ok_and(|m| m.is_dir());
        let plan = plan_path(video_id, path, is_dir, fastrand::u128(..).to_le_bytes())?;
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&plan.temp)
            .map_err(|e| plan.file_failed(&e))?;
        let result = self
            .write_file(video_id, file, options)
            .map_err(|e| plan.name_path(e))
            .and_then(|mut done| {
                let target = plan.final_path(&done);
                fs::rename(&plan.temp, &target).map_err(|e| plan.file_failed(&e))?;
                done.path = Some(target);
                Ok(done)
            });
        if result.is_err() {
            let _ = fs::remove_file(&plan.temp);
        }
        result
    }

    /// The download into an open file, flushed and synced to disk.
    fn write_file(
        &self,
        video_id: &VideoId,
        file: File,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let mut writer = BufWriter::with_capacity(64 * 1024, file);
        let done = self.run_with_writer(Download::new(video_id, options), &mut writer)?;
        let file = writer
            .into_inner()
            .map_err(|e| sink_failed(video_id, e.error()))?;
        file.sync_all().map_err(|e| sink_failed(video_id, &e))?;
        Ok(done)
    }
}

//! The resource handles (`client.avatars()`, …) and the client's waits and file helpers,
//! generated from the core's one list of endpoints ([`heygen_core::endpoints!`]): each method
//! runs its workflow in [`Client`]'s loop. Only the methods that take the caller's reader are
//! written here.

use heygen_core::Error;
use heygen_core::model::{Asset, DirectUpload};
use heygen_core::upload::{MultipartUpload, PutDirectUpload};
use tokio::io::AsyncRead;

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

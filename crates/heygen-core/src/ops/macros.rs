//! Macros that stamp out the operations whose shape repeats across resources: create from a JSON
//! body, send a JSON body to one resource, get by id, delete by id and list one page.
//!
//! Each invocation stays in its resource's file and carries the docs of what it defines, so the
//! endpoint (`GET /v3/videos/{video_id}`) is still named next to the operation.

/// Defines `POST {path}` with a JSON body: a struct holding the request and an optional
/// caller-chosen idempotency key, `new`, the `idempotency_key` setter, `request()`, and an
/// [`Operation`](crate::Operation) that validates the request and decodes the `data` member.
///
/// `new(request: impl Into<Request>)` converts its argument; `new(request: Request)` takes it as
/// is.
macro_rules! create_from_json {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $output:ty {
            $(#[$new_doc:meta])*
            new(request: impl Into<$request:ty>);
            path: $path:literal $(,)?
        }
    ) => {
        create_from_json!(@define $(#[$meta])* $name, $output, $request, $path,
            $(#[$new_doc])*
            pub fn new(request: impl Into<$request>) -> Self {
                Self {
                    request: request.into(),
                    idempotency_key: None,
                }
            }
        );
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $output:ty {
            $(#[$new_doc:meta])*
            new(request: $request:ty);
            path: $path:literal $(,)?
        }
    ) => {
        create_from_json!(@define $(#[$meta])* $name, $output, $request, $path,
            $(#[$new_doc])*
            pub fn new(request: $request) -> Self {
                Self {
                    request,
                    idempotency_key: None,
                }
            }
        );
    };
    (@define $(#[$meta:meta])* $name:ident, $output:ty, $request:ty, $path:literal, $new:item) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            request: $request,
            idempotency_key: Option<::heygen_model::IdempotencyKey>,
        }

        impl $name {
            $new

            /// Uses this idempotency key instead of a generated one.
            #[must_use]
            pub fn idempotency_key(mut self, key: ::heygen_model::IdempotencyKey) -> Self {
                self.idempotency_key = Some(key);
                self
            }

            /// The request body.
            pub fn request(&self) -> &$request {
                &self.request
            }
        }

        impl crate::operation::Operation for $name {
            type Output = $output;

            fn method(&self) -> ::http::Method {
                ::http::Method::POST
            }

            fn path_template(&self) -> &'static str {
                $path
            }

            fn idempotency_key(&self) -> Option<&str> {
                super::support::key_str(self.idempotency_key.as_ref())
            }

            fn build(
                &self,
                config: &crate::config::Config,
            ) -> Result<::http::Request<crate::body::Body>, crate::error::Error> {
                self.request.validate()?;
                crate::operation::api_request(
                    config,
                    ::http::Method::POST,
                    $path,
                    crate::operation::json_body(&self.request)?,
                )
            }

            fn parse(
                &self,
                response: ::http::Response<&[u8]>,
                limits: &crate::response::ResponseLimits,
            ) -> Result<Self::Output, crate::error::Error> {
                super::support::data(&::http::Method::POST, self.path_template(), &response, limits)
            }
        }
    };
}

/// Defines `{METHOD} {path}` with a JSON body for one resource: a struct holding the id, the
/// request and an optional caller-chosen idempotency key, `new`, the `idempotency_key` setter,
/// and an [`Operation`](crate::Operation) that validates the request and decodes the `data`
/// member.
///
/// The path template names the id field (`/v3/avatars/{group_id}/consent`); the id is
/// percent-encoded as one segment.
macro_rules! json_by_id {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $output:ty {
            $(#[$new_doc:meta])*
            new($id:ident: $id_ty:ty, request: $request:ty);
            $method:ident $path:literal $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $id: $id_ty,
            request: $request,
            idempotency_key: Option<::heygen_model::IdempotencyKey>,
        }

        impl $name {
            $(#[$new_doc])*
            pub fn new($id: $id_ty, request: $request) -> Self {
                Self {
                    $id,
                    request,
                    idempotency_key: None,
                }
            }

            /// Uses this idempotency key instead of a generated one.
            #[must_use]
            pub fn idempotency_key(mut self, key: ::heygen_model::IdempotencyKey) -> Self {
                self.idempotency_key = Some(key);
                self
            }
        }

        impl crate::operation::Operation for $name {
            type Output = $output;

            fn method(&self) -> ::http::Method {
                ::http::Method::$method
            }

            fn path_template(&self) -> &'static str {
                $path
            }

            fn idempotency_key(&self) -> Option<&str> {
                super::support::key_str(self.idempotency_key.as_ref())
            }

            fn build(
                &self,
                config: &crate::config::Config,
            ) -> Result<::http::Request<crate::body::Body>, crate::error::Error> {
                self.request.validate()?;
                let id = crate::operation::encode_path_param(stringify!($id), self.$id.as_str())?;
                crate::operation::api_request(
                    config,
                    ::http::Method::$method,
                    &format!($path, $id = id),
                    crate::operation::json_body(&self.request)?,
                )
            }

            fn parse(
                &self,
                response: ::http::Response<&[u8]>,
                limits: &crate::response::ResponseLimits,
            ) -> Result<Self::Output, crate::error::Error> {
                super::support::data(&::http::Method::$method, self.path_template(), &response, limits)
            }
        }
    };
}

/// Defines `GET {path}` for one resource: a struct holding the id, `new`, an accessor named after
/// the id, and an [`Operation`](crate::Operation) that decodes the `data` member.
///
/// The path template names the id field (`/v3/videos/{video_id}`); the id is percent-encoded as
/// one segment.
macro_rules! get_by_id {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $output:ty {
            $(#[$new_doc:meta])*
            new;
            $(#[$id_doc:meta])*
            $id:ident: $id_ty:ty = $path:literal $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $id: $id_ty,
        }

        impl $name {
            $(#[$new_doc])*
            pub fn new($id: $id_ty) -> Self {
                Self { $id }
            }

            $(#[$id_doc])*
            pub fn $id(&self) -> &$id_ty {
                &self.$id
            }
        }

        impl crate::operation::Operation for $name {
            type Output = $output;

            fn method(&self) -> ::http::Method {
                ::http::Method::GET
            }

            fn path_template(&self) -> &'static str {
                $path
            }

            fn build(
                &self,
                config: &crate::config::Config,
            ) -> Result<::http::Request<crate::body::Body>, crate::error::Error> {
                let id = crate::operation::encode_path_param(stringify!($id), self.$id.as_str())?;
                crate::operation::api_request(
                    config,
                    ::http::Method::GET,
                    &format!($path, $id = id),
                    crate::operation::Payload::Empty,
                )
            }

            fn parse(
                &self,
                response: ::http::Response<&[u8]>,
                limits: &crate::response::ResponseLimits,
            ) -> Result<Self::Output, crate::error::Error> {
                super::support::data(&::http::Method::GET, self.path_template(), &response, limits)
            }
        }
    };
}

/// Defines `DELETE {path}` for one resource: a struct holding the id and an optional caller-chosen
/// idempotency key, `new`, the `idempotency_key` setter, and an [`Operation`](crate::Operation)
/// whose output is [`heygen_model::DeletedResource`] (an empty 2xx counts as deleted).
///
/// The path template names the id field (`/v3/videos/{video_id}`); the id is percent-encoded as
/// one segment.
macro_rules! delete_by_id {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(#[$new_doc:meta])*
            new;
            $id:ident: $id_ty:ty = $path:literal $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $id: $id_ty,
            idempotency_key: Option<::heygen_model::IdempotencyKey>,
        }

        impl $name {
            $(#[$new_doc])*
            pub fn new($id: $id_ty) -> Self {
                Self {
                    $id,
                    idempotency_key: None,
                }
            }

            /// Uses this idempotency key instead of a generated one.
            #[must_use]
            pub fn idempotency_key(mut self, key: ::heygen_model::IdempotencyKey) -> Self {
                self.idempotency_key = Some(key);
                self
            }
        }

        impl crate::operation::Operation for $name {
            type Output = ::heygen_model::DeletedResource;

            fn method(&self) -> ::http::Method {
                ::http::Method::DELETE
            }

            fn path_template(&self) -> &'static str {
                $path
            }

            fn idempotency_key(&self) -> Option<&str> {
                super::support::key_str(self.idempotency_key.as_ref())
            }

            fn build(
                &self,
                config: &crate::config::Config,
            ) -> Result<::http::Request<crate::body::Body>, crate::error::Error> {
                let id = crate::operation::encode_path_param(stringify!($id), self.$id.as_str())?;
                crate::operation::api_request(
                    config,
                    ::http::Method::DELETE,
                    &format!($path, $id = id),
                    crate::operation::Payload::Empty,
                )
            }

            fn parse(
                &self,
                response: ::http::Response<&[u8]>,
                limits: &crate::response::ResponseLimits,
            ) -> Result<Self::Output, crate::error::Error> {
                super::support::deleted(
                    &::http::Method::DELETE,
                    self.path_template(),
                    self.$id.as_str(),
                    &response,
                    limits,
                )
            }
        }
    };
}

/// Defines `GET {path}` answering one page of `$item`s for a query: a struct holding the query,
/// `new`, `query()`, and an [`Operation`](crate::Operation) that validates the query, sends it
/// encoded after the path and decodes the whole page. The doc comments before `new;` document
/// `new`.
macro_rules! query_page {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $item:ty {
            $(#[$new_meta:meta])*
            new;
            query: $query_ty:ty = $path:literal $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            query: $query_ty,
        }

        impl $name {
            $(#[$new_meta])*
            pub fn new(query: $query_ty) -> Self {
                Self { query }
            }

            /// The query.
            pub fn query(&self) -> &$query_ty {
                &self.query
            }
        }

        impl crate::operation::Operation for $name {
            type Output = ::heygen_model::ListPage<$item>;

            fn method(&self) -> ::http::Method {
                ::http::Method::GET
            }

            fn path_template(&self) -> &'static str {
                $path
            }

            fn build(
                &self,
                config: &crate::config::Config,
            ) -> Result<::http::Request<crate::body::Body>, crate::error::Error> {
                self.query.validate()?;
                let query = crate::operation::encode_query(&self.query.to_query_pairs());
                crate::operation::api_request(
                    config,
                    ::http::Method::GET,
                    &format!(concat!($path, "{}"), query),
                    crate::operation::Payload::Empty,
                )
            }

            fn parse(
                &self,
                response: ::http::Response<&[u8]>,
                limits: &crate::response::ResponseLimits,
            ) -> Result<Self::Output, crate::error::Error> {
                super::support::page(&::http::Method::GET, self.path_template(), &response, limits)
            }
        }
    };
}

/// Implements [`Paginate`](crate::Paginate) for an operation whose `query` field carries the
/// page cursor as `token`: the next page is the same operation with another token.
macro_rules! paginate_by_token {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        impl crate::paginate::Paginate for $name {
            fn with_token(&self, token: Option<&str>) -> Self {
                let mut next = self.clone();
                next.query.token = token.map(str::to_owned);
                next
            }

            fn page_token(&self) -> Option<&str> {
                self.query.token.as_deref()
            }
        }
    };
}

/// Defines `GET {path}` for one page of a list: `query_page!` with a `Default` (the first page
/// of an empty query) and [`Paginate`](crate::Paginate) over the query's `token`.
macro_rules! list_page {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $item:ty {
            query: $query_ty:ty = $path:literal $(,)?
        }
    ) => {
        super::macros::query_page! {
            $(#[$meta])*
            #[derive(Default)]
            pub struct $name => $item {
                /// A page matching `query`.
                new;
                query: $query_ty = $path,
            }
        }

        super::macros::paginate_by_token!($name);
    };
}

/// Defines `GET {path}` for one page of an async batch's items: a struct holding the batch id
/// and a [`BatchPageQuery`](heygen_model::BatchPageQuery), `new` (the first page), `page`,
/// `batch_id()`, `query()`, an [`Operation`](crate::Operation) decoding `data` as `$output`, and
/// [`Paginate`](crate::Paginate) over the query's `token` (the page size is kept). The doc
/// comments before `new;` document `new`.
macro_rules! batch_page {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $output:ty {
            $(#[$new_meta:meta])*
            new;
            batch_id: BatchId = $path:literal $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            batch_id: ::heygen_model::BatchId,
            query: ::heygen_model::BatchPageQuery,
        }

        impl $name {
            $(#[$new_meta])*
            pub fn new(batch_id: ::heygen_model::BatchId) -> Self {
                Self {
                    batch_id,
                    query: ::heygen_model::BatchPageQuery::new(),
                }
            }

            /// Asks for the page described by `query` (size and cursor).
            #[must_use]
            pub fn page(mut self, query: ::heygen_model::BatchPageQuery) -> Self {
                self.query = query;
                self
            }

            /// The batch id.
            pub fn batch_id(&self) -> &::heygen_model::BatchId {
                &self.batch_id
            }

            /// The page asked for.
            pub fn query(&self) -> &::heygen_model::BatchPageQuery {
                &self.query
            }
        }

        impl crate::operation::Operation for $name {
            type Output = $output;

            fn method(&self) -> ::http::Method {
                ::http::Method::GET
            }

            fn path_template(&self) -> &'static str {
                $path
            }

            fn build(
                &self,
                config: &crate::config::Config,
            ) -> Result<::http::Request<crate::body::Body>, crate::error::Error> {
                self.query.validate()?;
                let id = crate::operation::encode_path_param("batch_id", self.batch_id.as_str())?;
                let query = crate::operation::encode_query(&self.query.to_query_pairs());
                crate::operation::api_request(
                    config,
                    ::http::Method::GET,
                    &format!(concat!($path, "{query}"), batch_id = id, query = query),
                    crate::operation::Payload::Empty,
                )
            }

            fn parse(
                &self,
                response: ::http::Response<&[u8]>,
                limits: &crate::response::ResponseLimits,
            ) -> Result<Self::Output, crate::error::Error> {
                super::support::data(&::http::Method::GET, self.path_template(), &response, limits)
            }
        }

        super::macros::paginate_by_token! {
            /// The same read at another cursor, keeping the page size.
            $name
        }
    };
}

pub(super) use {
    batch_page, create_from_json, delete_by_id, get_by_id, json_by_id, list_page,
    paginate_by_token, query_page,
};

//! Looks: list, get, update, delete.

use heygen_model::{ListLooksQuery, Look, LookId, UpdateLookRequest};

use super::macros::{delete_by_id, get_by_id, json_by_id, list_page};

list_page! {
    /// `GET /v3/avatars/looks`: one page of looks (`limit` 1 to 50; a larger limit is rejected
    /// before sending). Filters: `group_id`, `avatar_type`, `ownership`.
    pub struct ListLooks => Look {
        query: ListLooksQuery = "/v3/avatars/looks",
    }
}

get_by_id! {
    /// `GET /v3/avatars/looks/{look_id}`: one look, with its training status.
    pub struct GetLook => Look {
        /// The look `look_id`.
        new;
        /// The look id.
        look_id: LookId = "/v3/avatars/looks/{look_id}",
    }
}

json_by_id! {
    /// `PATCH /v3/avatars/looks/{look_id}`: renames a look. With no changes the body is `{}`.
    pub struct UpdateLook => Look {
        /// Applies `request` to `look_id`.
        new(look_id: LookId, request: UpdateLookRequest);
        PATCH "/v3/avatars/looks/{look_id}",
    }
}

delete_by_id! {
    /// `DELETE /v3/avatars/looks/{look_id}`: deletes a look (and its group when it was the last).
    pub struct DeleteLook {
        /// Deletes `look_id`.
        new;
        look_id: LookId = "/v3/avatars/looks/{look_id}",
    }
}

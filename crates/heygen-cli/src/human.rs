//! `--human` rendering: aligned `field  value` lines for one resource, a table for lists.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::output::is_blank;

/// Columns shown for list items, in this order, when present in any item.
const LIST_COLUMNS: &[&str] = &[
    "id",
    "asset_id",
    "video_id",
    "name",
    "title",
    "avatar_type",
    "status",
    "consent_status",
    "group_id",
    "looks_count",
    "created_at",
];

/// Renders a `{"data": …}` document (or any object) as aligned lines.
pub(crate) fn document(value: &Value) -> String {
    let inner = value.get("data").unwrap_or(value);
    let mut out = String::new();
    match inner {
        Value::Object(map) => fields(&mut out, map, ""),
        other => {
            let _ = writeln!(out, "{}", scalar(other));
        }
    }
    out
}

fn fields(out: &mut String, map: &Map<String, Value>, prefix: &str) {
    let mut rows: Vec<(String, String)> = Vec::new();
    flatten(map, prefix, &mut rows);
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (key, value) in rows {
        let _ = writeln!(out, "{key:<width$}  {value}");
    }
}

fn flatten(map: &Map<String, Value>, prefix: &str, rows: &mut Vec<(String, String)>) {
    for (key, value) in map {
        if is_blank(value) {
            continue;
        }
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => flatten(inner, &name, rows),
            Value::Array(items) if items.is_empty() => {}
            other => rows.push((name, scalar(other))),
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(scalar).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// Renders a list document as a table, followed by the next page token when there is one.
pub(crate) fn list(value: &Value) -> String {
    let empty = Vec::new();
    let items = value
        .get("data")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let columns: Vec<&str> = LIST_COLUMNS
        .iter()
        .copied()
        .filter(|c| {
            items
                .iter()
                .any(|i| i.get(*c).is_some_and(|v| !is_blank(v)))
        })
        .collect();
    let mut out = String::new();
    if items.is_empty() || columns.is_empty() {
        let _ = writeln!(out, "(no items)");
    } else {
        let cells: Vec<Vec<String>> = items
            .iter()
            .map(|item| {
                columns
                    .iter()
                    .map(|c| item.get(*c).map(scalar).unwrap_or_default())
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                cells
                    .iter()
                    .map(|row| row[i].chars().count())
                    .chain([c.len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let header: Vec<String> = columns.iter().map(|c| c.to_ascii_uppercase()).collect();
        write_row(&mut out, &header, &widths);
        for row in &cells {
            write_row(&mut out, row, &widths);
        }
    }
    if let Some(token) = value.get("next_token").and_then(Value::as_str) {
        let _ = writeln!(out, "next page: --token {token}");
    }
    out
}

fn write_row(out: &mut String, row: &[String], widths: &[usize]) {
    let mut line = String::new();
    for (cell, width) in row.iter().zip(widths) {
        let _ = write!(line, "{cell:<width$}  ");
    }
    let _ = writeln!(out, "{}", line.trim_end());
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_resource_renders_as_aligned_fields() {
        let text = super::document(
            &json!({"data": {"id": "grp_1", "name": "Ann", "error": null,
            "nested": {"code": "x"}}}),
        );
        assert_eq!(
            text,
            "id           grp_1\nname         Ann\nnested.code  x\n"
        );
    }

    #[test]
    fn a_list_renders_as_a_table() {
        let text = super::list(&json!({"data": [{"id": "a", "name": "Ann", "x": 1},
            {"id": "bb", "name": "B"}], "has_more": true, "next_token": "t2"}));
        assert_eq!(text, "ID  NAME\na   Ann\nbb  B\nnext page: --token t2\n");
    }
}

//! `--human` rendering: aligned `field  value` lines for one resource, a table for lists.
//!
//! The JSON text is read back into an order-keeping tree so fields appear in the order the
//! SDK's types declare them.

use std::fmt::{self, Write as _};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Columns shown for list items, in this order, when present in any item.
const LIST_COLUMNS: &[&str] = &[
    "id",
    "asset_id",
    "video_id",
    "voice_id",
    "name",
    "title",
    "avatar_type",
    "status",
    "consent_status",
    "group_id",
    "looks_count",
    "created_at",
];

/// A JSON value whose objects keep their key order.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Text(String),
    Scalar(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Node::Null => true,
            Node::Text(s) => s.is_empty(),
            _ => false,
        }
    }

    fn scalar(&self) -> String {
        match self {
            Node::Null => String::new(),
            Node::Text(s) | Node::Scalar(s) => s.clone(),
            Node::Array(items) => items
                .iter()
                .map(Node::scalar)
                .collect::<Vec<_>>()
                .join(", "),
            Node::Object(fields) => fields
                .iter()
                .map(|(k, v)| format!("{k}={}", v.scalar()))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            fields.push((key, value));
        }
        Ok(Node::Object(fields))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

fn parse(json: &str) -> Node {
    serde_json::from_str(json).unwrap_or(Node::Null)
}

/// Renders a `{"data": …}` document as aligned lines.
pub(crate) fn document(json: &str) -> String {
    let root = parse(json);
    let inner = root.get("data").unwrap_or(&root);
    let mut out = String::new();
    match inner {
        Node::Object(fields) => {
            let mut rows: Vec<(String, String)> = Vec::new();
            flatten(fields, "", &mut rows);
            let width = rows
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(0);
            for (key, value) in rows {
                let _ = writeln!(out, "{key:<width$}  {value}");
            }
        }
        other => {
            let _ = writeln!(out, "{}", other.scalar());
        }
    }
    out
}

fn flatten(fields: &[(String, Node)], prefix: &str, rows: &mut Vec<(String, String)>) {
    for (key, value) in fields {
        if value.is_blank() {
            continue;
        }
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Node::Object(inner) => flatten(inner, &name, rows),
            Node::Array(items) if items.is_empty() => {}
            other => rows.push((name, other.scalar())),
        }
    }
}

/// Renders a list document as a table, followed by the next page token when there is one.
pub(crate) fn list(json: &str) -> String {
    let root = parse(json);
    let items: &[Node] = match root.get("data") {
        Some(Node::Array(items)) => items,
        _ => &[],
    };
    let columns: Vec<&str> = LIST_COLUMNS
        .iter()
        .copied()
        .filter(|c| {
            items
                .iter()
                .any(|i| i.get(c).is_some_and(|v| !v.is_blank()))
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
                    .map(|c| item.get(c).map(Node::scalar).unwrap_or_default())
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
    if let Some(Node::Text(token)) = root.get("next_token") {
        let _ = writeln!(out, "next page: --token {token}");
    }
    out
}

/// Columns are padded to at most this many characters; a longer cell is printed whole.
/// (Rust's formatter also refuses widths above 65 535, and server text can be that long.)
const MAX_COLUMN_WIDTH: usize = 120;

fn write_row(out: &mut String, row: &[String], widths: &[usize]) {
    let mut line = String::new();
    for (cell, width) in row.iter().zip(widths) {
        let width = (*width).min(MAX_COLUMN_WIDTH);
        let _ = write!(line, "{cell:<width$}  ");
    }
    let _ = writeln!(out, "{}", line.trim_end());
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_resource_renders_as_aligned_fields_in_declared_order() {
        let text = super::document(
            r#"{"data": {"name": "Ann", "id": "grp_1", "error": null, "nested": {"code": "x"},
            "tags": ["a", "b"], "n": 1.5}}"#,
        );
        assert_eq!(
            text,
            "name         Ann\nid           grp_1\nnested.code  x\ntags         a, b\nn            1.5\n"
        );
    }

    #[test]
    fn a_list_renders_as_a_table() {
        let text = super::list(
            r#"{"data": [{"name": "Ann", "id": "a", "x": 1}, {"id": "bb", "name": "B"}],
            "has_more": true, "next_token": "t2"}"#,
        );
        assert_eq!(text, "ID  NAME\na   Ann\nbb  B\nnext page: --token t2\n");
    }

    #[test]
    fn a_cell_wider_than_the_formatter_allows_is_printed_whole() {
        let name = "a".repeat(100_000);
        let text = super::list(&format!(
            r#"{{"data": [{{"id": "a", "name": "{name}"}}, {{"id": "bb", "name": "B"}}]}}"#
        ));
        assert!(text.contains(&name));
        assert!(text.lines().any(|line| line.starts_with("bb  B")));
    }

    #[test]
    fn garbage_renders_as_nothing_rather_than_panicking() {
        assert_eq!(super::list("not json"), "(no items)\n");
        assert_eq!(super::document("[1, 2"), "\n");
    }
}

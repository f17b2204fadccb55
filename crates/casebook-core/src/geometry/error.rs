//! [`GeoError`]: what went wrong reading, editing or pasting geometry, and where.
//!
//! Messages say what and where (line/column, a JSON path, or an edit address) but not which file:
//! the caller knows the path and adds it once, at the edge.

use thiserror::Error;

/// An error from the geometry module; never a panic.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GeoError {
    /// The text is not JSON, or not GeoJSON (a syntax error, an unknown `type`, a missing
    /// member, a number out of range, nesting deeper than 128 levels, a truncated file...).
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// 1-based column of the problem (0 when unknown).
        column: usize,
        /// What is wrong, in words.
        message: String,
    },
    /// The JSON parsed, but a value inside is unusable (e.g. a position with one number).
    #[error("{path}: {message}")]
    Invalid {
        /// Where, as a JSON path such as `features[2].geometry.coordinates[0][5]`.
        path: String,
        /// What is wrong, in words.
        message: String,
    },
    /// An edit addressed something that does not exist (index out of range).
    #[error("{0} does not exist")]
    NoSuchTarget(String),
    /// An edit was refused because it would leave the geometry unusable or carries bad numbers.
    #[error("edit refused: {0}")]
    Refused(String),
    /// Pasted text could not be read as coordinates.
    #[error("line {line}: {message}")]
    Paste {
        /// 1-based line of the pasted text.
        line: usize,
        /// What is wrong, in words, with a hint of the expected format.
        message: String,
    },
}

impl GeoError {
    /// A [`GeoError::Json`] from a `serde_json` error, keeping its line and column.
    pub(crate) fn from_json(err: &serde_json::Error) -> Self {
        let full = err.to_string();
        // serde_json appends " at line L column C"; keep the message without it.
        let message = match full.rfind(" at line ") {
            Some(i) if err.line() > 0 => full[..i].to_string(),
            _ => full,
        };
        let message = if message.contains("recursion limit exceeded") {
            "nested too deeply (more than 128 levels of arrays/objects)".to_string()
        } else if err.is_eof() {
            format!("{message} (the file ends too early: is it truncated?)")
        } else {
            message
        };
        GeoError::Json {
            line: err.line(),
            column: err.column(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_keep_position() {
        let Err(err) = serde_json::from_str::<serde_json::Value>("{\n  \"a\": [1,\n") else {
            panic!("should fail");
        };
        let e = GeoError::from_json(&err);
        let GeoError::Json { line, message, .. } = &e else {
            panic!("wrong variant {e:?}");
        };
        assert_eq!(*line, 3);
        assert!(message.contains("truncated"), "{message}");
        assert!(e.to_string().starts_with("line 3, column"), "{e}");
    }
}

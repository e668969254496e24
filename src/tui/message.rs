//! The line above the footer that says what the last key did, or why it did nothing.

/// How much a [`Message`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// One line above the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub level: Level,
    pub text: String,
}

impl Message {
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            level: Level::Info,
            text: text.into(),
        }
    }

    pub fn warn(text: impl Into<String>) -> Self {
        Self {
            level: Level::Warn,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            text: text.into(),
        }
    }
}

/// What a write key says in read-only mode.
pub const READ_ONLY: &str = "read-only: nothing can be changed (ztharden runs with --read-only or \
     ZTHARDEN_READ_ONLY); start it without them to apply or undo";

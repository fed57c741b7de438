//! Why an ETF term could not be read or written.

use std::fmt;

/// An ETF term that could not be decoded (or a value that could not be encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(docsrs, doc(cfg(feature = "etf")))]
pub struct EtfError {
    what: &'static str,
    offset: usize,
    tag: Option<u8>,
}

impl EtfError {
    pub(crate) fn new(what: &'static str, offset: usize) -> Self {
        Self {
            what,
            offset,
            tag: None,
        }
    }

    pub(crate) fn tag(tag: u8, offset: usize) -> Self {
        Self {
            what: "unsupported term tag",
            offset,
            tag: Some(tag),
        }
    }

    /// What was wrong.
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// The byte offset in the input where it went wrong.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for EtfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid ETF at byte {}: {}", self.offset, self.what)?;
        if let Some(tag) = self.tag {
            write!(f, " {tag}")?;
        }
        Ok(())
    }
}

impl std::error::Error for EtfError {}

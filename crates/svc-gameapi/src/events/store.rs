//! Where reported attacks are remembered, so each is reported once.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use parking_lot::Mutex;

/// A set of keys already reported. Implement it over a database to share it between
/// processes; [`MemoryStore`] and [`FileStore`] come with the crate.
pub trait SeenStore: Send + Sync + 'static {
    /// Whether `key` was recorded.
    fn contains(&self, key: &str) -> bool;
    /// Records `key`; `true` if it was not recorded before.
    fn insert(&self, key: &str) -> bool;
}

/// An in-memory [`SeenStore`] (forgets on restart).
#[derive(Debug, Default)]
pub struct MemoryStore {
    keys: Mutex<HashSet<String>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl SeenStore for MemoryStore {
    fn contains(&self, key: &str) -> bool {
        self.keys.lock().contains(key)
    }

    fn insert(&self, key: &str) -> bool {
        self.keys.lock().insert(key.to_owned())
    }
}

/// A [`SeenStore`] appending one key per line to a file, read back on open: attacks
/// reported before a restart are not reported again after it.
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    keys: Mutex<(HashSet<String>, File)>,
}

impl FileStore {
    /// Opens (or creates) the file at `path`.
    pub fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref().to_owned();
        let mut keys = HashSet::new();
        if let Ok(file) = File::open(&path) {
            for line in BufReader::new(file).lines() {
                let line = line?;
                if !line.is_empty() {
                    keys.insert(line);
                }
            }
        }
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        Ok(Self {
            path,
            keys: Mutex::new((keys, file)),
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl SeenStore for FileStore {
    fn contains(&self, key: &str) -> bool {
        self.keys.lock().0.contains(key)
    }

    fn insert(&self, key: &str) -> bool {
        let mut guard = self.keys.lock();
        let (keys, file) = &mut *guard;
        if !keys.insert(key.to_owned()) {
            return false;
        }
        // Keys hold no newline (tags and numbers), so one per line round-trips.
        if let Err(error) = writeln!(file, "{}", key.replace('\n', " ")) {
            tracing::warn!(%error, path = %self.path.display(), "could not persist a seen key");
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_store_survives_reopen() {
        let path =
            std::env::temp_dir().join(format!("svc-gameapi-store-{}.txt", std::process::id()));
        let _ = std::fs::remove_file(&path);
        {
            let store = FileStore::open(&path).unwrap();
            assert!(store.insert("a"));
            assert!(!store.insert("a"));
            assert!(store.insert("b"));
        }
        let store = FileStore::open(&path).unwrap();
        assert!(store.contains("a") && store.contains("b") && !store.contains("c"));
        assert!(!store.insert("b"));
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn memory_store() {
        let store = MemoryStore::new();
        assert!(!store.contains("x"));
        assert!(store.insert("x"));
        assert!(store.contains("x"));
    }
}

//! A bounded set of recently seen `message_id`s: Twitch may deliver a message twice (and a
//! make-before-break reconnect can overlap two sockets), so each id is let through once.

use std::collections::{HashSet, VecDeque};

/// Remembers the last `capacity` message ids, forgetting the oldest first.
#[derive(Debug)]
pub(crate) struct RecentIds {
    order: VecDeque<String>,
    seen: HashSet<String>,
    capacity: usize,
}

impl RecentIds {
    pub(crate) fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        // Grown as ids arrive: a huge configured capacity must not allocate (or abort) up
        // front.
        let initial = capacity.min(Self::PREALLOCATED);
        Self {
            order: VecDeque::with_capacity(initial),
            seen: HashSet::with_capacity(initial),
            capacity,
        }
    }

    /// Ids room is made for up front.
    const PREALLOCATED: usize = 4096;

    /// `true` the first time an id is seen (while it is still remembered), `false` after.
    pub(crate) fn first_time(&mut self, id: &str) -> bool {
        if self.seen.contains(id) {
            return false;
        }
        if self.order.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.seen.remove(&oldest);
        }
        self.order.push_back(id.to_owned());
        self.seen.insert(id.to_owned());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::RecentIds;

    #[test]
    fn a_huge_capacity_allocates_nothing_up_front() {
        let mut ids = RecentIds::new(usize::MAX);
        assert!(ids.first_time("a"));
        assert!(!ids.first_time("a"));
    }

    #[test]
    fn repeats_are_filtered_and_old_ids_forgotten() {
        let mut ids = RecentIds::new(2);
        assert!(ids.first_time("a"));
        assert!(!ids.first_time("a"));
        assert!(ids.first_time("b"));
        assert!(ids.first_time("c")); // evicts "a"
        assert!(!ids.first_time("b"));
        assert!(ids.first_time("a"));
    }
}

//! Compiled [`Destination`]s shared by identical settings, so that building one per request
//! costs a lookup rather than a compile (a tracking plan's schemas take milliseconds to compile).
//!
//! Each compiled Destination has a handle, a small integer, and a count of its holders. The
//! WebAssembly glue keeps one cache per module instance: a JS `Destination` holds no memory of its
//! own in the module, only (through a token shared by every JS Destination with the same settings)
//! a handle, and the token holds the handle. So the number of JS Destinations alive costs the
//! module nothing, and nothing per Destination waits for garbage collection to be released.
//!
//! A compiled Destination nobody holds is kept, for the next one built with the same settings,
//! among the [`idle`](DestinationCache::idle) ones: at most `idle_capacity` of them, the least
//! recently used dropped first. One that is held is never dropped.
//!
//! ```
//! use astrolabe_segment::destination_cache::DestinationCache;
//! use astrolabe_segment::{Config, Destination};
//!
//! let mut cache = DestinationCache::new(2);
//! let build = || Destination::new(Config::from_json(r#"{"strict": true}"#)?);
//! let first = cache.handle_for(r#"{"strict":true}"#, build)?;
//! // The same settings again: the same compiled Destination, not built again.
//! let again = cache.handle_for(r#"{"strict":true}"#, || unreachable!("built twice"))?;
//! assert_eq!(first, again);
//! assert!(cache.get(first).is_some());
//! # Ok::<(), astrolabe_segment::ConfigError>(())
//! ```

use std::rc::Rc;

use crate::Destination;

/// How many compiled Destinations nobody holds the WebAssembly module keeps for reuse.
pub const IDLE_KEPT: usize = 16;

/// Compiled Destinations by the text of their settings; see the [module](self) documentation.
///
/// Found by a scan, not a hash: what is kept is what live JS Destinations hold (distinct settings,
/// a few as a rule) and at most `idle_capacity` more, and the scan keeps the lite build within its
/// size budget.
#[derive(Debug, Default)]
pub struct DestinationCache {
    /// By handle; a dropped one leaves its place free for the next.
    slots: Vec<Option<Slot>>,
    idle_capacity: usize,
    /// Counts uses, to find the least recently used idle one.
    clock: u64,
}

#[derive(Debug)]
struct Slot {
    key: Box<str>,
    destination: Rc<Destination>,
    holders: u32,
    used: u64,
}

impl DestinationCache {
    /// An empty cache that keeps at most `idle_capacity` compiled Destinations nobody holds.
    pub fn new(idle_capacity: usize) -> DestinationCache {
        DestinationCache { idle_capacity, ..DestinationCache::default() }
    }

    /// The handle of the Destination compiled from the settings whose text is `key`: the one
    /// already compiled, or the one `build` makes (then idle until [`hold`](Self::hold) is called).
    /// A `build` that fails leaves nothing behind. The text is the key as it is: settings spelled
    /// differently (another key order, spaces) are compiled apart.
    pub fn handle_for<E>(&mut self, key: &str, build: impl FnOnce() -> Result<Destination, E>) -> Result<u32, E> {
        self.clock += 1;
        let used = self.clock;
        let found = self.slots.iter_mut().enumerate().find_map(|(at, place)| {
            let slot = place.as_mut().filter(|slot| &*slot.key == key)?;
            slot.used = used;
            Some(at)
        });
        let at = match found {
            Some(at) => at,
            None => {
                let slot = Slot { key: key.into(), destination: Rc::new(build()?), holders: 0, used };
                let at = match self.slots.iter().position(Option::is_none) {
                    Some(at) => at,
                    None => {
                        self.slots.push(None);
                        self.slots.len() - 1
                    }
                };
                if let Some(place) = self.slots.get_mut(at) {
                    *place = Some(slot);
                }
                self.trim(at);
                at
            }
        };
        Ok(u32::try_from(at).unwrap_or(u32::MAX))
    }

    /// The compiled Destination of `handle`, while it is kept.
    pub fn get(&self, handle: u32) -> Option<Rc<Destination>> {
        self.slot(handle).map(|slot| Rc::clone(&slot.destination))
    }

    /// One more holder of `handle`: it is kept until every holder has [released](Self::release) it.
    pub fn hold(&mut self, handle: u32) {
        if let Some(slot) = self.slot_mut(handle) {
            slot.holders = slot.holders.saturating_add(1);
        }
    }

    /// One holder fewer of `handle`; held by none, it is idle (and the least recently used idle
    /// one past the bound is dropped).
    pub fn release(&mut self, handle: u32) {
        self.clock += 1;
        let used = self.clock;
        let Some(slot) = self.slot_mut(handle).filter(|slot| slot.holders > 0) else { return };
        slot.holders -= 1;
        if slot.holders == 0 {
            slot.used = used;
            self.trim(handle as usize);
        }
    }

    /// How many compiled Destinations are kept, held or idle.
    pub fn len(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many kept compiled Destinations nobody holds.
    pub fn idle(&self) -> usize {
        self.slots.iter().flatten().filter(|slot| slot.holders == 0).count()
    }

    fn slot(&self, handle: u32) -> Option<&Slot> {
        self.slots.get(handle as usize).and_then(Option::as_ref)
    }

    fn slot_mut(&mut self, handle: u32) -> Option<&mut Slot> {
        self.slots.get_mut(handle as usize).and_then(Option::as_mut)
    }

    /// Drops the least recently used idle ones past the bound, never the one at `keep` (just made
    /// or released: its caller is about to use it).
    fn trim(&mut self, keep: usize) {
        while self.idle() > self.idle_capacity {
            let oldest = (self.slots.iter().enumerate())
                .filter_map(|(at, place)| place.as_ref().map(|slot| (at, slot)))
                .filter(|(at, slot)| slot.holders == 0 && *at != keep)
                .min_by_key(|(_, slot)| slot.used)
                .map(|(at, _)| at);
            match oldest.and_then(|at| self.slots.get_mut(at)) {
                Some(place) => *place = None,
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, ConfigError};
    use std::cell::Cell;

    fn strict(strict: bool) -> Result<Destination, ConfigError> {
        Destination::new(Config { strict, ..Config::default() })
    }

    #[test]
    fn identical_settings_are_compiled_once() {
        let built = Cell::new(0);
        let mut cache = DestinationCache::new(4);
        let build = || {
            built.set(built.get() + 1);
            strict(true)
        };
        let handles: Vec<u32> = (0..1000).map(|_| cache.handle_for("{\"strict\":true}", build).unwrap()).collect();
        assert_eq!(built.get(), 1);
        assert!(handles.iter().all(|&handle| handle == handles[0]));
        let other = cache.handle_for("{\"strict\":false}", || strict(false)).unwrap();
        assert_ne!(other, handles[0]);
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn a_failed_build_leaves_nothing() {
        let mut cache = DestinationCache::new(4);
        let failed =
            cache.handle_for("{\"strcit\":true}", || Destination::new(Config::from_json("{\"strcit\":true}")?));
        assert!(failed.unwrap_err().to_string().contains("strcit"));
        assert!(cache.is_empty());
    }

    /// True when the settings `key` are kept (asking marks them used, as a build would).
    fn kept(cache: &mut DestinationCache, key: &str) -> bool {
        cache.handle_for(key, || Err(ConfigError::new("not kept"))).is_ok()
    }

    #[test]
    fn idle_ones_are_bounded_and_held_ones_are_kept() {
        let mut cache = DestinationCache::new(2);
        let held = cache.handle_for("held", || strict(true)).unwrap();
        cache.hold(held);
        let idle: Vec<u32> =
            (0..10).map(|i| cache.handle_for(&format!("idle {i}"), || strict(false)).unwrap()).collect();
        assert_eq!(cache.idle(), 2, "the idle ones past the bound are dropped");
        assert_eq!(cache.len(), 3);
        assert!(cache.get(held).is_some(), "a held one is never dropped");
        assert!(!kept(&mut cache, "idle 0") && !kept(&mut cache, "idle 7"));
        // Places are reused: the handles stay small however many settings came and went.
        assert!(idle.iter().all(|&handle| handle < 4), "{idle:?}");
        assert!(kept(&mut cache, "idle 8") && kept(&mut cache, "idle 9"));

        // Released by its last holder, it is idle, and the least recently used idle one goes.
        cache.hold(held);
        cache.release(held);
        assert_eq!(cache.idle(), 2);
        cache.release(held);
        assert!(cache.get(held).is_some(), "just released: kept, the least recently used idle one dropped");
        assert!(!kept(&mut cache, "idle 8"));
        assert!(kept(&mut cache, "idle 9"));
        assert_eq!(cache.idle(), 2);
        // Releasing more than held, or a handle that is gone, does nothing.
        cache.release(held);
        cache.release(9999);
        cache.hold(9999);
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn used_again_an_idle_one_is_dropped_last() {
        let mut cache = DestinationCache::new(2);
        cache.handle_for("a", || strict(true)).unwrap();
        cache.handle_for("b", || strict(true)).unwrap();
        assert!(kept(&mut cache, "a"));
        cache.handle_for("c", || strict(true)).unwrap();
        assert!(kept(&mut cache, "a"));
        assert!(!kept(&mut cache, "b"));
    }

    #[test]
    fn the_cost_of_a_lookup_does_not_grow_with_the_destinations_built() {
        // What a JS Destination per request does: the same settings, again and again.
        let mut cache = DestinationCache::new(IDLE_KEPT);
        let first = cache.handle_for("{}", || strict(false)).unwrap();
        cache.hold(first);
        for _ in 0..100_000 {
            assert_eq!(cache.handle_for("{}", || strict(false)).unwrap(), first);
        }
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_shared_destination_answers_as_its_own() {
        let mut cache = DestinationCache::new(IDLE_KEPT);
        let handle = cache.handle_for("{\"strict\":true}", || strict(true)).unwrap();
        let text = br#"{"type":"track","userId":42,"event":"e"}"#;
        let options = crate::MapOptions::default();
        let shared = cache.get(handle).unwrap().map_json_text(text, &options);
        assert_eq!(shared, strict(true).unwrap().map_json_text(text, &options));
        assert!(shared.contains("\"status\":\"invalid\""));
    }
}

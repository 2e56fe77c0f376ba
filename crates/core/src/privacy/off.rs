//! A build without personal data detection (the lite build): `Privacy` is a type no value has,
//! so that no setting can reach the engine and the engine's calls to it compile to nothing.

use crate::pointer::Pointer;
use crate::spec::Report;

/// The `privacy` settings: none can exist in this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Privacy {}

/// What was found: nothing can be, in this build.
#[derive(Debug, Clone)]
pub enum Found {}

/// The members of a message whose strings are read: none.
pub(crate) const MEMBERS: [(&str, &str); 0] = [];

impl Privacy {
    /// More allowed paths.
    pub fn allow_more(&mut self, _: Vec<Vec<String>>) {
        match *self {}
    }

    pub(crate) fn scan(&self, _: &str, _: usize, _: &str, _: &mut Vec<Found>) {
        match *self {}
    }

    pub(crate) fn report(&self, _: &[Found], _: &Pointer, _: &mut Report) {
        match *self {}
    }

    pub(crate) fn rewrites(&self) -> bool {
        match *self {}
    }

    pub(crate) fn rewrite(&self, _: &str, _: &[Found]) -> String {
        match *self {}
    }
}

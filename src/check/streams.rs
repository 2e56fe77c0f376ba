//! The streams one worker reads: a whole piece of lines framed at once, or a stream fed in pieces
//! (a pretty-printed document, a line longer than a buffer) with its [`Framer`] kept between them.
//! `check` and `infer` read their input through this one place and differ only in what they do
//! with each value found.

use std::collections::BTreeMap;

use super::frame::{End, Framed, Framer, Framing};

/// The streams open at once, by the id the reader gave each.
#[derive(Debug, Default)]
pub(crate) struct Streams {
    open: BTreeMap<u32, Stream>,
}

#[derive(Debug)]
struct Stream {
    file: String,
    framer: Framer,
}

/// Frames a whole piece of a stream: `bytes` whose first byte is on `first_line` of `file`, ending
/// where a line ends (or where the stream does); `found` gets each value with the file.
pub(crate) fn frame_piece(
    file: &str,
    framing: Framing,
    first_line: u64,
    bytes: &[u8],
    found: &mut impl FnMut(&str, Framed<'_>),
) {
    let mut framer = Framer::new(framing, first_line);
    framer.feed(bytes, &mut |framed| found(file, framed));
    framer.end(End::Complete, &mut |framed| found(file, framed));
}

impl Streams {
    /// Opens stream `id` of `file`, its first byte on `first_line`. An open stream of the same id
    /// is closed as truncated first (its value left open goes nowhere).
    pub fn open(
        &mut self,
        id: u32,
        file: &str,
        framing: Framing,
        first_line: u64,
        found: &mut impl FnMut(&str, Framed<'_>),
    ) {
        self.close(id, End::Truncated, found);
        self.open.insert(id, Stream { file: file.to_owned(), framer: Framer::new(framing, first_line) });
    }

    /// The next piece of stream `id`; false when no such stream is open.
    pub fn feed(&mut self, id: u32, bytes: &[u8], found: &mut impl FnMut(&str, Framed<'_>)) -> bool {
        let Some(stream) = self.open.get_mut(&id) else { return false };
        let file = &stream.file;
        stream.framer.feed(bytes, &mut |framed| found(file, framed));
        true
    }

    /// Closes stream `id` (nothing happens when it is not open).
    pub fn close(&mut self, id: u32, end: End, found: &mut impl FnMut(&str, Framed<'_>)) {
        let Some(mut stream) = self.open.remove(&id) else { return };
        let file = &stream.file;
        stream.framer.end(end, &mut |framed| found(file, framed));
    }
}

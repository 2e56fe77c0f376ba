//! The streams one worker reads: a whole piece of lines framed at once, or a stream fed in pieces
//! (a pretty-printed document, a line longer than a buffer) with its [`Framer`] kept between them.
//! `check`, `infer` and `diff --traffic` read their input through this one [`Reader`] and differ
//! only in what they do with each value found ([`Reads`]: a [`Checker`](super::Checker) counts,
//! an [`Inferrer`](super::Inferrer) gathers, a [`Replayer`](super::Replayer) replays).

use std::collections::BTreeMap;

use super::frame::{End, Framed, Framer, Framing};
use super::Problem;

/// What a reader does with what its streams find.
pub trait Reads {
    /// One value found in `file`, or an array left open there.
    fn framed(&mut self, file: &str, framed: Framed<'_>);
    /// A file (or standard input) is being read.
    fn count_file(&mut self);
    /// A file that could not be read, as a whole (`line` `None`) or from `line` on; `detail` is
    /// the reader's own error (`ENOENT: no such file`, `unexpected end of file`).
    fn problem(&mut self, file: &str, line: Option<u64>, problem: Problem, detail: &str);
    /// How many values it has seen, for a progress line.
    fn seen(&self) -> u64;
}

/// Reads streams into `R`: one per thread; several streams may be open at once, each with its own
/// [`Framer`].
#[derive(Debug)]
pub struct Reader<R> {
    reads: R,
    streams: Streams,
}

impl<R: Reads> Reader<R> {
    /// A reader with nothing open, each value it finds to `reads`.
    pub fn with(reads: R) -> Reader<R> {
        Reader { reads, streams: Streams::default() }
    }

    /// Reads a whole piece of a stream: `bytes` whose first byte is on `first_line` of `file`,
    /// ending where a line ends (or where the stream does).
    pub fn read(&mut self, file: &str, framing: Framing, first_line: u64, bytes: &[u8]) {
        let reads = &mut self.reads;
        frame_piece(file, framing, first_line, bytes, &mut |file, framed| reads.framed(file, framed));
    }

    /// Opens stream `id`: pieces of `file` given to [`Reader::feed`] in order, the first byte on
    /// `first_line`. An open stream of the same id is closed as truncated first.
    pub fn open(&mut self, id: u32, file: &str, framing: Framing, first_line: u64) {
        let reads = &mut self.reads;
        self.streams.open(id, file, framing, first_line, &mut |file, framed| reads.framed(file, framed));
    }

    /// The next piece of stream `id`; false when no such stream is open.
    pub fn feed(&mut self, id: u32, bytes: &[u8]) -> bool {
        let reads = &mut self.reads;
        self.streams.feed(id, bytes, &mut |file, framed| reads.framed(file, framed))
    }

    /// Closes stream `id` (nothing happens when it is not open).
    pub fn close(&mut self, id: u32, end: End) {
        let reads = &mut self.reads;
        self.streams.close(id, end, &mut |file, framed| reads.framed(file, framed));
    }

    /// A file (or standard input) is being read.
    pub fn count_file(&mut self) {
        self.reads.count_file();
    }

    /// A file that could not be read, as a whole (`line` `None`) or from `line` on.
    pub fn problem(&mut self, file: &str, line: Option<u64>, problem: Problem, detail: &str) {
        self.reads.problem(file, line, problem, detail);
    }

    /// How many values were seen so far, for a progress line.
    pub fn seen(&self) -> u64 {
        self.reads.seen()
    }

    /// What the values went to.
    pub fn reads(&self) -> &R {
        &self.reads
    }

    /// What the values went to, to take its result.
    pub fn reads_mut(&mut self) -> &mut R {
        &mut self.reads
    }
}

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
fn frame_piece(file: &str, framing: Framing, first_line: u64, bytes: &[u8], found: &mut impl FnMut(&str, Framed<'_>)) {
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

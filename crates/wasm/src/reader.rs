//! The methods every reader class of the tools build shares (`Checker`, `Inferrer`, `Replayer`):
//! each wraps an `astrolabe_segment::check::Reader` as `inner`, and the CLI's worker threads feed
//! all three alike (`pkg/cli/worker.mjs`). Written once here, for each class by [`reader_methods`].

/// Puts the shared methods on `$class` (the JS class `$js`): `check`, `open`, `feed`, `close`,
/// `countFile`, `problem` and `seen`.
macro_rules! reader_methods {
    ($class:ident, $js:literal) => {
        #[wasm_bindgen(js_class = $js)]
        impl $class {
            /// `check(file, framing, firstLine, bytes)`: a piece of a stream that ends where a line does.
            pub fn check(&mut self, file: &str, framing: &str, first_line: f64, bytes: &[u8]) -> Result<(), JsValue> {
                self.inner.read(file, $crate::check::framing_of(framing)?, $crate::check::line_of(first_line), bytes);
                Ok(())
            }

            /// `open(id, file, framing, firstLine)`: a stream fed in pieces (`feed`) until `close`.
            pub fn open(&mut self, id: u32, file: &str, framing: &str, first_line: f64) -> Result<(), JsValue> {
                self.inner.open(id, file, $crate::check::framing_of(framing)?, $crate::check::line_of(first_line));
                Ok(())
            }

            /// `feed(id, bytes)`: the next piece of stream `id`.
            pub fn feed(&mut self, id: u32, bytes: &[u8]) -> Result<(), JsValue> {
                if self.inner.feed(id, bytes) {
                    Ok(())
                } else {
                    Err($crate::check::error(format!("no stream {id} is open")))
                }
            }

            /// `close(id, truncated)`: the stream is over; `truncated` when it was cut short (the
            /// reader reports why with `problem`).
            pub fn close(&mut self, id: u32, truncated: bool) {
                let end = if truncated {
                    astrolabe_segment::check::End::Truncated
                } else {
                    astrolabe_segment::check::End::Complete
                };
                self.inner.close(id, end);
            }

            /// `countFile()`: one more file (or standard input) read.
            #[wasm_bindgen(js_name = countFile)]
            pub fn count_file(&mut self) {
                self.inner.count_file();
            }

            /// `problem(file, line?, code, detail)`: a file that could not be read
            /// (`unreadable_file`) or un-gzipped (`broken_gzip`), as a whole or from `line` on.
            pub fn problem(&mut self, file: &str, line: Option<f64>, code: &str, detail: &str) -> Result<(), JsValue> {
                let problem = astrolabe_segment::check::Problem::from_name(code)
                    .ok_or_else(|| $crate::check::error(format!("unknown problem {code:?}")))?;
                self.inner.problem(file, line.map($crate::check::line_of), problem, detail);
                Ok(())
            }

            /// Values seen so far, for the progress line.
            pub fn seen(&self) -> f64 {
                self.inner.seen() as f64
            }
        }
    };
}

pub(crate) use reader_methods;

//! `{% comment %}`: skips its body up to the matching `{% endcomment %}`, nested comments counted,
//! without parsing it, as liquidjs (and so mapping-kit) does. The standard library's block parses
//! each tag in the body and ignores the tag's error; a tag that had read to the end of the template
//! left the block reading past it, and `liquid-core` panics there ("File shouldn't end before
//! EOI"), which traps the WebAssembly module. Found by fuzzing: `{% comment %}{% raw %}`.

use std::io::Write;

use liquid_core::{BlockReflection, Language, ParseBlock, Renderable, Result, Runtime, TagBlock, TagTokenIter};

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct CommentBlock;

impl BlockReflection for CommentBlock {
    fn start_tag(&self) -> &str {
        "comment"
    }
    fn end_tag(&self) -> &str {
        "endcomment"
    }
    fn description(&self) -> &str {
        "a comment: its body is not parsed"
    }
}

impl ParseBlock for CommentBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        arguments.expect_nothing()?;
        tokens.escape_liquid(true)?;
        Ok(Box::new(Comment))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Comment;

impl Renderable for Comment {
    fn render_to(&self, _writer: &mut dyn Write, _runtime: &dyn Runtime) -> Result<()> {
        Ok(())
    }
}

//! Liquid template language interpreter.

#![warn(missing_docs)]
#![warn(unused_extern_crates)]

mod expression;
mod partials;
mod renderable;
mod runtime;
mod stack;
mod template;
mod variable;

pub use self::expression::*;
pub use self::partials::*;
pub use self::renderable::*;
pub use self::runtime::*;
pub use self::stack::*;
pub use self::template::*;
pub use self::variable::*;

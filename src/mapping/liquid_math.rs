//! The arithmetic filters (`plus`, `minus`, `times`, `divided_by`, `modulo`, `abs`) with the
//! standard library's meaning, except where an integer result does not fit an `i64`: it is then
//! computed as a double, as liquidjs (whose numbers are JavaScript's) computes every one. The
//! standard library's `i + o` wraps in the release build (`9223372036854775807 | plus: 1` gave
//! `-9223372036854775808`), and its `i / o` of the least integer by -1 panics, which traps the
//! WebAssembly module: both were found by fuzzing.

use std::fmt;

use liquid_core::model::ScalarCow;
use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::{Error, Expression, Filter, FilterReflection, ParseFilter, Result, Runtime, Value, ValueView};

/// One arithmetic filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arithmetic {
    Plus,
    Minus,
    Times,
    DividedBy,
    Modulo,
    Abs,
}

impl Arithmetic {
    /// Every one, to register with the parser.
    pub(crate) const ALL: [Arithmetic; 6] = [
        Arithmetic::Plus,
        Arithmetic::Minus,
        Arithmetic::Times,
        Arithmetic::DividedBy,
        Arithmetic::Modulo,
        Arithmetic::Abs,
    ];

    const fn name(self) -> &'static str {
        match self {
            Arithmetic::Plus => "plus",
            Arithmetic::Minus => "minus",
            Arithmetic::Times => "times",
            Arithmetic::DividedBy => "divided_by",
            Arithmetic::Modulo => "modulo",
            Arithmetic::Abs => "abs",
        }
    }

    /// Exact when it fits an `i64`.
    fn integer(self, input: i64, operand: i64) -> Option<i64> {
        match self {
            Arithmetic::Plus => input.checked_add(operand),
            Arithmetic::Minus => input.checked_sub(operand),
            Arithmetic::Times => input.checked_mul(operand),
            Arithmetic::DividedBy => input.checked_div(operand),
            Arithmetic::Modulo => input.checked_rem(operand),
            Arithmetic::Abs => input.checked_abs(),
        }
    }

    fn float(self, input: f64, operand: f64) -> f64 {
        let result = match self {
            Arithmetic::Plus => input + operand,
            Arithmetic::Minus => input - operand,
            Arithmetic::Times => input * operand,
            Arithmetic::DividedBy => input / operand,
            Arithmetic::Modulo => input % operand,
            Arithmetic::Abs => input.abs(),
        };
        // JavaScript writes -0 as "0".
        if result == 0.0 {
            0.0
        } else {
            result
        }
    }

    /// The result for two numbers: integers when both are and it fits, else doubles.
    fn apply(self, input: &ScalarCow<'_>, operand: &ScalarCow<'_>) -> Option<Value> {
        if let (Some(i), Some(o)) = (input.to_integer(), operand.to_integer()) {
            #[allow(clippy::cast_precision_loss)]
            let result =
                self.integer(i, o).map_or_else(|| Value::scalar(self.float(i as f64, o as f64)), Value::scalar);
            return Some(result);
        }
        Some(Value::scalar(self.float(input.to_float()?, operand.to_float()?)))
    }
}

fn invalid_input() -> Error {
    Error::with_msg("Invalid input").context("cause", "Number expected")
}

fn invalid_argument(cause: &'static str) -> Error {
    Error::with_msg("Invalid argument").context("argument", "operand").context("cause", cause)
}

impl FilterReflection for Arithmetic {
    fn name(&self) -> &str {
        Arithmetic::name(*self)
    }
    fn description(&self) -> &str {
        "arithmetic on numbers"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for Arithmetic {
    fn parse(&self, mut arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        let operand = arguments.positional.next();
        let unary = *self == Arithmetic::Abs;
        if arguments.positional.next().is_some() || arguments.keyword.next().is_some() || operand.is_some() == unary {
            let wanted = if unary { "no argument" } else { "one number" };
            return Err(Error::with_msg(format!("filter \"{}\" takes {wanted}", self.name())));
        }
        Ok(Box::new(ArithmeticFilter { arithmetic: *self, operand }))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

#[derive(Debug)]
struct ArithmeticFilter {
    arithmetic: Arithmetic,
    operand: Option<Expression>,
}

impl fmt::Display for ArithmeticFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.operand {
            Some(operand) => write!(f, "{}: {operand}", self.arithmetic.name()),
            None => f.write_str(self.arithmetic.name()),
        }
    }
}

impl Filter for ArithmeticFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let input = input.as_scalar().ok_or_else(invalid_input)?;
        let Some(operand) = &self.operand else {
            // abs: the operand does not matter.
            return self.arithmetic.apply(&input, &ScalarCow::new(0)).ok_or_else(invalid_input);
        };
        let operand = operand.evaluate(runtime)?;
        let operand = operand.as_scalar().ok_or_else(|| invalid_argument("Number expected"))?;
        let division = matches!(self.arithmetic, Arithmetic::DividedBy | Arithmetic::Modulo);
        let zero = operand.to_integer().map(|o| o == 0).or_else(|| operand.to_float().map(|o| o == 0.0));
        if division && zero == Some(true) {
            return Err(invalid_argument("Can't divide by zero"));
        }
        self.arithmetic.apply(&input, &operand).ok_or_else(|| invalid_argument("Number expected"))
    }
}

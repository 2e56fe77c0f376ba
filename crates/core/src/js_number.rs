//! Numbers written as JavaScript writes them, where Segment's JS world decides the text.

use serde_json::Number;

/// The JSON number `JSON.stringify` writes for a finite double, so a JS value and its
/// `JSON.stringify` text give the same number: `157963456373623802` (a double that is exactly
/// 157963456373623808) is `157963456373623800`, as analytics-node sends it. `None` for NaN and
/// the infinities, which JSON cannot carry.
///
/// ```
/// use astrolabe_segment_core::js_number::json_number;
/// let text = |x: f64| json_number(x).map(|number| number.to_string());
/// assert_eq!(text(157963456373623802.0).as_deref(), Some("157963456373623800"));
/// assert_eq!(text(42.0).as_deref(), Some("42"));
/// assert_eq!(text(-0.0).as_deref(), Some("0"));
/// assert_eq!(text(0.1).as_deref(), Some("0.1"));
/// assert_eq!(text(f64::NAN), None);
/// ```
pub fn json_number(x: f64) -> Option<Number> {
    if !x.is_finite() {
        return None;
    }
    // Below 2^53 every integral double is its own shortest digits: skip the text.
    const SAFE: f64 = 9_007_199_254_740_992.0; // 2^53
    if x.fract() == 0.0 && x.abs() < SAFE {
        #[allow(clippy::cast_possible_truncation)]
        return Some(Number::from(x as i64));
    }
    js_number_to_string(x).parse().ok()
}

/// JS `Number.prototype.toString()` for a double (ECMAScript `Number::toString`, radix 10):
/// `1` not `1.0`, `1.5`, `1e+21`, `1e-7`, `0.000001`, `-0` as `0`.
pub fn js_number_to_string(x: f64) -> String {
    if x.is_nan() {
        return String::from("NaN");
    }
    if x == 0.0 {
        return String::from("0");
    }
    if x.is_infinite() {
        return String::from(if x < 0.0 { "-Infinity" } else { "Infinity" });
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // Rust's `{:e}` gives the shortest round-tripping digits, like JS does.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = match sci.split_once('e') {
        Some(parts) => parts,
        None => return format!("{x}"),
    };
    let exp: i64 = match exp.parse() {
        Ok(e) => e,
        Err(_) => return format!("{x}"),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let (digits, exp) = even_on_a_tie(x.abs(), digits, exp);
    let k = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    let n = exp + 1;
    let body = if k <= n && n <= 21 {
        let zeros = usize::try_from(n - k).unwrap_or(0);
        format!("{digits}{}", "0".repeat(zeros))
    } else if 0 < n && n <= 21 {
        let split = usize::try_from(n).unwrap_or(0);
        let (int, frac) = digits.split_at(split.min(digits.len()));
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        let zeros = usize::try_from(-n).unwrap_or(0);
        format!("0.{}{digits}", "0".repeat(zeros))
    } else {
        let e = n - 1;
        let exp_sign = if e < 0 { "-" } else { "+" };
        let mut chars = digits.chars();
        let first: String = chars.next().map(String::from).unwrap_or_default();
        let rest: String = chars.collect();
        if rest.is_empty() {
            format!("{first}e{exp_sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{exp_sign}{}", e.abs())
        }
    };
    format!("{sign}{body}")
}

/// JavaScript's tie rule for the shortest digits (ECMAScript `Number::toString`, step 5): when
/// two spellings of `k` digits are equally near `x`, the one ending in an even digit. Rust's
/// `{:e}` may give the odd one (2037946924101561.25 is "2037946924101561.3" there, ".2" in JS).
/// A tie means `x` is exactly the midpoint, a decimal of `k + 1` digits ending in 5.
fn even_on_a_tie(x: f64, digits: String, exp: i64) -> (String, i64) {
    let k = digits.len();
    let odd = digits.bytes().last().is_some_and(|last| (last - b'0') % 2 == 1);
    if !odd {
        return (digits, exp);
    }
    let significant = |text: &str| -> String {
        let mantissa = text.split('e').next().unwrap_or_default();
        mantissa.chars().filter(char::is_ascii_digit).collect()
    };
    // Cheap first: a tie needs the (k + 1)-th digit to be 5.
    if !significant(&format!("{:.*e}", k, x)).ends_with('5') {
        return (digits, exp);
    }
    // 767 digits after the point hold any double exactly.
    let exact = significant(&format!("{:.767e}", x));
    let midpoint = exact.get(..k + 1).unwrap_or_default();
    let rest_is_zero = exact.get(k + 1..).is_some_and(|rest| rest.bytes().all(|digit| digit == b'0'));
    if !midpoint.ends_with('5') || !rest_is_zero {
        return (digits, exp);
    }
    // Rust's digits are one of the two neighbours of the midpoint: take the other, which is even.
    let lower = midpoint.get(..k).unwrap_or_default();
    if digits != lower {
        return (lower.to_owned(), exp);
    }
    let mut other = digits.into_bytes();
    let mut carry = true;
    for digit in other.iter_mut().rev() {
        if !carry {
            break;
        }
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            carry = false;
        }
    }
    let mut exp = exp;
    if carry {
        other.insert(0, b'1');
        exp += 1;
    }
    while other.len() > 1 && other.last() == Some(&b'0') {
        other.pop();
    }
    (String::from_utf8(other).unwrap_or_default(), exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_even_digit_as_in_javascript() {
        // Each printed as node's String(x) prints it.
        for (x, js) in [
            (2037946924101561.2, "2037946924101561.2"),
            (1045623405370861.2, "1045623405370861.2"),
            (-19083374133333.562, "-19083374133333.562"),
            (0.1, "0.1"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (123.456, "123.456"),
            (9007199254740993.0, "9007199254740992"),
        ] {
            assert_eq!(js_number_to_string(x), js, "{x:e}");
        }
    }
}

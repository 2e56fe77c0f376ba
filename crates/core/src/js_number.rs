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

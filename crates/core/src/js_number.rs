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
    // zmij (serde_json's own float writer) gives the shortest round-tripping digits, like JS does;
    // `{:e}` would too, but links core's float formatting, 15 KB of the module.
    let mut buffer = zmij::Buffer::new();
    let (digits, exp) = shortest(buffer.format_finite(x.abs()));
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

/// The significant digits of a rendering of a positive double (`1.5e-7`, `0.001`, `123.0`,
/// `1e21`) and the decimal exponent of the first one: `("15", -7)`, `("1", -3)`, `("123", 2)`.
fn shortest(text: &str) -> (String, i64) {
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let exponent: i64 = exponent.trim_start_matches('+').parse().unwrap_or(0);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{frac}");
    let leading = all.bytes().take_while(|digit| *digit == b'0').count();
    let digits = all.get(leading..).unwrap_or_default().trim_end_matches('0');
    let point = i64::try_from(int.len()).unwrap_or(0) - i64::try_from(leading).unwrap_or(0);
    let digits = if digits.is_empty() { "0" } else { digits };
    (digits.to_owned(), exponent + point - 1)
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
    // A tie: x is exactly a decimal of k + 1 significant digits ending in 5.
    let Some(exact) = exact_digits(x) else { return (digits, exp) };
    let midpoint = exact.to_string();
    if midpoint.len() != k + 1 || !midpoint.ends_with('5') {
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

/// The significant digits of `x` (finite, positive) written out exactly, without trailing
/// zeros, when they may be a tie: at most 19 of them, ending in 5 (other answers end in 5 only
/// if these do; `None` is never a tie). `x = m * 2^e` is, for `e < 0`,
/// `m * 5^-e / 10^-e`, and for `e >= 0` an integer. Integer arithmetic rather than formatting
/// with 767 digits (`{:.767e}`), whose exact formatter cost 5 KB of the module.
fn exact_digits(x: f64) -> Option<u128> {
    const LIMIT: u128 = 10_000_000_000_000_000_000;
    let bits = x.to_bits();
    let fraction = bits & ((1 << 52) - 1);
    let biased = i64::try_from((bits >> 52) & 0x7ff).ok()?;
    let (mut m, mut e) = if biased == 0 { (fraction, -1074) } else { (fraction | (1 << 52), biased - 1075) };
    if m == 0 {
        return None;
    }
    // Halve m while e < 0 and m is even: the same value, and m odd unless x is an integer.
    while e < 0 && m % 2 == 0 {
        m /= 2;
        e += 1;
    }
    let digits = if e < 0 {
        // m odd: m * 5^n has no factor 2, so no trailing zero; it is the digits.
        let mut product = u128::from(m);
        for _ in 0..e.unsigned_abs() {
            product = product.checked_mul(5).filter(|p| *p < LIMIT)?;
        }
        product
    } else {
        // An integer m * 2^e: its digits end in 5 only when 5^(t + e) divides m, t the twos of m;
        // otherwise they end in an even digit or in no 5, which is never a tie.
        let twos = i64::from(m.trailing_zeros()) + e;
        let mut odd = m >> m.trailing_zeros();
        for _ in 0..twos {
            if odd % 5 != 0 {
                return None;
            }
            odd /= 5;
        }
        u128::from(odd)
    };
    let mut digits = digits;
    while digits % 10 == 0 && digits > 0 {
        digits /= 10;
    }
    (digits < LIMIT).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact digits as Rust's exact formatter writes them: the oracle for [`exact_digits`].
    fn exact_by_formatting(x: f64) -> Option<u128> {
        let text = format!("{:.767e}", x);
        let mantissa: String =
            text.split('e').next().unwrap_or_default().chars().filter(char::is_ascii_digit).collect();
        let trimmed = mantissa.trim_end_matches('0');
        (trimmed.len() <= 19).then(|| trimmed.parse().ok()).flatten().filter(|d: &u128| *d < 10_000_000_000_000_000_000)
    }

    /// Rust's `{:e}`, the shortest digits before zmij: the oracle for [`shortest`].
    fn shortest_by_formatting(x: f64) -> (String, i64) {
        let sci = format!("{:e}", x);
        let (mantissa, exp) = sci.split_once('e').unwrap();
        (mantissa.chars().filter(char::is_ascii_digit).collect(), exp.parse().unwrap())
    }

    #[test]
    #[allow(clippy::excessive_precision)] // the exact values: ties at the 17th digit
    fn zmij_digits_agree_with_rust_shortest_formatting_after_the_tie_rule() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut samples = vec![
            0.1,
            0.001,
            1e21,
            1e-7,
            123.0,
            5e-324,
            1.7976931348623157e308,
            2037946924101561.25,
            9007199254740993.0,
        ];
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            samples.push(f64::from_bits(state & !(1 << 63)));
            samples.push((state % 1_000_000_000) as f64 / 1000.0);
        }
        for x in samples.into_iter().filter(|x| x.is_finite() && *x > 0.0) {
            // The two may pick different neighbours of an exact tie; JS's rule settles it.
            let mut buffer = zmij::Buffer::new();
            let (ours, rusts) = (shortest(buffer.format_finite(x)), shortest_by_formatting(x));
            assert_eq!(even_on_a_tie(x, ours.0, ours.1), even_on_a_tie(x, rusts.0, rusts.1), "{x:e}");
        }
    }

    #[test]
    #[allow(clippy::excessive_precision)] // the exact values: ties at the 17th digit
    fn exact_digits_agree_with_the_exact_formatter() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut samples: Vec<f64> = vec![
            2037946924101561.25,
            1045623405370861.25,
            19083374133333.5625,
            0.5,
            2.5,
            0.125,
            5e-324,
            1e300,
            1e22,
            25.0,
            75.0,
            1e21,
        ];
        for _ in 0..20_000 {
            let bits = next();
            samples.push(f64::from_bits(bits & !(1 << 63)));
            // Dyadic decimals with few digits: the candidates for ties.
            let m = next() % 100_000_000_000;
            let shift = (next() % 40) as i32;
            samples.push(m as f64 / 2f64.powi(shift));
        }
        let mut candidates = 0;
        for x in samples.into_iter().filter(|x| x.is_finite() && *x > 0.0) {
            let ends_in_5 = |digits: Option<u128>| digits.filter(|d| d % 10 == 5);
            let expected = ends_in_5(exact_by_formatting(x));
            assert_eq!(ends_in_5(exact_digits(x)), expected, "{x:e}");
            candidates += usize::from(expected.is_some());
        }
        assert!(candidates > 1_000, "only {candidates} samples could be ties");
    }

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

//! ISO-8601 timestamps: the forms Segment sends, read into milliseconds since the Unix epoch, and
//! written back as RFC 3339 UTC with milliseconds.
//!
//! Written by hand rather than pulled from a date crate: the grammar is small, and every byte
//! counts in the WebAssembly build.

/// Milliseconds since 1970-01-01T00:00:00Z.
pub(crate) type Millis = i64;

/// Reads an ISO-8601 date-time or date.
///
/// Accepted: `YYYY-MM-DD`, then optionally `T` and `HH:MM`, `:SS`, a fraction of any length
/// (after `.` or `,`), and a zone `Z`, `±HH:MM`, `±HHMM` or `±HH`. A date-time without a zone is
/// taken as UTC; a date alone is midnight UTC. The separator must be `T` (a space is not
/// ISO-8601), and the date must exist (February 29 only in leap years).
///
/// ```
/// use astrolabe_segment_core::spec::timestamp::{parse, format};
/// let t = parse("2015-02-23T23:28:55.111+01:00").unwrap();
/// assert_eq!(format(t).unwrap(), "2015-02-23T22:28:55.111Z");
/// assert!(parse("2015-2-02T00:30:08.276Z").is_err());
/// ```
pub fn parse(text: &str) -> Result<Millis, &'static str> {
    let mut cursor = Cursor { bytes: text.as_bytes(), at: 0 };
    let year = cursor.digits(4).ok_or("the year must have 4 digits (YYYY-MM-DD)")?;
    cursor.expect(b'-').ok_or("the date must be written YYYY-MM-DD")?;
    let month = cursor.digits(2).ok_or("the month must have 2 digits (YYYY-MM-DD)")?;
    cursor.expect(b'-').ok_or("the date must be written YYYY-MM-DD")?;
    let day = cursor.digits(2).ok_or("the day must have 2 digits (YYYY-MM-DD)")?;
    if !(1..=12).contains(&month) {
        return Err("the month must be between 01 and 12");
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err("that day does not exist in that month");
    }
    let date_millis = days_from_civil(year, month, day) * 86_400_000;
    if cursor.done() {
        return Ok(date_millis);
    }
    if !(cursor.expect(b'T').is_some() || cursor.expect(b't').is_some()) {
        return Err("the date and the time must be separated by T");
    }
    let hour = cursor.digits(2).ok_or("the hour must have 2 digits (THH:MM)")?;
    cursor.expect(b':').ok_or("the time must be written HH:MM or HH:MM:SS")?;
    let minute = cursor.digits(2).ok_or("the minutes must have 2 digits")?;
    let mut second = 0;
    let mut millis = 0;
    if cursor.expect(b':').is_some() {
        second = cursor.digits(2).ok_or("the seconds must have 2 digits")?;
        if cursor.expect(b'.').is_some() || cursor.expect(b',').is_some() {
            millis = cursor.fraction_millis().ok_or("a decimal point must be followed by digits")?;
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err("the time must be between 00:00:00 and 23:59:59");
    }
    let offset_minutes = cursor.zone()?;
    if !cursor.done() {
        return Err("unexpected text after the time zone");
    }
    let millis = date_millis + ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + millis;
    if !(MIN_MILLIS..=MAX_MILLIS).contains(&millis) {
        return Err("the instant is outside the years 0000 to 9999");
    }
    Ok(millis)
}

/// Whether `text` is already what [`format`] writes (`2015-02-23T22:28:55.111Z`), by its shape:
/// for such text that [`parse`] reads, `format(parse(text))` is `text`, so it can be sent as it is.
pub(crate) fn is_canonical(text: &str) -> bool {
    const SHAPE: &[u8; 24] = b"0000-00-00T00:00:00.000Z";
    text.len() == SHAPE.len()
        && text
            .bytes()
            .zip(SHAPE)
            .all(|(byte, shape)| if *shape == b'0' { byte.is_ascii_digit() } else { byte == *shape })
}

/// The ISO-8601 form of a date-time sent another way, when one can be named for a hint: Unix
/// time (seconds, or milliseconds from 10^11 on), a space for the `T`, a one-digit month or day.
pub(crate) fn suggest(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Number(number) => {
            let time = number.as_f64().filter(|time| time.is_finite() && *time > 0.0)?;
            let millis = if time >= 1e11 { time } else { time * 1000.0 };
            // Whole milliseconds of a finite positive double below the year 10000 fit an i64.
            (millis < 253_402_300_800_000.0).then(|| format(millis as Millis)).flatten()
        }
        serde_json::Value::String(text) => {
            let text = text.trim();
            let (date, rest) = text.split_at(text.find(['T', ' ']).unwrap_or(text.len()));
            let mut parts = date.split('-');
            let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
            let digits = |part: &str| !part.is_empty() && part.len() <= 2 && part.bytes().all(|b| b.is_ascii_digit());
            if parts.next().is_some() || !digits(month) || !digits(day) {
                return None;
            }
            let time = rest.strip_prefix(' ').map_or_else(|| rest.to_owned(), |time| format!("T{time}"));
            let fixed = format!("{year}-{month:0>2}-{day:0>2}{time}");
            (fixed != text && parse(&fixed).is_ok()).then_some(fixed)
        }
        _ => None,
    }
}

/// Writes an instant as RFC 3339 UTC with milliseconds (`2015-02-23T22:28:55.111Z`). `None`
/// outside the years 0000 to 9999, which RFC 3339 cannot write.
pub fn format(millis: Millis) -> Option<String> {
    if !(MIN_MILLIS..=MAX_MILLIS).contains(&millis) {
        return None;
    }
    let days = millis.div_euclid(86_400_000);
    let in_day = millis.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    // Written digit by digit into a fixed template: `format!` cost more than parsing the
    // timestamp.
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let fields = [(0, 4, year), (5, 2, month), (8, 2, day), (11, 2, in_day / 3_600_000)];
    let fields =
        fields.into_iter().chain([(14, 2, in_day / 60_000 % 60), (17, 2, in_day / 1000 % 60), (20, 3, in_day % 1000)]);
    for (start, width, mut value) in fields {
        for at in (start..start + width).rev() {
            if let Some(slot) = out.get_mut(at) {
                *slot = b'0' + u8::try_from(value % 10).unwrap_or(0);
            }
            value /= 10;
        }
    }
    // ASCII digits and punctuation: always UTF-8.
    std::str::from_utf8(&out).ok().map(str::to_owned)
}

/// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
const MIN_MILLIS: Millis = -62_167_219_200_000;
const MAX_MILLIS: Millis = 253_402_300_799_999;

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    #[cfg_attr(feature = "speed", inline(always))]
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    #[cfg_attr(feature = "speed", inline(always))]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[cfg_attr(feature = "speed", inline(always))]
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    /// Exactly `count` ASCII digits, not followed by another digit.
    #[cfg_attr(feature = "speed", inline(always))]
    fn digits(&mut self, count: usize) -> Option<i64> {
        let digits = self.bytes.get(self.at..self.at + count)?;
        let mut value = 0;
        for digit in digits {
            if !digit.is_ascii_digit() {
                return None;
            }
            value = value * 10 + i64::from(digit - b'0');
        }
        self.at += count;
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(value)
    }

    /// A fraction of a second of any length, truncated to milliseconds.
    fn fraction_millis(&mut self) -> Option<i64> {
        let start = self.at;
        let mut millis = 0;
        while let Some(digit) = self.peek().filter(u8::is_ascii_digit) {
            if self.at - start < 3 {
                millis = millis * 10 + i64::from(digit - b'0');
            }
            self.at += 1;
        }
        let length = self.at - start;
        if length == 0 {
            return None;
        }
        for _ in length..3 {
            millis *= 10;
        }
        Some(millis)
    }

    /// The zone as minutes east of UTC: none or `Z` is 0.
    fn zone(&mut self) -> Result<i64, &'static str> {
        let sign = match self.peek() {
            None => return Ok(0),
            Some(b'Z' | b'z') => {
                self.at += 1;
                return Ok(0);
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            Some(_) => return Err("the time zone must be Z, ±HH:MM, ±HHMM or ±HH"),
        };
        self.at += 1;
        let hours = self.digits2_prefix().ok_or("the time zone must be Z, ±HH:MM, ±HHMM or ±HH")?;
        let minutes = if self.expect(b':').is_some() {
            self.digits(2).ok_or("the time zone minutes must have 2 digits")?
        } else if self.done() {
            0
        } else {
            self.digits(2).ok_or("the time zone must be Z, ±HH:MM, ±HHMM or ±HH")?
        };
        if hours > 23 || minutes > 59 {
            return Err("the time zone offset is out of range");
        }
        Ok(sign * (hours * 60 + minutes))
    }

    /// Two digits that may be followed by more digits (`+0100`).
    fn digits2_prefix(&mut self) -> Option<i64> {
        let first = self.peek().filter(u8::is_ascii_digit)?;
        let second = self.bytes.get(self.at + 1).copied().filter(u8::is_ascii_digit)?;
        self.at += 2;
        Some(i64::from(first - b'0') * 10 + i64::from(second - b'0'))
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggest_names_the_iso_form() {
        assert_eq!(suggest(&serde_json::json!(1733400000)).as_deref(), Some("2024-12-05T12:00:00.000Z"));
        assert_eq!(suggest(&serde_json::json!(1733400000123u64)).as_deref(), Some("2024-12-05T12:00:00.123Z"));
        assert_eq!(suggest(&serde_json::json!("2015-2-02T00:30:08.276Z")).as_deref(), Some("2015-02-02T00:30:08.276Z"));
        assert_eq!(suggest(&serde_json::json!("2024-12-05 12:00:00")).as_deref(), Some("2024-12-05T12:00:00"));
        assert_eq!(suggest(&serde_json::json!("last week")), None);
    }

    #[test]
    fn is_canonical_is_what_format_writes() {
        for text in ["2015-02-23T22:28:55.111Z", "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"] {
            assert!(is_canonical(text));
            assert_eq!(format(parse(text).unwrap()).unwrap(), text);
        }
        for text in
            ["2015-02-23t22:28:55.111Z", "2015-02-23T22:28:55.111z", "2015-02-23T22:28:55.11Z", "2015-02-23T22:28:55Z"]
        {
            assert!(!is_canonical(text));
        }
    }

    fn normalized(text: &str) -> String {
        format(parse(text).unwrap()).unwrap()
    }

    #[test]
    fn utc_with_milliseconds_round_trips() {
        assert_eq!(normalized("2015-02-23T22:28:55.111Z"), "2015-02-23T22:28:55.111Z");
        assert_eq!(parse("1970-01-01T00:00:00Z"), Ok(0));
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        assert_eq!(normalized("2015-02-23T23:28:55.111+01:00"), "2015-02-23T22:28:55.111Z");
        assert_eq!(normalized("2015-02-23T17:28:55.111-0500"), "2015-02-23T22:28:55.111Z");
        assert_eq!(normalized("2015-02-24T03:58:55+05:30"), "2015-02-23T22:28:55.000Z");
        assert_eq!(normalized("2015-02-23T20:28:55-02"), "2015-02-23T22:28:55.000Z");
        // Crossing a year boundary backwards and forwards.
        assert_eq!(normalized("2016-01-01T00:30:00+01:00"), "2015-12-31T23:30:00.000Z");
        assert_eq!(normalized("2015-12-31T23:30:00-01:00"), "2016-01-01T00:30:00.000Z");
    }

    #[test]
    fn fractional_seconds_are_truncated_to_milliseconds() {
        assert_eq!(normalized("2020-05-09T23:54:49.209808489Z"), "2020-05-09T23:54:49.209Z");
        assert_eq!(normalized("2020-05-09T23:54:49.9999Z"), "2020-05-09T23:54:49.999Z");
        assert_eq!(normalized("2020-05-09T23:54:49.5Z"), "2020-05-09T23:54:49.500Z");
        assert_eq!(normalized("2020-05-09T23:54:49,25Z"), "2020-05-09T23:54:49.250Z");
        assert!(parse("2020-05-09T23:54:49.Z").is_err());
    }

    #[test]
    fn leap_days() {
        assert_eq!(normalized("2016-02-29T12:00:00Z"), "2016-02-29T12:00:00.000Z");
        assert_eq!(normalized("2000-02-29"), "2000-02-29T00:00:00.000Z");
        assert!(parse("2015-02-29T12:00:00Z").is_err());
        assert!(parse("1900-02-29T12:00:00Z").is_err());
        assert_eq!(normalized("2016-03-01T00:30:00+01:00"), "2016-02-29T23:30:00.000Z");
    }

    #[test]
    fn partial_forms() {
        assert_eq!(normalized("2015-02-23"), "2015-02-23T00:00:00.000Z");
        assert_eq!(normalized("2015-02-23T22:28"), "2015-02-23T22:28:00.000Z");
        assert_eq!(normalized("2015-02-23T22:28:55"), "2015-02-23T22:28:55.000Z");
        assert_eq!(normalized("2015-02-23t22:28:55z"), "2015-02-23T22:28:55.000Z");
    }

    #[test]
    fn the_non_iso_forms_segment_documents_are_refused() {
        assert!(parse("2015-2-02T00:30:08.276Z").is_err());
        assert!(parse("2020-05-09 23:54:49.209808489 +0000 UTC m=+70366.298768264").is_err());
        assert!(parse("2020-05-09 23:54:49Z").is_err());
    }

    #[test]
    fn other_bad_forms() {
        for text in [
            "",
            "yesterday",
            "1589068489",
            "2015-13-01",
            "2015-00-10",
            "2015-04-31",
            "2015-02-23T24:00:00Z",
            "2015-02-23T22:60:00Z",
            "2015-02-23T22:28:60Z",
            "2015-02-23T22:28:55+24:00",
            "2015-02-23T22:28:55+01:60",
            "2015-02-23T22:28:55+1",
            "2015-02-23T22:28:55Z ",
            "2015-02-23T22:28:55ZZ",
            "15-02-23",
            "20150-02-23",
            "2015-02-23T2:28",
        ] {
            assert!(parse(text).is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn calendar_conversion_matches_known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for days in [-719_528, -1, 0, 1, 11_016, 11_017, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn the_edges_of_rfc_3339() {
        assert_eq!(normalized("0000-01-01T00:00:00Z"), "0000-01-01T00:00:00.000Z");
        assert_eq!(normalized("9999-12-31T23:59:59.999Z"), "9999-12-31T23:59:59.999Z");
        assert!(parse("0000-01-01T00:00:00+01:00").is_err());
        assert!(parse("9999-12-31T23:59:59-01:00").is_err());
        assert_eq!(format(MAX_MILLIS + 1), None);
    }
}

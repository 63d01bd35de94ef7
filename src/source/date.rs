//! Calendar dates as guides write them (`reviewed: 2026-11-01`) and the
//! arithmetic on them: the proleptic Gregorian "days from civil" algorithm
//! (Howard Hinnant's), which needs no date crate for this one job.

/// The shape of a date `Date::parse` may accept, for schemas (`Date::parse`
/// also checks the calendar: `2026-02-30` has the shape but is refused).
pub const PATTERN: &str = r"^\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\s*$";

/// A date written `YYYY-MM-DD`, as in `reviewed: 2026-11-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? };
        let leap = date.year.is_multiple_of(4) && (!date.year.is_multiple_of(100) || date.year.is_multiple_of(400));
        let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let valid = (1..=12).contains(&date.month) && date.day >= 1 && date.day <= days_in_month[date.month as usize - 1];
        valid.then_some(date)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn month_name(&self) -> &'static str {
        const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        MONTHS[self.month as usize - 1]
    }
}

/// Days since 1970-01-01 of a calendar date (negative before it).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The calendar date `days` after 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of `date`.
pub fn days_of(date: Date) -> i64 {
    days_from_civil(i64::from(date.year), u32::from(date.month), u32::from(date.day))
}

/// Today's date from the number of seconds since the Unix epoch (UTC).
pub fn date_from_unix_seconds(seconds: u64) -> Option<Date> {
    let (y, m, d) = civil_from_days((seconds / 86_400) as i64);
    Some(Date { year: u16::try_from(y).ok()?, month: m as u8, day: d as u8 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn days_from_civil_matches_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        // 2024 is a leap year, 2100 is not, 2000 is.
        assert_eq!(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2);
        assert_eq!(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28), 1);
        assert_eq!(days_from_civil(2001, 1, 1) - days_from_civil(2000, 1, 1), 366);
    }

    #[test]
    fn civil_from_days_round_trips_over_four_centuries() {
        for days in (-800..147_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(20_516), (2026, 3, 4));
        assert_eq!(date_from_unix_seconds(1_772_582_400 + 3_600), Some(date("2026-03-04")));
    }

    #[test]
    fn dates_are_checked_for_real_days() {
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("2026-2-3"), None);
        assert_eq!(Date::parse("2024-02-29").unwrap().month_name(), "February");
        assert_eq!(date("2026-03-04").iso(), "2026-03-04");
    }
}

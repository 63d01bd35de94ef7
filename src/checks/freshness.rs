//! Review freshness for `fixbook check --stale-after 365d`: sections whose
//! `reviewed` date is older than the allowed age, or missing. Today's date is
//! an argument (main.rs reads the clock, or `FIXBOOK_TODAY`), so this module
//! is pure and the build output never depends on the day it runs. The date
//! arithmetic is `source::date`'s.

use crate::content::model::Guide;
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::date::{Date, days_from_civil, days_of};

/// How old a review may be: `365d`, `52w`, `12m` (calendar months) or `1y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxAge {
    Days(u32),
    Months(u32),
}

impl MaxAge {
    pub fn parse(s: &str) -> Result<MaxAge, String> {
        let s = s.trim();
        let unit_at = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (number, unit) = s.split_at(unit_at);
        let help = "write a number and a unit: `365d` (days), `52w` (weeks), `12m` (months) or `1y` (years)";
        let n: u32 = number.parse().map_err(|_| format!("`{s}` is not an age; {help}"))?;
        match unit {
            "d" => Ok(MaxAge::Days(n)),
            "w" => n.checked_mul(7).map(MaxAge::Days).ok_or_else(|| format!("`{s}` is too long")),
            "m" => Ok(MaxAge::Months(n)),
            "y" => n.checked_mul(12).map(MaxAge::Months).ok_or_else(|| format!("`{s}` is too long")),
            "" => Err(format!("`{s}` has no unit; {help}")),
            other => Err(format!("unknown unit `{other}` in `{s}`; {help}")),
        }
    }

    /// The oldest review date that is still fresh on `today`.
    pub fn oldest_fresh(self, today: Date) -> i64 {
        match self {
            MaxAge::Days(n) => days_of(today) - i64::from(n),
            MaxAge::Months(n) => {
                let months = i64::from(today.year) * 12 + i64::from(today.month) - 1 - i64::from(n);
                let (year, month) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
                // 31 March minus one month is the last day of February.
                let last_day = days_from_civil(year + i64::from(month == 12), if month == 12 { 1 } else { month + 1 }, 1) - days_from_civil(year, month, 1);
                days_from_civil(year, month, u32::from(today.day).min(last_day as u32))
            }
        }
    }
}

/// Warns about published sections reviewed before `today - max_age`
/// (`stale-review`) or never (`missing-review`).
pub fn check(guide: &Guide, today: Date, max_age: MaxAge) -> Vec<Diagnostic> {
    let oldest = max_age.oldest_fresh(today);
    let mut out = Vec::new();
    for section in &guide.sections {
        match section.reviewed {
            Some(reviewed) if days_of(reviewed) < oldest => {
                let age = days_of(today) - days_of(reviewed);
                out.push(
                    Diagnostic::warning(
                        Code::StaleReview,
                        &section.source,
                        section.keys.line_or_fence("reviewed"),
                        format!("`{}` was last reviewed on {} ({age} days ago)", section.title, reviewed.iso()),
                    )
                    .with_help("check the steps still match the product, then set `reviewed:` to today's date"),
                );
            }
            Some(_) => {}
            None => out.push(
                Diagnostic::warning(
                    Code::MissingReview,
                    &section.source,
                    section.keys.line_or_fence("title"),
                    format!("`{}` has no `reviewed` date", section.title),
                )
                .with_help("after checking the steps, add `reviewed: YYYY-MM-DD` to the front matter"),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn ages_parse_with_units_and_reject_the_rest() {
        assert_eq!(MaxAge::parse("365d"), Ok(MaxAge::Days(365)));
        assert_eq!(MaxAge::parse("2w"), Ok(MaxAge::Days(14)));
        assert_eq!(MaxAge::parse("18m"), Ok(MaxAge::Months(18)));
        assert_eq!(MaxAge::parse("1y"), Ok(MaxAge::Months(12)));
        assert!(MaxAge::parse("365").unwrap_err().contains("no unit"));
        assert!(MaxAge::parse("3h").unwrap_err().contains("unknown unit `h`"));
        assert!(MaxAge::parse("d").is_err());
        assert!(MaxAge::parse("99999999999d").is_err());
    }

    #[test]
    fn stale_and_missing_reviews_are_reported_against_the_given_today() {
        use crate::source::loader::{GuideFiles, SourceFile};
        use std::sync::Arc;
        let mut gf = GuideFiles { config: Some(SourceFile { path: "guide.toml".into(), text: Arc::from("title = 'g'") }), ..GuideFiles::default() };
        for (path, text) in [
            ("old.md", "---\ntitle: Old\nreviewed: 2025-03-30\n---\nx\n"),
            ("edge.md", "+++\ntitle = \"Edge\"\nreviewed = 2025-03-31\n+++\nx\n"),
            ("none.md", "---\ntitle: None\n---\nx\n"),
        ] {
            gf.sections.push(SourceFile { path: path.into(), text: Arc::from(text) });
        }
        let (g, d) = crate::content::model::build(gf, false);
        assert!(d.is_empty(), "{d:?}");
        let g = g.unwrap();
        let d = check(&g, date("2026-03-31"), MaxAge::Days(365));
        let found: Vec<_> = d.iter().map(|d| (d.code.as_str(), d.file.as_str())).collect();
        assert_eq!(found, [("missing-review", "none.md"), ("stale-review", "old.md")]);
        assert_eq!(d[1].message, "`Old` was last reviewed on 2025-03-30 (366 days ago)");
        let old = &g.sections.iter().find(|s| s.source == "old.md").unwrap().text;
        assert_eq!(&old[d[1].span.clone()], "reviewed: 2025-03-30");
        assert_eq!(check(&g, date("2025-04-01"), MaxAge::Days(365)).len(), 1, "only the missing one");
    }

    #[test]
    fn oldest_fresh_date_subtracts_days_or_calendar_months() {
        let today = date("2026-03-31");
        assert_eq!(MaxAge::Days(365).oldest_fresh(today), days_from_civil(2025, 3, 31));
        assert_eq!(MaxAge::Months(1).oldest_fresh(today), days_from_civil(2026, 2, 28), "clamped to February's end");
        assert_eq!(MaxAge::Months(3).oldest_fresh(date("2026-01-15")), days_from_civil(2025, 10, 15));
        assert_eq!(MaxAge::Months(12).oldest_fresh(date("2024-02-29")), days_from_civil(2023, 2, 28));
    }
}

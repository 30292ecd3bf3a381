//! The calendar the generator writes with: a day's `YYYY-MM-DD` form and the English weekday
//! and month names of datelines and story text. The generator's own, so that it needs nothing
//! of newsdigest (whose `model::Day` writes days the same way); a day is a chrono
//! [`NaiveDate`].

use chrono::{Datelike, NaiveDate};

/// English day names, Monday first (chrono's `%A`).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// English month names (chrono's `%B`).
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026-02-05`, as chrono's `%Y-%m-%d` writes it. Formatted directly for four-digit years:
/// every dump's path, truth entry and Hugo page names its day, and chrono parses its format
/// string anew on each call.
pub fn iso(day: NaiveDate) -> String {
    let y = day.year();
    if !(0..=9999).contains(&y) {
        return day.format("%Y-%m-%d").to_string();
    }
    format!("{y:04}-{:02}-{:02}", day.month(), day.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_is_chronos_format_in_every_year() {
        for (y, m, d) in [
            (2026, 2, 5),
            (1999, 12, 31),
            (0, 1, 1),
            (12026, 1, 2),
            (-5, 3, 4),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso(day), day.format("%Y-%m-%d").to_string());
        }
        assert_eq!(
            iso(NaiveDate::from_ymd_opt(2026, 2, 5).unwrap()),
            "2026-02-05"
        );
        assert_eq!(
            iso(NaiveDate::from_ymd_opt(12026, 1, 2).unwrap()),
            "+12026-01-02"
        );
    }

    #[test]
    fn names_are_chronos_english_names() {
        let mut day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        for _ in 0..400 {
            let weekday = WEEKDAYS[day.weekday().num_days_from_monday() as usize];
            assert_eq!(weekday, day.format("%A").to_string());
            assert_eq!(MONTHS[day.month0() as usize], day.format("%B").to_string());
            day = day.succ_opt().unwrap();
        }
    }
}

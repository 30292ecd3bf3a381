//! When an article was published, as feeds, sitemaps and metadata need a time of day and the
//! content only gives a day. The rule is deterministic, so rebuilds give identical output:
//! an article is published at **12:00 local time on its day, minus one minute per rank
//! below the top story** (rank 1 at 12:00, rank 2 at 11:59, …, never before 00:00), in the
//! configured time zone. Feed readers that sort by date thus keep the digest's rank order.

use crate::model::Day;
use chrono::{DateTime, Duration, FixedOffset, LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// The publication time of the article of `rank` (1-based) on `day`.
pub fn article_time(day: Day, rank: usize, tz: Tz) -> DateTime<FixedOffset> {
    let noon = day.date().and_hms_opt(12, 0, 0).unwrap_or_default();
    let back = (rank.saturating_sub(1)).min(12 * 60) as i64;
    local(noon - Duration::minutes(back), tz)
}

/// The start of `day` (00:00 local).
pub fn day_start(day: Day, tz: Tz) -> DateTime<FixedOffset> {
    local(day.date().and_hms_opt(0, 0, 0).unwrap_or_default(), tz)
}

/// A local wall-clock time as an instant. In a DST overlap the earlier instant is taken; a
/// time skipped by a DST jump moves forward to the first valid minute.
fn local(t: NaiveDateTime, tz: Tz) -> DateTime<FixedOffset> {
    let mut t = t;
    for _ in 0..(4 * 60) {
        match tz.from_local_datetime(&t) {
            LocalResult::Single(d) | LocalResult::Ambiguous(d, _) => return d.fixed_offset(),
            LocalResult::None => t += Duration::minutes(1),
        }
    }
    chrono::Utc.from_utc_datetime(&t).fixed_offset()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_orders_times_within_the_day() {
        let d = Day::parse_iso("2026-11-20").unwrap();
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            article_time(d, 1, tz).to_rfc3339(),
            "2026-11-20T12:00:00+01:00"
        );
        assert_eq!(
            article_time(d, 3, tz).to_rfc2822(),
            "Fri, 20 Nov 2026 11:58:00 +0100"
        );
        assert_eq!(
            article_time(d, 5000, tz).to_rfc3339(),
            "2026-11-20T00:00:00+01:00"
        );
        assert_eq!(
            day_start(d, Tz::UTC).to_rfc3339(),
            "2026-11-20T00:00:00+00:00"
        );
    }

    #[test]
    fn dst_gaps_move_forward() {
        // America/Havana skips from 00:00 to 01:00 on its spring-forward day.
        let tz: Tz = "America/Havana".parse().unwrap();
        let d = Day::parse_iso("2026-03-08").unwrap();
        let t = day_start(d, tz);
        assert_eq!(t.to_rfc3339(), "2026-03-08T01:00:00-04:00");
    }
}

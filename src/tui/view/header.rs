//! The header: the account, the region, the source, when it was read, and READ-ONLY; it
//! gives way to a narrow terminal, least important part first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::tui::state::State;

/// `2026-05-01 09:30:00 UTC`, or with the offset when the local time zone is known.
pub fn format_time(at: OffsetDateTime) -> String {
    with_zone(
        at,
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
    .unwrap_or_else(|| at.to_string())
}

/// `2026-05-01 09:30 UTC`: [`format_time`] without the seconds.
pub fn format_minute(at: OffsetDateTime) -> String {
    with_zone(
        at,
        format_description!("[year]-[month]-[day] [hour]:[minute]"),
    )
    .unwrap_or_else(|| format_time(at))
}

/// `at` in `pattern`, followed by `UTC` or the offset.
fn with_zone(at: OffsetDateTime, pattern: &[BorrowedFormatItem<'_>]) -> Option<String> {
    let zone = if at.offset().is_utc() {
        "UTC".to_string()
    } else {
        at.format(format_description!(
            "[offset_hour sign:mandatory]:[offset_minute]"
        ))
        .ok()?
    };
    Some(format!("{} {zone}", at.format(pattern).ok()?))
}

pub fn header(frame: &mut Frame, area: Rect, state: &State) {
    frame.render_widget(Paragraph::new(header_line(state, area.width)), area);
}

/// How far the header gives way to a narrow terminal, least important part first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Squeeze {
    Full,
    NoAppName,
    NoSourceLabel,
    NoRegionLabel,
    NoAccountLabel,
    ShortTime,
    NoTime,
    NoRegion,
    CutSource,
}

/// The header at a width: the first form that fits, from the whole line to the account,
/// the source (cut with `…`) and "READ-ONLY".
fn header_line(state: &State, width: u16) -> Line<'static> {
    use Squeeze::*;
    let width = usize::from(width);
    let forms = [
        Full,
        NoAppName,
        NoSourceLabel,
        NoRegionLabel,
        NoAccountLabel,
        ShortTime,
        NoTime,
        NoRegion,
    ];
    for squeeze in forms {
        let line = header_at(state, squeeze, usize::MAX);
        if line.width() <= width {
            return line;
        }
    }
    let without_source = header_at(state, CutSource, 0).width();
    header_at(state, CutSource, width.saturating_sub(without_source))
}

/// The header squeezed so far, with at most `source_room` columns for the source.
fn header_at(state: &State, squeeze: Squeeze, source_room: usize) -> Line<'static> {
    let t = state.theme;
    let posture = state.data.as_ref().map(|d| &d.posture);
    let missing = || Span::styled("—", t.dim());
    // A label is dropped from the squeeze that names it on.
    let label = |text: &'static str, dropped: Squeeze| {
        Span::styled(if squeeze < dropped { text } else { "" }, t.label())
    };
    let mut spans = Vec::new();
    if squeeze == Squeeze::Full {
        spans.push(Span::styled(" ztharden ", t.heading()));
    }
    spans.push(Span::raw(" "));
    spans.push(label("account ", Squeeze::NoAccountLabel));
    spans.push(posture.map_or_else(missing, |p| Span::styled(p.account.to_string(), t.value())));
    if squeeze < Squeeze::NoRegion {
        spans.push(Span::raw("  "));
        spans.push(label("region ", Squeeze::NoRegionLabel));
        spans.push(posture.map_or_else(missing, |p| Span::styled(p.region.to_string(), t.value())));
    }
    spans.push(Span::raw("  "));
    spans.push(label("source ", Squeeze::NoSourceLabel));
    spans.push(Span::styled(cut(&state.label, source_room), t.value()));
    if squeeze < Squeeze::NoTime {
        let short = squeeze >= Squeeze::ShortTime;
        spans.push(Span::styled(
            if short { "  at " } else { "  refreshed " },
            t.label(),
        ));
        spans.push(match state.refreshed_at {
            Some(at) if short => Span::raw(format_time_short(at)),
            Some(at) => Span::raw(format_time(at)),
            None => Span::styled("never", t.dim()),
        });
    }
    if state.read_only {
        spans.push(Span::styled("  READ-ONLY", t.warn()));
    }
    Line::from(spans)
}

/// `text` in at most `room` columns, cut with `…` when longer.
fn cut(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        text.to_string()
    } else if room == 0 {
        String::new()
    } else {
        let kept: String = text.chars().take(room - 1).collect();
        format!("{kept}…")
    }
}

/// `May 1 09:30 UTC`: [`format_time`] without the year and the seconds.
fn format_time_short(at: OffsetDateTime) -> String {
    with_zone(
        at,
        format_description!("[month repr:short] [day padding:none] [hour]:[minute]"),
    )
    .unwrap_or_else(|| format_time(at))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::{format_minute, format_time, format_time_short};

    #[test]
    fn short_times_drop_the_year_and_the_seconds() {
        assert_eq!(
            format_time_short(datetime!(2026-05-01 09:30:59 UTC)),
            "May 1 09:30 UTC"
        );
        assert_eq!(
            format_time_short(datetime!(2026-12-24 23:05:00 -05:00)),
            "Dec 24 23:05 -05:00"
        );
    }

    #[test]
    fn minutes_keep_the_year_and_drop_the_seconds() {
        assert_eq!(
            format_minute(datetime!(2026-05-01 09:30:59 UTC)),
            "2026-05-01 09:30 UTC"
        );
    }

    #[test]
    fn times_name_their_zone() {
        assert_eq!(
            format_time(datetime!(2026-05-01 09:30:00 UTC)),
            "2026-05-01 09:30:00 UTC"
        );
        assert_eq!(
            format_time(datetime!(2026-05-01 11:30:00 +02:00)),
            "2026-05-01 11:30:00 +02:00"
        );
    }
}

//! Word-wrapping of styled lines to a width, so that the detail pane knows its own length
//! (for scrolling) and long reasons, ARNs and messages stay readable.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Wrap every line to `width` columns. Continuation lines are indented two columns more than
/// the line they continue (up to half the width). Styles are kept.
pub fn wrap(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(8));
    lines
        .into_iter()
        .flat_map(|line| wrap_line(line, width))
        .collect()
}

fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    if line.width() <= width {
        return vec![line];
    }
    let chars: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| {
            let style = line.style.patch(s.style);
            s.content.chars().map(move |c| (c, style))
        })
        .collect();
    let lead = chars.iter().take_while(|(c, _)| *c == ' ').count();
    let indent = (lead + 2).min(width / 2);

    let mut rows = Vec::new();
    let mut start = 0;
    let mut first = true;
    while start < chars.len() {
        let pad = if first { 0 } else { indent };
        let room = width - pad;
        let rest = &chars[start..];
        let (take, skip) = if rest.len() <= room {
            (rest.len(), 0)
        } else {
            // Break at the last space within reach (not inside the leading indent).
            let floor = if first { lead + 1 } else { 1 };
            match (floor..=room).rev().find(|&i| rest[i].0 == ' ') {
                Some(i) => (i, 1),
                None => (room, 0),
            }
        };
        let mut spans = Vec::new();
        if pad > 0 {
            spans.push(Span::raw(" ".repeat(pad)));
        }
        spans.extend(group(&rest[..take]));
        rows.push(Line::from(spans));
        start += take + skip;
        // A continuation line does not start with the spaces of its break.
        while start < chars.len() && chars[start].0 == ' ' {
            start += 1;
        }
        first = false;
    }
    rows
}

/// Runs of characters with one style, as spans.
fn group(chars: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = None;
    for &(c, s) in chars {
        if style.is_some_and(|st| st != s) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                style.unwrap_or_default(),
            ));
        }
        style = Some(s);
        text.push(c);
    }
    if !text.is_empty() {
        spans.push(Span::styled(text, style.unwrap_or_default()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Stylize};

    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn short_lines_are_kept() {
        let out = wrap(vec![Line::from("hello world")], 20);
        assert_eq!(texts(&out), ["hello world"]);
    }

    #[test]
    fn long_lines_break_at_spaces_with_a_hanging_indent() {
        let out = wrap(vec![Line::from("  alpha beta gamma delta epsilon")], 16);
        assert_eq!(
            texts(&out),
            ["  alpha beta", "    gamma delta", "    epsilon"]
        );
        assert!(out.iter().all(|l| l.width() <= 16));
    }

    #[test]
    fn words_longer_than_the_width_are_cut() {
        let out = wrap(
            vec![Line::from(
                "arn:aws:execute-api:us-east-1:111122223333:abc/*",
            )],
            20,
        );
        assert!(out.len() > 1);
        assert!(out.iter().all(|l| l.width() <= 20));
        let joined: String = texts(&out).iter().map(|s| s.trim()).collect();
        assert_eq!(joined, "arn:aws:execute-api:us-east-1:111122223333:abc/*");
    }

    #[test]
    fn styles_survive_the_wrap() {
        let line = Line::from(vec![
            "FAIL".red(),
            " a reason that is long enough to wrap".into(),
        ]);
        let out = wrap(vec![line], 20);
        assert_eq!(out[0].spans[0].content, "FAIL");
        assert_eq!(out[0].spans[0].style.fg, Some(Color::Red));
        assert!(out.len() >= 2);
    }
}

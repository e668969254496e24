//! The operator's consent before anything is written: `--yes`, or a `y` typed on a terminal.

use std::io::{BufRead, IsTerminal, Write};

/// What the operator said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Given,
    Declined,
    /// No `--yes`, and stdin or stdout is not a terminal: there is no one to ask.
    NoTerminal,
}

/// Asks `question` (with ` [y/N] ` after it) when stdin and stdout are both terminals;
/// `yes` gives consent without asking.
pub fn ask(question: &str, yes: bool) -> std::io::Result<Consent> {
    if yes {
        return Ok(Consent::Given);
    }
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Ok(Consent::NoTerminal);
    }
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{question} [y/N] ")?;
    stdout.flush()?;
    let mut answer = String::new();
    // End of input answers no.
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(if accepts(&answer) {
        Consent::Given
    } else {
        Consent::Declined
    })
}

/// Only `y` or `yes` (any case, surrounding blanks ignored) is a yes.
pub fn accepts(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_y_or_yes_is_a_yes() {
        for yes in ["y", "Y", "yes", "YES", " yes\n", "y\r\n"] {
            assert!(accepts(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "ye", "yes please", "o", "1", "true"] {
            assert!(!accepts(no), "{no:?}");
        }
    }

    #[test]
    fn yes_gives_consent_without_asking() {
        assert_eq!(ask("Apply?", true).unwrap(), Consent::Given);
    }
}

//! The terminal: how wide tables may be and whether to colour them.
//!
//! Width: `COLUMNS` when set, else the terminal's width when standard output is one, else
//! [`DEFAULT_WIDTH`] (files and pipes get the same bytes on every machine). Colour: `--color
//! auto` (the default) colours only a terminal and honours `NO_COLOR`, `CLICOLOR` and
//! `CLICOLOR_FORCE` (as resolved by anstream); `always` and `never` override them.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};

/// Width for output that does not go to a terminal (and `COLUMNS` is not set).
pub const DEFAULT_WIDTH: u16 = 120;
/// Narrower than this and tables cannot keep a column per field; `COLUMNS` below it is raised.
const MIN_WIDTH: u16 = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour when standard output is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

/// `--color`, shared by the commands that print tables.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct TermArgs {
    /// Colour over-limit, fails and errors red, warnings yellow: auto = on a terminal unless
    /// NO_COLOR is set.
    #[arg(long, value_enum, ignore_case = true, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// How the table format is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    pub color: bool,
    pub width: u16,
    /// Print long prefix lists whole instead of a count and the first few (`--full`).
    pub full: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: DEFAULT_WIDTH,
            full: false,
        }
    }
}

impl TermArgs {
    pub fn options(&self, full: bool) -> RenderOptions {
        RenderOptions {
            color: color_enabled(self.color),
            width: width(),
            full,
        }
    }
}

fn color_enabled(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => !matches!(
            anstream::AutoStream::choice(&std::io::stdout()),
            anstream::ColorChoice::Never
        ),
    }
}

/// The width tables must fit in.
pub fn width() -> u16 {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&c| c > 0)
    {
        return cols.max(MIN_WIDTH);
    }
    if std::io::stdout().is_terminal() {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
            return w.max(MIN_WIDTH);
        }
    }
    DEFAULT_WIDTH
}

/// Red (over limit, fails, errors) and yellow (warnings, partial).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Bad,
    Warn,
    Plain,
}

/// `text` in the tone's colour when colour is on.
pub fn paint(text: &str, tone: Tone, color: bool) -> String {
    let style = match tone {
        Tone::Bad => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Tone::Warn => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Tone::Plain => return text.to_string(),
    };
    if color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

/// Greedy word wrap to `width` columns: the first line starts with `first`, the others with
/// `rest` (a hanging indent); a word longer than a line stays whole.
pub fn wrap(first: &str, rest: &str, text: &str, width: u16) -> Vec<String> {
    let width = width as usize;
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_with_a_hanging_indent() {
        let lines = wrap("  x: ", "     ", "aa bb cc dd", 10);
        assert_eq!(lines, vec!["  x: aa bb", "     cc dd"]);
        assert!(wrap("a ", "  ", "averyveryverylongword", 5).len() == 1);
    }

    #[test]
    fn paints_only_with_colour() {
        assert_eq!(paint("fails", Tone::Bad, false), "fails");
        let red = paint("fails", Tone::Bad, true);
        assert!(
            red.starts_with("\u{1b}[") && red.contains("fails"),
            "{red:?}"
        );
        assert_eq!(paint("ok", Tone::Plain, true), "ok");
    }
}

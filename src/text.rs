//! User-facing text in both languages the tool speaks. No I/O and no formatting of
//! domain values here: callers build a [`Text`] with the `t!` macro and pick a language
//! only when the text reaches a sink.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The languages os2gov speaks. Danish is the users' language and the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Da,
    En,
}

impl Lang {
    /// Reads `da`/`en` (also `dansk`, `danish`, `english`, `engelsk`), case-insensitively.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "da" | "dk" | "dansk" | "danish" | "da-dk" => Some(Lang::Da),
            "en" | "engelsk" | "english" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// Picks one of two literals; for short labels where a [`Text`] would be overkill.
    pub fn pick<'a>(self, da: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Da => da,
            Lang::En => en,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A message in Danish and English. Findings carry both, so one run can serve a
/// Danish board member and an English-speaking observer from the same data.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    pub da: String,
    pub en: String,
}

impl Text {
    pub fn new(da: impl Into<String>, en: impl Into<String>) -> Text {
        Text { da: da.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Da => &self.da,
            Lang::En => &self.en,
        }
    }

    /// Joins two texts with a space (per language).
    pub fn then(mut self, more: &Text) -> Text {
        for (a, b) in [(&mut self.da, &more.da), (&mut self.en, &more.en)] {
            if !a.is_empty() && !b.is_empty() {
                a.push(' ');
            }
            a.push_str(b);
        }
        self
    }
}

/// Builds a [`Text`] from a Danish and an English format string; both capture
/// variables from the caller like `format!` does.
#[macro_export]
macro_rules! t {
    ($da:literal, $en:literal $(,)?) => {
        $crate::text::Text { da: format!($da), en: format!($en) }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_captures_variables_in_both_languages() {
        let n = 3;
        let text = t!("{n} fejl", "{n} errors");
        assert_eq!(text.get(Lang::Da), "3 fejl");
        assert_eq!(text.get(Lang::En), "3 errors");
    }

    #[test]
    fn lang_parses_common_spellings() {
        assert_eq!(Lang::parse(" DA "), Some(Lang::Da));
        assert_eq!(Lang::parse("English"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}

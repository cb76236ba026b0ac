//! How alike two requirement texts are, for mapping a published report's rows onto the
//! current catalogue. Texts are normalised (case, æ/ø/å, punctuation, links, URLs,
//! "(anbefaling)", Danish function words) into words; words match when equal, one typo
//! apart (`Soruce`/`Source`, `fælleskab`/`fællesskab`), inflected (`lokal`/`lokalt`) or
//! sharing a long stem (`potentielt`/`potentiale`); a word split in two
//! (`Uddanelses materiale`) matches the compound. Each word weighs by how rare it is in
//! the catalogue (words every requirement uses say little). The score is the harmonic
//! mean of how much of each text the other covers, 0–1. Pure; no I/O.

use crate::text::fold;

/// Danish (and a few English) function words that carry no meaning for matching.
const STOP_WORDS: &[&str] = &[
    "af", "og", "er", "der", "en", "et", "til", "paa", "for", "med", "at", "har", "den", "det", "de", "som", "kun",
    "fx", "eks", "evt", "samt", "eller", "hvor", "om", "ved", "fra", "under", "alle", "alt", "ind", "ud", "sig", "sin",
    "sit", "skal", "boer", "kan", "vaere", "blevet", "bliver", "ikke", "the", "and", "of", "to", "is", "in",
];

/// The words of a requirement text that matter for matching, in order, without repeats.
pub fn words(text: &str) -> Vec<String> {
    let text = super::clean::links_as_text(text);
    let mut plain = String::with_capacity(text.len());
    for part in text.split_whitespace() {
        if !(part.contains("://") || part.starts_with("www.")) {
            plain.push_str(part);
            plain.push(' ');
        }
    }
    let folded = fold(&plain).replace("(anbefaling)", " ");
    let mut out: Vec<String> = Vec::new();
    for w in folded.split(|c: char| !c.is_alphanumeric()) {
        if w.chars().count() >= 2 && !STOP_WORDS.contains(&w) && !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// The most of a source text compared (requirement texts are one sentence).
const MAX_TEXT: usize = 500;

/// How alike two normalised words are, 0–1.
pub fn word_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    // One typo apart: the optimal string alignment distance (Levenshtein with adjacent
    // transpositions), by characters.
    let typos = || strsim::osa_distance(a, b);
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    // Length differences rule out an edit distance of 1 (or 2) cheaply.
    if short.len() >= 5 && long.len() - short.len() <= 1 && typos() <= 1 {
        return 0.9;
    }
    if short.len() >= 8 && long.len() - short.len() <= 2 && typos() <= 2 {
        return 0.8;
    }
    let common = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if common == short.len() && short.len() >= 3 && long.len() - short.len() <= 2 {
        return 0.9;
    }
    let share = common as f64 / long.len() as f64;
    if common >= 6 && share >= 0.5 { share } else { 0.0 }
}

/// The catalogue's requirement texts, prepared for matching.
pub struct Catalogue {
    words: Vec<Vec<String>>,
    /// Each requirement's word weights, computed once.
    weights: Vec<Vec<f64>>,
}

impl Catalogue {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Catalogue {
        let mut catalogue = Catalogue { words: texts.into_iter().map(words).collect(), weights: Vec::new() };
        catalogue.weights = catalogue.words.iter().map(|ws| ws.iter().map(|w| catalogue.weight(w)).collect()).collect();
        catalogue
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// How much a word tells: the rarer in the catalogue, the more.
    fn weight(&self, word: &str) -> f64 {
        let n = self.words.len() as f64;
        let df = self.words.iter().filter(|ws| ws.iter().any(|w| word_similarity(word, w) >= 0.8)).count() as f64;
        ((n + 1.0) / (df + 0.5)).ln().max(0.05)
    }

    /// Prepares a source text once for scoring against every requirement.
    pub fn source(&self, text: &str) -> Source {
        // A requirement is a sentence; a longer text is cut, so a huge cell stays cheap.
        let text: String = text.chars().take(MAX_TEXT).collect();
        let words = words(&text);
        let pairs: Vec<(usize, String)> =
            words.windows(2).enumerate().map(|(i, p)| (i, format!("{}{}", p[0], p[1]))).collect();
        let weights = words.iter().map(|w| self.weight(w)).collect();
        Source { words, pairs, weights }
    }

    /// How alike a source text is to requirement `index`, 0–1.
    pub fn score(&self, source: &Source, index: usize) -> f64 {
        let target = &self.words[index];
        if source.words.is_empty() || target.is_empty() {
            return 0.0;
        }
        let best = |w: &str| target.iter().map(|t| word_similarity(w, t)).fold(0.0, f64::max);
        // How much of the source the requirement covers (a split compound counts whole).
        let (mut got, mut all) = (0.0, 0.0);
        for (i, (w, weight)) in source.words.iter().zip(&source.weights).enumerate() {
            let joined = source.pairs.iter().filter(|(p, _)| *p == i || *p + 1 == i).map(|(_, j)| best(j));
            let m = joined.fold(best(w), f64::max);
            got += weight * m;
            all += weight;
        }
        let covered_source = if all > 0.0 { got / all } else { 0.0 };
        // How much of the requirement the source covers.
        let (mut got, mut all) = (0.0, 0.0);
        for (t, weight) in target.iter().zip(&self.weights[index]) {
            let m = source
                .words
                .iter()
                .chain(source.pairs.iter().map(|(_, j)| j))
                .map(|w| word_similarity(w, t))
                .fold(0.0, f64::max);
            got += weight * m;
            all += weight;
        }
        let covered_target = if all > 0.0 { got / all } else { 0.0 };
        if covered_source + covered_target == 0.0 {
            0.0
        } else {
            2.0 * covered_source * covered_target / (covered_source + covered_target)
        }
    }
}

/// A source text prepared for scoring.
pub struct Source {
    words: Vec<String>,
    pairs: Vec<(usize, String)>,
    weights: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_drop_case_punctuation_links_and_function_words() {
        assert_eq!(
            words("_Løsningen har tværkommunal potentiale (anbefaling)_"),
            ["loesningen", "tvaerkommunal", "potentiale"]
        );
        assert_eq!(
            words("Produktet har en kobling til [OS2's strategi](https://os2.eu/side/x)"),
            ["produktet", "kobling", "os2s", "strategi"]
        );
        assert_eq!(
            words("OS2´s værktøjer benyttes (Jira) https://os2web.atlassian.net"),
            ["os2", "vaerktoejer", "benyttes", "jira"]
        );
    }

    #[test]
    fn words_match_across_typos_inflection_and_stems() {
        assert_eq!(word_similarity("soruce", "source"), 0.9);
        assert_eq!(word_similarity("faelleskab", "faellesskab"), 0.9);
        assert_eq!(word_similarity("lokal", "lokalt"), 0.9);
        assert!(word_similarity("potentielt", "potentiale") >= 0.7);
        assert!(word_similarity("koordinerg", "koordinering") >= 0.8);
        assert_eq!(word_similarity("skaber", "skabelon"), 0.0);
        assert_eq!(word_similarity("kode", "koden"), 0.9);
        assert_eq!(word_similarity("drift", "driftskrav"), 0.0);
    }

    fn catalogue() -> Catalogue {
        Catalogue::new(crate::check::testkit::rules().requirements.iter().map(|r| r.text.as_str()))
    }

    fn best(c: &Catalogue, text: &str) -> (String, f64) {
        let rules = crate::check::testkit::rules();
        let s = c.source(text);
        let (i, score) = (0..c.len()).map(|i| (i, c.score(&s, i))).max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        (rules.requirements[i].id.clone(), score)
    }

    #[test]
    fn identical_text_scores_one_and_unrelated_text_zero() {
        let c = catalogue();
        assert_eq!(best(&c, "Der er nedsat en styregruppe"), ("G6".to_string(), 1.0));
        assert_eq!(best(&c, "Kaffemaskinen virker").1, 0.0);
    }

    #[test]
    fn old_catalogue_texts_find_their_current_requirement() {
        let c = catalogue();
        for (old, new) in [
            ("Løsningen er accepteret af lokal linjeledelse", "R2"),
            ("Open Soruce licenskriterier overholdes", "F2"),
            ("Der er udarbejdet kommunikationsmateriale til strategisk niveau", "F14"),
            ("_Uddanelses materiale er udarbejdet (anbefaling)_", "F20"),
            ("Der foreligger en aftale der sikre økonomi til koordinerg og videreudvikling", "G13"),
        ] {
            assert_eq!(best(&c, old).0, new, "{old}");
        }
    }
}

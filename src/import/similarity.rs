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
        // A number (a year, a count) says nothing about which requirement a text is.
        let number = w.chars().all(|c| c.is_ascii_digit());
        if w.chars().count() >= 2 && !number && !STOP_WORDS.contains(&w) && !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// The most of a source text compared (requirement texts are one sentence).
const MAX_TEXT: usize = 500;

/// Words can only be alike ([`word_similarity`] above 0) when their lengths differ by at
/// most this, or they share their first [`SHARED_PREFIX`] characters.
const LENGTH_SLACK: usize = 2;
const SHARED_PREFIX: usize = 6;

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

/// The catalogue's requirement texts (and OS2's own wordings of them), prepared for
/// matching. Matching a source text costs O(its words × (catalogue entries + similar
/// catalogue words)): every distinct word is compared with the catalogue's vocabulary once
/// and remembered, so many rows cost little more than their words.
pub struct Catalogue {
    /// The distinct words of the catalogue's texts.
    vocab: Vec<String>,
    /// Each vocabulary word's weight (how rare it is in the catalogue).
    vocab_weight: Vec<f64>,
    /// Per vocabulary word: the requirements one of whose texts has it.
    vocab_requirements: Vec<Vec<usize>>,
    /// Per vocabulary word: the entries that have it.
    containing: Vec<Vec<usize>>,
    entries: Vec<Entry>,
    requirements: usize,
    /// Vocabulary words by length in characters, and by their first [`SHARED_PREFIX`]
    /// characters: the only ones a word can be like.
    by_length: std::collections::HashMap<usize, Vec<usize>>,
    by_prefix: std::collections::HashMap<String, Vec<usize>>,
    /// Every word seen so far: its weight and the vocabulary words it is like.
    seen: std::collections::HashMap<String, std::rc::Rc<Known>>,
}

/// One text of a requirement: its catalogue text or one of OS2's wordings.
struct Entry {
    requirement: usize,
    official: bool,
    words: Vec<usize>,
}

/// A word compared with the catalogue's vocabulary.
struct Known {
    weight: f64,
    /// (vocabulary word, similarity > 0)
    like: Vec<(usize, f64)>,
}

/// How alike a source text is to one requirement, and whether OS2's own wording of it
/// (rather than the catalogue's text) gave the score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub score: f64,
    pub official: bool,
}

impl Catalogue {
    /// From each requirement's text and OS2's wordings of it, in the catalogue's order.
    pub fn new<'a>(requirements: impl IntoIterator<Item = (&'a str, &'a [String])>) -> Catalogue {
        let mut c = Catalogue {
            vocab: Vec::new(),
            vocab_weight: Vec::new(),
            vocab_requirements: Vec::new(),
            containing: Vec::new(),
            entries: Vec::new(),
            requirements: 0,
            by_length: std::collections::HashMap::new(),
            by_prefix: std::collections::HashMap::new(),
            seen: std::collections::HashMap::new(),
        };
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (r, (text, official)) in requirements.into_iter().enumerate() {
            c.requirements = r + 1;
            let texts = std::iter::once((text, false)).chain(official.iter().map(|o| (o.as_str(), true)));
            for (text, official) in texts {
                let mut ids = Vec::new();
                for w in words(text) {
                    let id = *index.entry(w.clone()).or_insert_with(|| {
                        c.vocab.push(w);
                        c.vocab_requirements.push(Vec::new());
                        c.containing.push(Vec::new());
                        c.vocab.len() - 1
                    });
                    if !c.vocab_requirements[id].contains(&r) {
                        c.vocab_requirements[id].push(r);
                    }
                    c.containing[id].push(c.entries.len());
                    ids.push(id);
                }
                c.entries.push(Entry { requirement: r, official, words: ids });
            }
        }
        for (i, w) in c.vocab.iter().enumerate() {
            c.by_length.entry(w.chars().count()).or_default().push(i);
            if w.chars().count() >= SHARED_PREFIX {
                c.by_prefix.entry(w.chars().take(SHARED_PREFIX).collect()).or_default().push(i);
            }
        }
        c.vocab_weight = (0..c.vocab.len()).map(|i| c.compare(&c.vocab[i].clone()).weight).collect();
        c
    }

    pub fn len(&self) -> usize {
        self.requirements
    }

    pub fn is_empty(&self) -> bool {
        self.requirements == 0
    }

    /// A word against the vocabulary: the words it is like, and its weight – the rarer in
    /// the catalogue (the fewer requirements have a word like it), the more it tells.
    fn compare(&self, word: &str) -> Known {
        let len = word.chars().count();
        let mut candidates: Vec<usize> = (len.saturating_sub(LENGTH_SLACK)..=len + LENGTH_SLACK)
            .filter_map(|l| self.by_length.get(&l))
            .flatten()
            .copied()
            .collect();
        if len >= SHARED_PREFIX
            && let Some(same) = self.by_prefix.get(&word.chars().take(SHARED_PREFIX).collect::<String>())
        {
            candidates.extend(same);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let like: Vec<(usize, f64)> = candidates
            .into_iter()
            .map(|i| (i, word_similarity(word, &self.vocab[i])))
            .filter(|(_, s)| *s > 0.0)
            .collect();
        let mut having: Vec<usize> = like
            .iter()
            .filter(|(_, s)| *s >= 0.8)
            .flat_map(|(i, _)| self.vocab_requirements[*i].iter().copied())
            .collect();
        having.sort_unstable();
        having.dedup();
        let n = self.requirements as f64;
        Known { weight: ((n + 1.0) / (having.len() as f64 + 0.5)).ln().max(0.05), like }
    }

    fn known(&mut self, word: &str) -> std::rc::Rc<Known> {
        if let Some(k) = self.seen.get(word) {
            return k.clone();
        }
        let k = std::rc::Rc::new(self.compare(word));
        self.seen.insert(word.to_string(), k.clone());
        k
    }

    /// Prepares a source text once for scoring against every requirement.
    pub fn source(&mut self, text: &str) -> Source {
        // A requirement is a sentence; a longer text is cut, so a huge cell stays cheap.
        let text: String = text.chars().take(MAX_TEXT).collect();
        let words = words(&text);
        let pairs: Vec<String> = words.windows(2).map(|p| format!("{}{}", p[0], p[1])).collect();
        let words = words.iter().map(|w| self.known(w)).collect();
        let pairs = pairs.iter().map(|p| self.known(p)).collect();
        Source { words, pairs }
    }

    /// How alike a source text is to every requirement, in the catalogue's order.
    pub fn scores(&self, source: &Source) -> Vec<Score> {
        let mut out = vec![Score { score: 0.0, official: false }; self.requirements];
        let n = source.words.len();
        if n == 0 {
            return out;
        }
        // best_target[t]: how well the source covers vocabulary word t (words or pairs).
        let mut best_target = vec![0.0f64; self.vocab.len()];
        // best_source[e * n + i]: how well entry e covers source word i (a split compound
        // counts whole: a pair of source words joined is compared too).
        let mut best_source = vec![0.0f64; self.entries.len() * n];
        let mut touch = |k: &Known, positions: &[usize], best_source: &mut Vec<f64>| {
            for &(t, s) in &k.like {
                if best_target[t] < s {
                    best_target[t] = s;
                }
                for &e in &self.containing[t] {
                    for &i in positions {
                        let cell = &mut best_source[e * n + i];
                        if *cell < s {
                            *cell = s;
                        }
                    }
                }
            }
        };
        for (i, k) in source.words.iter().enumerate() {
            touch(k, &[i], &mut best_source);
        }
        for (i, k) in source.pairs.iter().enumerate() {
            touch(k, &[i, i + 1], &mut best_source);
        }
        let source_all: f64 = source.words.iter().map(|k| k.weight).sum();
        for (e, entry) in self.entries.iter().enumerate() {
            if entry.words.is_empty() || source_all <= 0.0 {
                continue;
            }
            let got: f64 = source.words.iter().enumerate().map(|(i, k)| k.weight * best_source[e * n + i]).sum();
            let covered_source = got / source_all;
            let (mut got, mut all) = (0.0, 0.0);
            for &t in &entry.words {
                got += self.vocab_weight[t] * best_target[t];
                all += self.vocab_weight[t];
            }
            let covered_target = if all > 0.0 { got / all } else { 0.0 };
            let score = if covered_source + covered_target == 0.0 {
                0.0
            } else {
                2.0 * covered_source * covered_target / (covered_source + covered_target)
            };
            let slot = &mut out[entry.requirement];
            if score > slot.score {
                *slot = Score { score, official: entry.official };
            }
        }
        out
    }

    /// How alike a source text is to requirement `index`, 0–1.
    pub fn score(&self, source: &Source, index: usize) -> f64 {
        self.scores(source).get(index).map_or(0.0, |s| s.score)
    }
}

/// A source text prepared for scoring.
pub struct Source {
    words: Vec<std::rc::Rc<Known>>,
    pairs: Vec<std::rc::Rc<Known>>,
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
        assert_eq!(word_similarity("tilslutningserklaering", "tilslutningsaftale"), 12.0 / 22.0);
    }

    fn catalogue() -> Catalogue {
        Catalogue::new(crate::check::testkit::rules().requirements.iter().map(|r| (r.text.as_str(), &[][..])))
    }

    fn best(c: &mut Catalogue, text: &str) -> (String, f64) {
        let rules = crate::check::testkit::rules();
        let s = c.source(text);
        let (i, score) = (0..c.len()).map(|i| (i, c.score(&s, i))).max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        (rules.requirements[i].id.clone(), score)
    }

    #[test]
    fn identical_text_scores_one_and_unrelated_text_zero() {
        let mut c = catalogue();
        assert_eq!(best(&mut c, "Der er nedsat en styregruppe"), ("G6".to_string(), 1.0));
        assert_eq!(best(&mut c, "Kaffemaskinen virker").1, 0.0);
    }

    #[test]
    fn old_catalogue_texts_find_their_current_requirement() {
        let mut c = catalogue();
        for (old, new) in [
            ("Løsningen er accepteret af lokal linjeledelse", "R2"),
            ("Open Soruce licenskriterier overholdes", "F2"),
            ("Der er udarbejdet kommunikationsmateriale til strategisk niveau", "F14"),
            ("_Uddanelses materiale er udarbejdet (anbefaling)_", "F20"),
            ("Der foreligger en aftale der sikre økonomi til koordinerg og videreudvikling", "G13"),
        ] {
            assert_eq!(best(&mut c, old).0, new, "{old}");
        }
    }
}

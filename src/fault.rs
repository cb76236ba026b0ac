//! Test-only fault injection: when `OS2GOV_FAULT` names a point, the process exits there
//! at once (as a kill would), so tests can prove that a crash at any stage leaves the
//! previous good state. Costs one environment lookup per point; does nothing otherwise.

/// Exits the process with code 99 when `OS2GOV_FAULT` equals `name`.
pub fn point(name: &str) {
    if std::env::var("OS2GOV_FAULT").is_ok_and(|v| v == name) {
        std::process::exit(99);
    }
}

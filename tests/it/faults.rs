//! Fault injection (`OS2GOV_FAULT`) exists only in debug builds. The os2gov this test runs
//! is built with the test binary's own profile: in a debug build (`cargo test`) a fault
//! point fires and the binary holds the `OS2GOV_FAULT` switch; in an optimised one
//! (`cargo test --release`, the binary `cargo build --release` and `cargo install` make)
//! the same run completes, a simulated full disk writes normally, and the switch is not in
//! the binary at all. `.ci/run` checks `cargo build --release`'s binary the same way.

use crate::util::TestDir;

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn fault_points_exist_in_debug_builds_only() {
    let dir = TestDir::new().init();
    let clean = dir.clean("OS2fejl", "N1", "Igangsat");
    dir.projektark("indsendt/fejl.xlsx", &clean);
    let fault = |name: &str| dir.command(&["-q", "run"]).env("OS2GOV_FAULT", name).output().expect("run os2gov");
    let binary = std::fs::read(env!("CARGO_BIN_EXE_os2gov")).expect("the os2gov binary");
    let stopped = fault("after-check");
    let full = fault("disk-full");
    if cfg!(debug_assertions) {
        assert_eq!(stopped.status.code(), Some(99), "a debug build stops at the fault point");
        assert_eq!(full.status.code(), Some(2), "a debug build simulates a full disk");
        assert!(holds(&binary, b"OS2GOV_FAULT"), "a debug build can be told where to fail");
    } else {
        let err = String::from_utf8_lossy(&stopped.stderr);
        assert_eq!(stopped.status.code(), Some(0), "an optimised build has no fault point: {err}");
        assert!(dir.join("ud/2026-11/manifest.json").exists());
        assert_eq!(full.status.code(), Some(0), "an optimised build never simulates a full disk");
        assert!(!holds(&binary, b"OS2GOV_FAULT"), "the optimised binary must not contain the fault switch");
    }
}

//! The one integration test binary: runs the real `os2gov` on folders and workbooks built
//! in each test, and reads the outputs back.

mod util;
mod xml;

mod check_cmd;
mod init_rules_template;
mod samples;

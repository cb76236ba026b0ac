//! The one integration test binary: runs the real `os2gov` on folders and workbooks built
//! in each test, and reads the outputs back.

mod util;
mod xml;

mod absence;
mod annotate_cmd;
mod assessment;
mod board_carry;
mod board_pack;
mod check_cmd;
mod cli_texts;
mod corpus;
mod decision_log;
mod economy;
mod faults;
mod history;
mod hostile;
mod hostile_round3;
mod import_cmd;
mod import_round_two;
mod init_rules_template;
mod layers;
mod lead_month;
mod mail_e2e;
mod readable;
mod records;
mod run_cmd;
mod samples;
